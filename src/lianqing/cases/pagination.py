"""A paginator whose count stops at a cap, so a page of a million-row inbox stays cheap."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        # COUNT(*) over a LIMITed subquery of bare ids (no joins, no sort): at most COUNT_CAP + 1 rows.
        bare = self.object_list.select_related(None).order_by().values("pk")  # type: ignore[attr-defined]
        return int(bare[: COUNT_CAP + 1].count())

    @property
    def is_capped(self) -> bool:
        return self.count > COUNT_CAP
