"""The audit row's second canonical form: the line PostgreSQL's COPY prints for the row.

Rows written with `BLAKE2B_COPY` (or `SM3_COPY` under LIANQING_CRYPTO=sm) hash these bytes:

    COPY (SELECT seq, created_at, actor_id, actor_username, action, object_type, object_id,
                 details, ip_address, time_source, prev_hash FROM core_auditevent ...) TO STDOUT

in text format, session TimeZone UTC and DateStyle ISO, without the closing newline. So a full
verify on PostgreSQL streams the rows with COPY and hashes each line as it arrives, with no
per-field work in Python (core.audit_stream); SQLite, and any row the stream cannot vouch for,
rebuild the same bytes here from the row's values. The form, field by field:

- fields joined by a tab; NULL is `\\N`; in text, `\\`, backspace, form feed, newline, carriage
  return, tab and vertical tab are written `\\\\ \\b \\f \\n \\r \\t \\v` (COPY's text escaping);
- seq, actor_id: decimal; created_at: `YYYY-MM-DD HH:MM:SS[.ffffff without trailing zeros]+00`;
- details: jsonb's text: object keys ordered by byte length, then bytes, one entry per key,
  `", "` and `": "` between items, strings escaped as JSON with characters kept as they are, numbers
  in plain decimal notation (no exponent);
- ip_address: the address as stored (IPv6 compressed by the model field).

The hash is keyed with the audit key (core.audit_key), which never leaves this process: BLAKE2b-256
with the key as BLAKE2's own key, or HMAC-SM3. Rows before the key's `from_seq` (none are written
with this form, but the rule stays the same as for the older form) hash unkeyed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from lianqing.core import gm

BLAKE2B_COPY = "blake2b-copy"
SM3_COPY = "sm3-copy"
COPY_ALGORITHMS = (BLAKE2B_COPY, SM3_COPY)
COPY_COLUMNS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "details",
    "ip_address",
    "time_source",
    "prev_hash",
)
_PERSON = b"lianqing-audit"  # BLAKE2b personalisation: these hashes mean nothing elsewhere
_COPY_ESCAPES = str.maketrans(
    {"\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
)


def copy_text(value: str | None) -> str:
    return "\\N" if value is None else value.translate(_COPY_ESCAPES)


def pg_timestamptz(moment: datetime) -> str:
    """A timestamptz as PostgreSQL prints it in UTC with DateStyle ISO."""
    moment = moment.astimezone(UTC)
    text = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} {moment:%H:%M:%S}"
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "+00"


def _number(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")  # numeric prints 1e-07 as 0.0000001
    return text[1:] if text.startswith("-") and not value else text  # numeric has no -0


def _jsonb(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, list):
        return "[" + ", ".join(_jsonb(item) for item in value) + "]"
    keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
    return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {_jsonb(value[k])}" for k in keys) + "}"


def jsonb_text(value: Any) -> str:
    """`value` as PostgreSQL's jsonb prints it, after the JSON round trip the model field makes
    (keys become strings, the last of duplicate keys wins)."""
    return _jsonb(json.loads(json.dumps(value)))


def copy_line(
    *,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    details: Any,
    ip_address: str | None,
    time_source: str,
    prev_hash: str,
) -> bytes:
    """The row's canonical bytes under the COPY form (see the module's docstring)."""
    fields = (
        str(seq),
        pg_timestamptz(created_at),
        "\\N" if actor_id is None else str(actor_id),
        copy_text(actor_username),
        copy_text(action),
        copy_text(object_type),
        copy_text(object_id),
        copy_text(jsonb_text(details)),
        copy_text(ip_address),
        copy_text(time_source),
        copy_text(prev_hash),
    )
    return "\t".join(fields).encode()


class Hasher(Protocol):
    def copy(self) -> Hasher: ...
    def update(self, data: bytes | memoryview, /) -> None: ...
    def digest(self) -> bytes: ...


class _GmHmac:
    """HMAC-SM3 through the `cryptography` package, for an OpenSSL without SM3 in hashlib."""

    def __init__(self, key: bytes) -> None:
        self._key, self._parts = key, b""

    def copy(self) -> _GmHmac:
        twin = _GmHmac(self._key)
        twin._parts = self._parts
        return twin

    def update(self, data: bytes | memoryview, /) -> None:
        self._parts += bytes(data)

    def digest(self) -> bytes:
        return gm.hmac_sm3(self._key, self._parts)


def keyed_hasher(algorithm: str, secret: bytes) -> Hasher:
    """A fresh keyed hash for `algorithm`; `.copy()` it per row (cheaper than keying again)."""
    if algorithm == BLAKE2B_COPY:
        return hashlib.blake2b(key=secret, digest_size=32, person=_PERSON)
    if algorithm == SM3_COPY:
        if "sm3" in hashlib.algorithms_available:
            import hmac

            return hmac.new(secret, digestmod="sm3")  # type: ignore[return-value]
        return _GmHmac(secret)
    raise ValueError(algorithm)


def copy_hash(canonical: bytes, *, algorithm: str, secret: bytes | None) -> str:
    """The row hash under a COPY-form algorithm; `secret` None for rows before the key."""
    if secret is not None:
        hasher = keyed_hasher(algorithm, secret).copy()
        hasher.update(canonical)
        return hasher.digest().hex()
    plain: Callable[[bytes], bytes] = (
        gm.sm3
        if algorithm == SM3_COPY
        else lambda data: hashlib.blake2b(data, digest_size=32, person=_PERSON).digest()
    )
    return plain(canonical).hex()
