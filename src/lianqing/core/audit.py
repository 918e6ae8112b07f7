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
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from lianqing.core import gm
from lianqing.core.audit_copy import (
    BLAKE2B_COPY,
    COPY_ALGORITHMS,
    COPY_COLUMNS,
    SM3_COPY,
    copy_hash,
    copy_line,
)
from lianqing.core.audit_export import audit_sink_emit
from lianqing.core.audit_key import AuditKey, audit_key_get
from lianqing.core.models import AuditAction, AuditChainHead, AuditEvent, User
from lianqing.core.network import client_address
from lianqing.core.rows import row_insert_with

GENESIS_HASH = "0" * 64
SHA256 = "sha256"
SM3 = "sm3"


def chain_algorithm() -> str:
    """The hash family of the chain's checkpoints and heads now: SM3 under LIANQING_CRYPTO=sm,
    else SHA-256."""
    return SM3 if getattr(settings, "CRYPTO_SUITE", "sodium") == "sm" else SHA256


def row_algorithm() -> str:
    """The hash of rows written now: the COPY form (core.audit_copy), keyed BLAKE2b, or HMAC-SM3
    under LIANQING_CRYPTO=sm. Rows written under "sha256" and "sm3" keep verifying as they were."""
    return SM3_COPY if chain_algorithm() == SM3 else BLAKE2B_COPY


def canonical_content(
    *,
    seq: int,
    created_iso: str,
    actor_id: int | None,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    details: Any,
    ip_address: str | None,
    prev_hash: str,
    time_source: str,
) -> bytes:
    """The bytes a row's hash covers. Never change this form: every stored row is checked with it."""
    content = [
        seq,
        created_iso,
        actor_id,
        actor_username,
        action,
        object_type,
        object_id,
        details,
        ip_address,
        prev_hash,
    ]
    if time_source:  # rows written before the column existed hash as they did then
        content.append(time_source)
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def content_hash(canonical: bytes, *, seq: int, algorithm: str, key: AuditKey) -> str:
    if algorithm in COPY_ALGORITHMS:
        return copy_hash(canonical, algorithm=algorithm, secret=key.secret if seq >= key.from_seq else None)
    if algorithm == SM3:
        if seq < key.from_seq:
            return gm.sm3(canonical).hex()
        return gm.hmac_sm3(key.secret, canonical).hex()
    if seq < key.from_seq:  # written before the installation had a key: plain SHA-256
        return hashlib.sha256(canonical).hexdigest()
    return hmac.digest(key.secret, canonical, "sha256").hex()


def row_canonical(algorithm: str, fields: dict[str, Any]) -> bytes:
    """The bytes a row's hash covers, in the form its algorithm names; `fields` holds the row's
    COPY_COLUMNS. Writing a row and checking it both build them here."""
    if algorithm in COPY_ALGORITHMS:
        return copy_line(**fields)
    legacy = {name: value for name, value in fields.items() if name != "created_at"}
    return canonical_content(created_iso=iso_utc(fields["created_at"]), **legacy)


def _row_hash(event: AuditEvent, key: AuditKey) -> str:
    fields = {name: getattr(event, name) for name in COPY_COLUMNS}
    canonical = row_canonical(event.hash_algorithm, fields)
    return content_hash(canonical, seq=event.seq, algorithm=event.hash_algorithm, key=key)


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


_TIP = "SELECT last_seq, last_hash FROM core_auditchainhead WHERE id = 1"
_TIP_MOVE = "UPDATE core_auditchainhead SET last_seq = %s, last_hash = %s WHERE id = 1"


def _locked_chain_tip() -> tuple[int, str]:
    """(last seq, last hash) of the chain, its row locked to the end of the transaction (SQLite
    has no row locks: its writers are serialised whole). Plain SQL: every audited action runs it."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(_TIP + lock)
        row = cursor.fetchone()
        if row is None:
            head = _locked_chain_head()
            return head.last_seq, head.last_hash
        return int(row[0]), str(row[1])


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
        last_seq, last_hash = _locked_chain_tip()
        key = audit_key_get()
        event = AuditEvent(
            seq=last_seq + 1,
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
            prev_hash=last_hash,
            hash_algorithm=row_algorithm(),
        )
        # Hash the address as the column will hold it (an IPv6 address is stored compressed).
        event.ip_address = AuditEvent._meta.get_field("ip_address").get_prep_value(event.ip_address)
        event.hash = _row_hash(event, key)
        row_insert_with(event, _TIP_MOVE, [event.seq, event.hash])  # the row and the tip: one statement
        transaction.on_commit(lambda: audit_sink_emit(event))
    return event


@dataclass(frozen=True)
class VerifyResult:
    rows_checked: int
    broken_seq: int | None = None
    reason: str = ""
    rows_in_chain: int = 0  # the rows the chain holds (after any retention prune)

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def audit_verify(*, full: bool = False, chunk_size: int = 5000, check_heads: bool = True) -> VerifyResult:
    """Check the chain from the last verified row (or from its start with `full`) and every
    exported head; report the first row whose link or content does not hold (core.audit_check)."""
    from lianqing.core.audit_check import chain_verify  # it builds on this module

    return chain_verify(full=full, chunk_size=chunk_size, check_heads=check_heads)
