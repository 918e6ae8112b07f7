"""The inbox's lists of open cases (超期, 临期, 在办) can use the partial indexes on open cases."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from lianqing.cases.models import OPEN_STATUSES
from lianqing.cases.selectors import CaseFilters, case_list
from lianqing.core.roles import Role
from tests.cases.factories import register_case

indexes = importlib.import_module("lianqing.cases.migrations.0007_open_case_indexes_postgresql_only")


def test_the_index_predicate_lists_the_open_statuses_as_the_inbox_filter_does():
    # The planner uses a partial index only when the query's `status IN (...)` implies its
    # predicate: a status added to OPEN_STATUSES needs new indexes.
    assert [str(status) for status in OPEN_STATUSES] == indexes.OPEN_STATUSES


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only (INCLUDE)")
@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"overdue": True, "category": "bribery"}, "case_open_org_category_received"),
        ({"due_soon": True}, "case_open_org_received"),
        ({"open_only": True}, "case_open_org_received"),
    ],
)
def test_the_inbox_of_an_org_reads_an_open_case_index(org_tree, make_user, filters, index):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    register_case(org_tree.township_a)
    listing = case_list(user=officer, filters=CaseFilters(org_id=org_tree.township_a.pk, **filters))
    sql, params = listing[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test database is too small to need an index
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan
