"""The audit log's pages: seq ranges for the auditor (no COUNT, no OFFSET), a capped count for the
security administrator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from lianqing.core import selectors
from lianqing.core.audit import audit_record
from lianqing.core.audit_retention import audit_prune
from lianqing.core.models import AuditAction, User
from lianqing.core.roles import Role
from lianqing.core.selectors import audit_event_page

pytestmark = pytest.mark.django_db


def _user(name: str, role: Role) -> User:
    user = User.objects.create(username=name)
    user.groups.add(Group.objects.get_or_create(name=str(role))[0])
    return user


def _seqs(page) -> list[int]:
    return [event.seq for event in page]


def test_the_auditor_pages_through_seq_ranges_and_the_count_comes_from_the_chain_head(
    django_assert_max_num_queries,
):
    auditor = _user("shenji", Role.AUDITOR)
    for n in range(120):
        audit_record(action=AuditAction.VIEW, object_type="cases.case", object_id=str(n))
    with django_assert_max_num_queries(3):  # the head, the page's rows; no COUNT
        first = audit_event_page(user=auditor, number=1)
        assert _seqs(first) == list(range(120, 70, -1))
    assert (first.paginator.count, first.paginator.num_pages) == (120, 3)
    assert _seqs(audit_event_page(user=auditor, number=3)) == list(range(20, 0, -1))
    assert _seqs(audit_event_page(user=auditor, number="99")) == list(range(20, 0, -1))  # past the end: last
    assert _seqs(audit_event_page(user=auditor, number="x"))[0] == 120

    audit_prune(
        older_than_days=183, now=timezone.now() + timedelta(days=200)
    )  # rows 1-119 go; 121 records it
    page = audit_event_page(user=auditor, number=1)
    assert (_seqs(page), page.paginator.count, page.paginator.num_pages) == ([121, 120], 2, 1)


def test_the_security_administrator_sees_the_auditors_rows_with_a_capped_count(monkeypatch):
    auditor = _user("shenji", Role.AUDITOR)
    security = _user("baomi", Role.SECURITY_ADMIN)
    staff = User.objects.create(username="keyuan")
    for n in range(8):
        audit_record(action=AuditAction.VIEW, actor=auditor if n % 2 else staff, object_id=str(n))
    monkeypatch.setattr(selectors, "AUDIT_PAGE_ROWS", 2)
    monkeypatch.setattr(selectors, "AUDIT_COUNT_CAP", 3)
    page = audit_event_page(user=security, number=1)
    assert _seqs(page) == [8, 6]
    assert page.paginator.is_capped  # four rows, more than the cap of three
    assert _seqs(audit_event_page(user=security, number=2)) == [4, 2]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_security_administrators_page_and_count_read_the_actor_index_alone():
    # 0.5 % of a province's rows are the auditors': the count and the page's seqs can be answered
    # from the (actor, seq) index without reading a row; only the page's 50 rows are read.
    auditor = _user("shenji", Role.AUDITOR)
    security = _user("baomi", Role.SECURITY_ADMIN)
    for n in range(3):
        audit_record(action=AuditAction.VIEW, actor=auditor, object_id=str(n))
    paginator = audit_event_page(user=security, number=1).paginator
    page_sql = paginator.page(1).object_list.query.sql_with_params()
    count_sql = (
        paginator.object_list.order_by().values(paginator.key)[: paginator.cap + 1].query.sql_with_params()
    )
    for sql, params in (page_sql, count_sql):
        with connection.cursor() as cursor:
            # Only an index-only scan left enabled: a column missing from the index would need another.
            for kind in ("seqscan", "indexscan", "bitmapscan"):
                cursor.execute(f"SET LOCAL enable_{kind} = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Index Only Scan using core_audit_actor_seq " in plan, plan
    assert [event.seq for event in paginator.page(1)] == [3, 2, 1]
