"""Paginators for lists too long to count on every page view: a count that stops at a cap, or
a count already known (from tallies)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

COUNT_CAP = 1_000  # pages beyond 20 × 50 rows: narrow the filters instead


class CappedPaginator(Paginator):
    def __init__(self, *args: Any, cap: int = COUNT_CAP, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        # COUNT(*) over a LIMITed subquery of bare ids (no joins, no sort): at most cap + 1 rows.
        bare = self.object_list.select_related(None).order_by().values("pk")  # type: ignore[attr-defined]
        return int(bare[: self.cap + 1].count())

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap


class CountedPaginator(Paginator):
    """Pages of a list whose length the caller already knows (e.g. summed from tallies)."""

    is_capped = False

    def __init__(self, *args: Any, count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count
