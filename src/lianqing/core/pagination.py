"""Paginators for lists too long to count on every page view: a count that stops at a cap, or
a count already known (from tallies)."""

from __future__ import annotations

from functools import cached_property
from math import ceil
from typing import Any

from django.core.paginator import Page, Paginator

COUNT_CAP = 1_000  # pages beyond 20 × 50 rows: narrow the filters instead


class PageCapMixin(Paginator):
    """Pages past `max_pages` are not offered (a deep OFFSET reads every row before it): a later
    page number shows the last offered page, whose template asks to narrow the filters."""

    max_pages: int | None = None

    @property
    def all_pages(self) -> int:
        """The pages the whole list would fill (Django's own num_pages)."""
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return ceil(max(1, self.count - self.orphans) / self.per_page)

    @cached_property
    def num_pages(self) -> int:
        return self.all_pages if self.max_pages is None else min(self.all_pages, self.max_pages)

    @property
    def is_page_capped(self) -> bool:
        return self.max_pages is not None and self.all_pages > self.max_pages


class CappedPaginator(PageCapMixin):
    """`ids_first`: a page's keys are read first by the list's bare query (its filters and order,
    no joins, no other columns: an index-only scan when a covering index holds them), then only
    those rows are fetched. A filter that skips many rows in list order (超期: the newest open
    cases are not yet overdue) then walks the index alone instead of reading every skipped row.
    `key`: the unique column the count and the page's keys read (the primary key, or another
    column an index holds beside the filtered ones, as the audit log's seq)."""

    def __init__(
        self,
        *args: Any,
        cap: int = COUNT_CAP,
        max_pages: int | None = None,
        ids_first: bool = False,
        key: str = "pk",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.max_pages = max_pages
        self.ids_first = ids_first
        self.key = key

    def page(self, number: int | str) -> Page:
        if not self.ids_first:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.select_related(None).values(self.key)[bottom:top]  # type: ignore[attr-defined]
        # The outer query keeps the list's filters (cheap on 50 rows) and its order.
        rows = self.object_list.filter(**{f"{self.key}__in": keys})  # type: ignore[attr-defined]
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]

    @cached_property
    def count(self) -> int:
        # COUNT(*) over a LIMITed subquery of bare keys (no joins, no sort): at most cap + 1 rows.
        bare = self.object_list.select_related(None).order_by().values(self.key)  # type: ignore[attr-defined]
        return int(bare[: self.cap + 1].count())

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap


class CountedPaginator(PageCapMixin):
    """Pages of a list whose length the caller already knows (e.g. summed from tallies)."""

    is_capped = False

    def __init__(self, *args: Any, count: int, max_pages: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.known_count = count
        self.max_pages = max_pages

    @cached_property
    def count(self) -> int:
        return self.known_count
