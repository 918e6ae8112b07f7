"""Verifying the audit chain: incrementally from the last verified row, or in full.

A verify walks the rows from a starting point (the chain's start, the retention prune point, or
the checkpoint the last successful verify left) up to the head as it was when the verify began,
so rows appended meanwhile wait for the next run. The checkpoint (seq and hash of the last row
found intact) is stored on the chain head with a MAC under the audit key: whoever can only write
the database cannot move it past rows they changed. A row changed *before* the checkpoint is
found by `audit verify --full`, which ignores the checkpoint (and the weekly task runs it).

On PostgreSQL the rows are streamed with COPY and each line hashed as it arrives
(core.audit_stream: rows of the COPY form, core.audit_copy); blocks it cannot vouch for are walked
here in Python. With AUDIT_VERIFY_IN_DATABASE (opt-in) they are checked inside the database instead, in ranges of `RANGE_ROWS`, several at once
(each row carries the previous hash, so ranges are independent; one link is checked at each
boundary): the canonical form and HMAC-SHA256 are computed in SQL. Any row SQL cannot vouch for
(SM3 rows, nested details, numbers that print differently) is checked again in Python, which
alone decides that a row is broken. A match in SQL is proof enough: it means the HMAC of the
bytes built from the row equals the stored one.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core import gm
from lianqing.core.audit import (
    GENESIS_HASH,
    SM3,
    VerifyResult,
    chain_algorithm,
    content_hash,
    row_algorithm,
    row_canonical,
)
from lianqing.core.audit_copy import COPY_COLUMNS
from lianqing.core.audit_key import AuditKey, audit_key_get
from lianqing.core.models import AuditChainHead, AuditEvent

RANGE_ROWS = 250_000  # small enough that a day's new rows still fill both workers
SUSPECTS_PER_RANGE = 1000  # more rows than this SQL cannot vouch for: the range is walked in Python
FIELDS = (*COPY_COLUMNS, "hash", "hash_algorithm")


@dataclass(frozen=True)
class _Broken:
    seq: int
    reason: str


def checkpoint_mac(key: AuditKey, seq: int, row_hash: str) -> str:
    message = f"audit-checkpoint:{seq}:{row_hash}".encode()
    if chain_algorithm() == SM3:
        return gm.hmac_sm3(key.secret, message).hex()
    return hmac.digest(key.secret, message, "sha256").hex()


def chain_verify(*, full: bool = False, chunk_size: int = 5000, check_heads: bool = True) -> VerifyResult:
    key = audit_key_get()
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead()
    # Rows up to pruned_seq were removed after their retention period (core.audit_retention).
    start_seq = head.pruned_seq + 1
    prev = head.pruned_hash if head.pruned_seq else GENESIS_HASH
    if not full and _checkpoint_holds(head, key):
        stored = AuditEvent.objects.filter(seq=head.verified_seq).values_list("hash", flat=True).first()
        if stored != head.verified_hash:
            return VerifyResult(
                0,
                head.verified_seq,
                _("上次校验完好的第 %(seq)d 条记录被修改或删除") % {"seq": head.verified_seq},
            )
        start_seq, prev = head.verified_seq + 1, head.verified_hash
    last_seq, last_hash = head.last_seq, head.last_hash  # rows appended from now on wait for the next run
    broken = _walk(start_seq, prev, last_seq, key, chunk_size)
    if broken is not None:
        return VerifyResult(broken.seq - start_seq, broken.seq, broken.reason)
    checked = last_seq - start_seq + 1
    end_hash = prev if last_seq < start_seq else _hash_at(last_seq)
    if end_hash != last_hash:
        return VerifyResult(checked, last_seq + 1, _("链尾记录缺失或被删除"))
    if check_heads:
        from lianqing.core.audit_heads import heads_check

        problem = heads_check(key=key, last_seq=last_seq, pruned_seq=head.pruned_seq)
        if problem is not None:
            return VerifyResult(checked, problem[0], problem[1])
    if last_seq > head.pruned_seq:  # never backwards, should two verifies overlap
        AuditChainHead.objects.filter(pk=1, verified_seq__lt=last_seq).update(
            verified_seq=last_seq,
            verified_hash=last_hash,
            verified_mac=checkpoint_mac(key, last_seq, last_hash),
            verified_at=timezone.now(),
        )
    return VerifyResult(checked, rows_in_chain=last_seq - head.pruned_seq)


def _checkpoint_holds(head: AuditChainHead, key: AuditKey) -> bool:
    """A checkpoint after the prune point whose MAC holds. One that does not (forged, or written
    under another suite's key) is ignored: the walk starts from the beginning."""
    if head.verified_seq <= head.pruned_seq or not head.verified_mac:
        return False
    return hmac.compare_digest(head.verified_mac, checkpoint_mac(key, head.verified_seq, head.verified_hash))


def _hash_at(seq: int) -> str | None:
    return AuditEvent.objects.filter(seq=seq).values_list("hash", flat=True).first()


def _walk(first: int, prev: str, last: int, key: AuditKey, chunk_size: int) -> _Broken | None:
    if last < first:
        return None
    if connection.vendor != "postgresql":
        return _walk_python(first, prev, last, key, chunk_size)
    if settings.AUDIT_VERIFY_IN_DATABASE:
        return _walk_in_database(first, prev, last, key, chunk_size)
    return _walk_streamed(first, prev, last, key, chunk_size)


def _walk_streamed(first: int, prev: str, last: int, key: AuditKey, chunk_size: int) -> _Broken | None:
    """Rows before the key in Python; the keyed ones streamed with COPY (core.audit_stream)."""
    from lianqing.core.audit_stream import stream_verify

    if first < key.from_seq:
        unkeyed_last = min(last, key.from_seq - 1)
        broken = _walk_python(first, prev, unkeyed_last, key, chunk_size)
        if broken is not None or unkeyed_last == last:
            return broken
        first, prev = unkeyed_last + 1, _hash_at(unkeyed_last) or ""
    return stream_verify(
        first,
        prev,
        last,
        algorithm=row_algorithm(),
        secret=key.secret,
        recheck=lambda a, before, b: _walk_python(a, before, b, key, chunk_size),
    )


def _rows(first: int, last: int, chunk_size: int) -> Iterator[tuple[Any, ...]]:
    rows = AuditEvent.objects.filter(seq__gte=first, seq__lte=last).order_by("seq").values_list(*FIELDS)
    return rows.iterator(chunk_size=chunk_size)


def _walk_python(first: int, prev: str, last: int, key: AuditKey, chunk_size: int) -> _Broken | None:
    """Check rows first..last in order: each present, linked to the one before, content intact."""
    expected = first
    for row in _rows(first, last, chunk_size):
        *values, stored, algo = row
        fields = dict(zip(COPY_COLUMNS, values, strict=True))
        seq = fields["seq"]
        if seq != expected:
            return _Broken(expected, _("缺少第 %(seq)d 条记录") % {"seq": expected})
        if fields["prev_hash"] != prev:
            return _Broken(seq, _("与上一条记录的链接断开"))
        canonical = row_canonical(algo, fields)
        if content_hash(canonical, seq=seq, algorithm=algo, key=key) != stored:
            return _Broken(seq, _("记录内容被修改"))
        prev = stored
        expected += 1
    if expected <= last:
        return _Broken(expected, _("缺少第 %(seq)d 条记录") % {"seq": expected})
    return None


# The canonical form of core.audit.canonical_content, built in SQL. `details` is handled two
# levels deep (an object whose values are scalars, or arrays/objects of scalars); anything else
# gives NULL, and the row goes to Python.
_SCALAR = "jsonb_typeof({0}) NOT IN ('object', 'array')"
_INNER = (
    "CASE jsonb_typeof(v)"
    " WHEN 'array' THEN (SELECT CASE WHEN bool_and(" + _SCALAR.format("x") + ") IS NOT FALSE"
    " THEN '[' || coalesce(string_agg(x::text, ',' ORDER BY n), '') || ']' END"
    " FROM jsonb_array_elements(v) WITH ORDINALITY AS a(x, n))"
    " WHEN 'object' THEN (SELECT CASE WHEN bool_and(" + _SCALAR.format("x") + ") IS NOT FALSE"
    " THEN '{' || coalesce(string_agg(to_json(j)::text || ':' || x::text, ',' ORDER BY j COLLATE \"C\"), '')"
    " || '}' END FROM jsonb_each(v) AS o(j, x))"
    " ELSE v::text END"
)
_DETAILS = (
    "CASE WHEN details = '{}'::jsonb THEN '{}' WHEN jsonb_typeof(details) = 'object' THEN"
    " (SELECT CASE WHEN count(*) = count(part) THEN '{' || string_agg(part, ',' ORDER BY k COLLATE \"C\") || '}' END"
    " FROM (SELECT k, to_json(k)::text || ':' || ("
    + _INNER
    + ") AS part FROM jsonb_each(details) AS e(k, v)) AS p)"
    " END"
)
_CANONICAL = (
    "convert_to('[' || seq::text"
    " || ',\"' || to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"') || '\"'"
    " || ',' || coalesce(actor_id::text, 'null') || ',' || to_json(actor_username)::text"
    " || ',' || to_json(action)::text || ',' || to_json(object_type)::text || ',' || to_json(object_id)::text"
    " || ',' || (" + _DETAILS + ") || ',' || coalesce(to_json(ip_address)::text, 'null')"
    " || ',' || to_json(prev_hash)::text"
    " || CASE WHEN time_source <> '' THEN ',' || to_json(time_source)::text ELSE '' END || ']', 'UTF8')"
)
# Rows SQL cannot vouch for: a digest that differs (or is NULL: SM3, deep details), a gap, a
# link that does not hold. Their seq and the seq before them, in order.
_SUSPECTS = (
    "SELECT seq, before_seq FROM ("
    " SELECT seq, prev_hash, hash, lag(seq) OVER w AS before_seq, lag(hash) OVER w AS before_hash,"
    "  CASE WHEN hash_algorithm = 'sha256' THEN encode(CASE WHEN seq >= %(from_seq)s"
    "   THEN sha256(%(outer)s || sha256(%(inner)s || msg)) ELSE sha256(msg) END, 'hex') END AS computed"
    " FROM (SELECT e.*, " + _CANONICAL + " AS msg FROM core_auditevent e"
    "  WHERE seq BETWEEN %(first)s AND %(last)s) AS rows WINDOW w AS (ORDER BY seq)) AS checked"
    " WHERE computed IS DISTINCT FROM hash"
    "  OR (before_seq IS NOT NULL AND (seq <> before_seq + 1 OR prev_hash <> before_hash))"
    " ORDER BY seq LIMIT %(limit)s"
)


def _hmac_pads(secret: bytes) -> tuple[bytes, bytes]:
    """HMAC-SHA256 as two SHA-256 passes (RFC 2104), so PostgreSQL's built-in sha256() computes it."""
    block = (hashlib.sha256(secret).digest() if len(secret) > 64 else secret).ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in block), bytes(b ^ 0x5C for b in block)


