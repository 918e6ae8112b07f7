"""Receipt codes: 16 digits shown once to the reporter, stored only as a slow hash.

A code is a 7-digit lookup part and a 9-digit secret part. The database keeps an HMAC of the
lookup part (indexed, to find the row: HMAC-SHA256, or HMAC-SM3 under LIANQING_CRYPTO=sm; a
lookup tries both, so codes issued before a switch still find their report) and the argon2id
hash of the whole code (PBKDF2-SM3, `pbkdf2_sm3$...`, when LIANQING_PASSPHRASE_KDF=pbkdf2-sm3;
verification follows the stored hash's own prefix). Verifying a
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

from lianqing.core import gm

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


PBKDF2_SM3_PREFIX = "pbkdf2_sm3$"
# PBKDF2-SM3 iterations for a receipt: about the argon2id setting's time on one core.
RECEIPT_PBKDF2_ITERATIONS = 60_000


def _lookup_sha256(code: str) -> str:
    key = hashlib.sha256(("intake.receipt:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, code[:LOOKUP_DIGITS].encode(), hashlib.sha256).hexdigest()


def _lookup_sm3(code: str) -> str:
    key = gm.sm3(("intake.receipt.sm3:" + settings.SECRET_KEY).encode())
    return gm.hmac_sm3(key, code[:LOOKUP_DIGITS].encode()).hex()


def receipt_lookup_digest(code: str) -> str:
    """The indexed lookup value a new report stores, in the configured suite."""
    if getattr(settings, "CRYPTO_SUITE", "sodium") == "sm":
        return _lookup_sm3(code)
    return _lookup_sha256(code)


def receipt_lookup_candidates(code: str) -> list[str]:
    """Every lookup value a report with this code may carry (either suite)."""
    return [_lookup_sha256(code), _lookup_sm3(code)]


def _pbkdf2_sm3_hash(code: str, salt: bytes, iterations: int) -> str:
    derived = gm.pbkdf2_sm3(code.encode(), salt, iterations)
    return f"{PBKDF2_SM3_PREFIX}{iterations}${salt.hex()}${derived.hex()}"


def receipt_hash(code: str) -> str:
    if getattr(settings, "PASSPHRASE_KDF", "argon2id") == "pbkdf2-sm3":
        return _pbkdf2_sm3_hash(code, secrets.token_bytes(16), RECEIPT_PBKDF2_ITERATIONS)
    return RECEIPT_HASHER.hash(code)


def _pbkdf2_sm3_verify(stored: str, code: str) -> bool:
    try:
        iterations, salt, _digest = stored[len(PBKDF2_SM3_PREFIX) :].split("$")
        expected = _pbkdf2_sm3_hash(code, bytes.fromhex(salt), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(expected, stored)


@cache
def _dummy_hash() -> str:
    return RECEIPT_HASHER.hash(secrets.token_hex(8))


@cache
def _dummy_pbkdf2_sm3_hash() -> str:
    return _pbkdf2_sm3_hash(secrets.token_hex(8), secrets.token_bytes(16), RECEIPT_PBKDF2_ITERATIONS)


def receipt_verify(stored_hash: str | None, code: str | None) -> bool:
    """True when `code` matches `stored_hash`; the same argon2 work either way."""
    candidate = code or "0" * CODE_DIGITS
    if stored_hash is None and getattr(settings, "PASSPHRASE_KDF", "argon2id") == "pbkdf2-sm3":
        stored_hash = _dummy_pbkdf2_sm3_hash()  # the same work as a real row's; never matches below
        code = None
    if stored_hash is not None and stored_hash.startswith(PBKDF2_SM3_PREFIX):
        return _pbkdf2_sm3_verify(stored_hash, candidate) and code is not None
    try:
        return (
            RECEIPT_HASHER.verify(stored_hash or _dummy_hash(), candidate)
            and stored_hash is not None
            and code is not None
        )
    except (VerificationError, InvalidHashError):
        return False
