"""The audit log: append a hash-chained row; verify the chain.

Every service that changes an audited model, and every view of protected data, calls
`audit_record`. Rows are chained: each stores the previous row's hash and an HMAC of its own
content under a key kept outside the database (core.audit_key), so nobody who can only write the
database can delete a row and re-hash the tail. The chain's head is exported daily to a
write-once folder (core.audit_heads); `audit_verify` checks the chain and every exported head.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core import gm
from lianqing.core.audit_export import audit_sink_emit
from lianqing.core.audit_key import AuditKey, audit_key_get
from lianqing.core.models import AuditAction, AuditChainHead, AuditEvent, User
from lianqing.core.network import client_address

GENESIS_HASH = "0" * 64
SHA256 = "sha256"
SM3 = "sm3"


def chain_algorithm() -> str:
    """The hash family of rows written now: SM3 under LIANQING_CRYPTO=sm, else SHA-256."""
    return SM3 if getattr(settings, "CRYPTO_SUITE", "sodium") == "sm" else SHA256


def _row_hash(event: AuditEvent, key: AuditKey) -> str:
    content = [
        event.seq,
        event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        event.actor_id,
        event.actor_username,
        event.action,
        event.object_type,
        event.object_id,
        event.details,
        event.ip_address,
        event.prev_hash,
    ]
    if event.time_source:  # rows written before the column existed hash as they did then
        content.append(event.time_source)
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    if event.hash_algorithm == SM3:
        if event.seq < key.from_seq:
            return gm.sm3(canonical).hex()
        return gm.hmac_sm3(key.secret, canonical).hex()
    if event.seq < key.from_seq:  # written before the installation had a key: plain SHA-256
        return hashlib.sha256(canonical).hexdigest()
    return hmac.new(key.secret, canonical, hashlib.sha256).hexdigest()


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return client_address(request) or None


def _locked_chain_head() -> AuditChainHead:
    # The migration creates the row; a database flushed since (test teardown) gets it back here.
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def audit_record(
    *,
    action: AuditAction | str,
    actor: User | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one row to the chain, inside the caller's transaction if there is one."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user  # type: ignore[assignment]
    # No savepoint inside the caller's transaction (two statements fewer per row): a failure
    # here fails the caller's whole action, which must not happen unaudited anyway.
    with transaction.atomic(savepoint=False):
        head = _locked_chain_head()
        key = audit_key_get()
        event = AuditEvent(
            seq=head.last_seq + 1,
            created_at=timezone.now(),
            actor=actor,
            actor_username=actor.username if actor else "",
            action=str(action),
            object_type=object_type,
            object_id=object_id,
            details=details or {},
            # 等保: the time source of every row, as the operator declared it (LIANQING_TIME_SOURCE).
            time_source=settings.LIANQING_TIME_SOURCE,
            ip_address=client_ip(request),
            prev_hash=head.last_hash,
            hash_algorithm=chain_algorithm(),
        )
        event.hash = _row_hash(event, key)
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
        transaction.on_commit(lambda: audit_sink_emit(event))
    return event


@dataclass(frozen=True)
class VerifyResult:
    rows_checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def audit_verify(*, chunk_size: int = 5000, check_heads: bool = True) -> VerifyResult:
    """Walk the chain in order and report the first row whose link or content does not hold,
    then check that every exported head still matches the row it names."""
    key = audit_key_get()
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead()
    # Rows up to pruned_seq were removed after their retention period (core.audit_retention).
    expected_prev = head.pruned_hash if head.pruned_seq else GENESIS_HASH
    expected_seq = head.pruned_seq + 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return VerifyResult(checked, expected_seq, _("缺少第 %(seq)d 条记录") % {"seq": expected_seq})
        if event.prev_hash != expected_prev:
            return VerifyResult(checked, event.seq, _("与上一条记录的链接断开"))
        if _row_hash(event, key) != event.hash:
            return VerifyResult(checked, event.seq, _("记录内容被修改"))
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead()
    if head.last_seq != expected_seq - 1 or head.last_hash != expected_prev:
        return VerifyResult(checked, expected_seq, _("链尾记录缺失或被删除"))
    if check_heads:
        from lianqing.core.audit_heads import heads_check

        problem = heads_check(key=key, last_seq=expected_seq - 1, pruned_seq=head.pruned_seq)
        if problem is not None:
            return VerifyResult(checked, problem[0], problem[1])
    return VerifyResult(checked)
