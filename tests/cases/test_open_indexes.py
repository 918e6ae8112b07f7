"""The inbox's lists of open cases (超期, 临期, 在办) can use the partial indexes on open cases."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.utils import timezone

from lianqing.cases.models import OPEN_STATUSES, Case
from lianqing.cases.selectors import CaseFilters, case_inbox_paginator, case_list
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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only (INCLUDE)")
@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"overdue": True, "category": "bribery", "org_id": True}, "case_open_org_category_received"),
        ({"overdue": True, "org_id": True}, "case_open_org_received"),
        (
            {"due_soon": True, "kind": "petition", "source": "online", "org_id": True},
            "case_open_org_received",
        ),
        ({"overdue": True}, "case_open_received"),  # the 工作台's 已超期 link: every org (migration 0009)
        ({"status": "pending", "kind": "petition", "source": "online"}, "case_open_status_received"),
    ],
)
def test_an_inbox_page_takes_its_ids_from_the_index_alone(org_tree, make_user, filters, index):
    # Every column the page's ids query reads is in the index, so it never visits the rows it skips
    # (超期 at 10 million cases: thousands of open cases newer than the first overdue ones).
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    case = register_case(org_tree.township_a, category="bribery")
    due = timezone.localdate() + dt.timedelta(days=-1 if filters.get("overdue") else 0)
    Case.objects.filter(pk=case.pk).update(deadline=due)  # the page holds a row
    if filters.get("org_id"):
        filters = {**filters, "org_id": org_tree.township_a.pk}
    paginator = case_inbox_paginator(user=officer, filters=CaseFilters(**filters), per_page=50)
    sql, params = paginator.page(1).object_list.query.sql_with_params()
    with connection.cursor() as cursor:
        # Only an index-only scan left enabled: a column missing from the index would need another.
        for kind in ("seqscan", "indexscan", "bitmapscan"):
            cursor.execute(f"SET LOCAL enable_{kind} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Index Only Scan Backward using {index} " in plan, plan
    assert [row.pk for row in paginator.page(1)] == [case.pk]