@dataclass(frozen=True)
class _Range:
    first: int
    last: int
    suspects: list[tuple[int, int | None]]
    bounds: dict[int, tuple[str, str]]  # seq -> (prev_hash, hash) of the range's first and last rows


def _check_range(first: int, last: int, key: AuditKey, *, own_connection: bool) -> _Range:
    inner, outer = _hmac_pads(key.secret)
    params: dict[str, int | bytes] = {
        "first": first,
        "last": last,
        "from_seq": key.from_seq,
        "inner": inner,
        "outer": outer,
        "limit": SUSPECTS_PER_RANGE + 1,
    }
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # The plan's cost estimate (a subquery per row) switches the JIT on, whose compile
            # costs seconds and whose code runs slower here than the interpreter (measured).
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(_SUSPECTS, params)
            suspects = [(int(seq), before) for seq, before in cursor.fetchall()]
            cursor.execute(
                "SELECT seq, prev_hash, hash FROM core_auditevent WHERE seq IN (%s, %s)", [first, last]
            )
            bounds = {int(seq): (prev_hash, row_hash) for seq, prev_hash, row_hash in cursor.fetchall()}
    finally:
        if own_connection:
            connection.close()
    return _Range(first, last, suspects, bounds)


def _walk_in_database(first: int, prev: str, last: int, key: AuditKey, chunk_size: int) -> _Broken | None:
    starts = range(first, last + 1, RANGE_ROWS)
    spans = [(start, min(start + RANGE_ROWS - 1, last)) for start in starts]
    workers = max(1, min(settings.AUDIT_VERIFY_WORKERS, len(spans)))
    if workers == 1:  # on the caller's connection (and inside its transaction, as tests need)
        results: Iterator[_Range] = (_check_range(a, b, key, own_connection=False) for a, b in spans)
        return _settle(results, prev, key, chunk_size)
    pool = ThreadPoolExecutor(max_workers=workers)
    futures = [pool.submit(_check_range, a, b, key, own_connection=True) for a, b in spans]
    try:
        return _settle((future.result() for future in futures), prev, key, chunk_size)
    finally:
        pool.shutdown(cancel_futures=True)  # a break found early: the later ranges need not run


def _settle(results: Iterator[_Range], prev: str, key: AuditKey, chunk_size: int) -> _Broken | None:
    """Read the ranges' findings in order; Python has the last word on every suspect."""
    for found in results:
        head_row = found.bounds.get(found.first)
        if head_row is None or head_row[0] != prev:
            return _walk_python(found.first, prev, found.last, key, chunk_size)
        if len(found.suspects) > SUSPECTS_PER_RANGE:  # e.g. rows of the COPY form, which SQL leaves alone
            broken = _walk_streamed(found.first, prev, found.last, key, chunk_size)
            if broken is not None:
                return broken
        else:
            for seq, before in found.suspects:
                if before is None:  # the range's first row, whose link was checked above
                    broken = _walk_python(seq, prev, seq, key, chunk_size)
                elif seq != before + 1:
                    return _Broken(before + 1, _("缺少第 %(seq)d 条记录") % {"seq": before + 1})
                else:
                    broken = _walk_python(seq, _hash_at(before) or "", seq, key, chunk_size)
                if broken is not None:
                    return broken
        tail_row = found.bounds.get(found.last)
        if tail_row is None:
            return _walk_python(found.first, prev, found.last, key, chunk_size)
        prev = tail_row[1]
    return None
