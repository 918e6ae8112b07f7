"""Pages of the audit log that cost the same at 100 rows and at 100 million.

Rows are numbered without gaps (`seq`, assigned under the chain head's lock), so page N of the
whole log is a seq range: no COUNT(*) (the chain head knows how many rows there are) and no
OFFSET (which reads every row it skips). Only the 安全审计员 reads the whole log this way; the
安全保密管理员's list (the auditors' rows) uses a capped count on the (actor, seq) index.
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Page, Paginator

from lianqing.core.models import AuditChainHead, AuditEvent


class ChainPaginator(Paginator):
    def __init__(self, per_page: int) -> None:
        super().__init__(AuditEvent.objects.order_by("-seq"), per_page)
        head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead()
        self.last_seq, self.pruned_seq = head.last_seq, head.pruned_seq

    @cached_property
    def count(self) -> int:
        return max(0, self.last_seq - self.pruned_seq)

    def page(self, number: int | float | str) -> Page:
        number = self.validate_number(number)
        highest = self.last_seq - (number - 1) * self.per_page
        rows = AuditEvent.objects.filter(seq__lte=highest, seq__gt=self.pruned_seq).order_by("-seq")
        return Page(rows[: self.per_page], number, self)
