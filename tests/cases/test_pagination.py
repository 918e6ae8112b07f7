"""The inbox paginator counts no further than its cap."""

from __future__ import annotations

from lianqing.cases.models import Case
from lianqing.core.pagination import CappedPaginator
from tests.cases.factories import register_case


def test_count_stops_at_the_cap_and_says_so(org_tree):
    for _ in range(4):
        register_case(org_tree.commission)
    capped = CappedPaginator(Case.objects.order_by("-received_at"), 2, cap=3)
    exact = CappedPaginator(Case.objects.order_by("-received_at"), 2, cap=10)
    assert (capped.count, capped.is_capped) == (4, True)  # cap + 1: "more than 3"
    assert (exact.count, exact.is_capped) == (4, False)
    assert len(capped.get_page(2).object_list) == 2
