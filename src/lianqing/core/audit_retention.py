"""Audit log retention: rows are kept at least LIANQING_AUDIT_RETENTION_DAYS (≥ 183 days, 网络安全法
第二十一条); `audit_prune` removes older rows on the operator's order and refuses anything younger.

The chain stays verifiable: the chain head records the last removed row's number and hash, and
`audit_verify` starts from there. On PostgreSQL the append-only trigger lets a DELETE through only
inside this function's transaction (SET LOCAL lianqing.audit_prune), never an UPDATE.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.audit import _locked_chain_head, audit_record
from lianqing.core.models import AuditAction, AuditChainHead, AuditEvent


class AuditRetentionError(Exception):
    """A prune the retention policy forbids; the message is for the operator."""


def audit_prune(*, older_than_days: int, now: datetime | None = None) -> int:
    """Remove the rows older than `older_than_days` (never the chain's last row); returns how many.
    Refuses a period shorter than the retention period."""
    if older_than_days < settings.AUDIT_RETENTION_DAYS:
        raise AuditRetentionError(
            _("审计日志至少保存 %(keep)d 天，不能删除 %(days)d 天以内的记录")
            % {"keep": settings.AUDIT_RETENTION_DAYS, "days": older_than_days}
        )
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    with transaction.atomic():
        head = _locked_chain_head()
        last = (
            AuditEvent.objects.filter(created_at__lt=cutoff, seq__lt=head.last_seq)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        if last is None:
            return 0
        seq, row_hash = last
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lianqing.audit_prune = 'on'")
        removed, _by_model = AuditEvent.objects.filter(seq__lte=seq).delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lianqing.audit_prune = 'off'")
        AuditChainHead.objects.filter(pk=1).update(pruned_seq=seq, pruned_hash=row_hash)
        audit_record(
            action=AuditAction.DELETE,
            object_type="core.auditevent",
            details={
                "step": "retention_prune",
                "up_to_seq": seq,
                "rows": removed,
                "older_than_days": older_than_days,
            },
        )
    return removed
