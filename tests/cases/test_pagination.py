"""The inbox paginator counts no further than its cap, and a page read ids first is the same page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lianqing.cases.models import Case, Category, Status
from lianqing.cases.selectors import CaseFilters, case_list
from lianqing.core.pagination import CappedPaginator
from lianqing.core.roles import Role
from tests.cases.factories import register_case


def test_count_stops_at_the_cap_and_says_so(org_tree):
    for _ in range(4):
        register_case(org_tree.commission)
    capped = CappedPaginator(Case.objects.order_by("-received_at"), 2, cap=3)
    exact = CappedPaginator(Case.objects.order_by("-received_at"), 2, cap=10)
    assert (capped.count, capped.is_capped) == (4, True)  # cap + 1: "more than 3"
    assert (exact.count, exact.is_capped) == (4, False)
    assert len(capped.get_page(2).object_list) == 2


@pytest.fixture
def varied_cases(org_tree):
    """Cases of two orgs and two categories, open and finished, overdue and not, some received at
    the same moment (the list's order then falls back on the id)."""
    now = timezone.now()
    today = timezone.localdate()
    orgs = [org_tree.commission, org_tree.township_a]
    categories = [Category.SIFENG_DINING, Category.BRIBERY]
    for i in range(36):
        case = register_case(
            orgs[i % 2],
            category=categories[i // 2 % 2],
            received_at=now - dt.timedelta(days=i // 3),  # three cases per moment
        )
        # Every third case finished, every other one overdue: the filters skip rows in list order.
        status = Status.FED_BACK if i % 3 == 0 else Status.HANDLING
        deadline = None if status == Status.FED_BACK else today + dt.timedelta(days=-1 if i % 2 else 5)
        Case.objects.filter(pk=case.pk).update(status=status, deadline=deadline)


FILTER_SETS = [
    {},
    {"overdue": True},
    {"category": Category.BRIBERY},
    {"status": Status.HANDLING, "category": Category.SIFENG_DINING},
    {"overdue": True, "org_id": "township_a", "category": Category.BRIBERY},
    {"open_only": True, "org_id": "commission"},
]


def test_a_page_read_ids_first_is_the_page_read_whole(org_tree, make_user, varied_cases):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    for filters in FILTER_SETS:
        if "org_id" in filters:
            filters = {**filters, "org_id": getattr(org_tree, filters["org_id"]).pk}
        listing = case_list(user=officer, filters=CaseFilters(**filters))
        for cap in (7, 100):  # a capped count and an exact one
            whole = CappedPaginator(listing, 4, cap=cap)
            ids_first = CappedPaginator(listing, 4, cap=cap, ids_first=True)
            counts = (whole.count, whole.is_capped, whole.num_pages)
            assert (ids_first.count, ids_first.is_capped, ids_first.num_pages) == counts
            assert whole.count > 0, filters
            for number in whole.page_range:
                expected = [(case.pk, case.number, case.org.name) for case in whole.page(number)]
                assert expected, (filters, number)
                assert [(case.pk, case.number, case.org.name) for case in ids_first.page(number)] == expected
