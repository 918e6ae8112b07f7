"""A paginator whose count stops at a cap, so a page of a million-row inbox stays cheap."""

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
        # COUNT(*) over a LIMITed subquery of bare ids (no joins, no sort): at most COUNT_CAP + 1 rows.
        bare = self.object_list.select_related(None).order_by().values("pk")  # type: ignore[attr-defined]
        return int(bare[: self.cap + 1].count())

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap
