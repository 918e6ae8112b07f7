"""Receipt codes: 16 digits shown once to the reporter, stored only as a slow hash.

A code is a 7-digit lookup part and a 9-digit secret part. The database keeps an HMAC of the
lookup part (indexed, to find the row) and the argon2id hash of the whole code. Verifying a
code always costs one argon2 verification, also when no row matches, so the answer time does
not tell whether a lookup part exists.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from django.conf import settings

CODE_DIGITS = 16
LOOKUP_DIGITS = 7

# OWASP Password Storage Cheat Sheet, minimum argon2id configuration: 19 MiB, 2 iterations, 1 lane.
RECEIPT_HASHER = PasswordHasher(
    time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16, type=Type.ID
)


@dataclass(frozen=True)
class Receipt:
    code: str

    @property
    def lookup(self) -> str:
        return self.code[:LOOKUP_DIGITS]

    @property
    def grouped(self) -> str:
        return receipt_grouped(self.code)


def receipt_new() -> Receipt:
    return Receipt("".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS)))


def receipt_grouped(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def receipt_normalise(text: str) -> str | None:
    """The 16 digits of what the reporter typed (spaces, dashes, full-width digits allowed), or None."""
    digits = "".join(unicodedata.normalize("NFKC", ch) for ch in text if not ch.isspace() and ch not in "-—_")
    if len(digits) != CODE_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def receipt_lookup_digest(code: str) -> str:
    key = hashlib.sha256(("intake.receipt:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, code[:LOOKUP_DIGITS].encode(), hashlib.sha256).hexdigest()


def receipt_hash(code: str) -> str:
    return RECEIPT_HASHER.hash(code)


@cache
def _dummy_hash() -> str:
    return RECEIPT_HASHER.hash(secrets.token_hex(8))


def receipt_verify(stored_hash: str | None, code: str | None) -> bool:
    """True when `code` matches `stored_hash`; the same argon2 work either way."""
    candidate = code or "0" * CODE_DIGITS
    try:
        return (
            RECEIPT_HASHER.verify(stored_hash or _dummy_hash(), candidate)
            and stored_hash is not None
            and code is not None
        )
    except (VerificationError, InvalidHashError):
        return False
