"""PBKDF2 with HMAC-SM3 for login passwords, chosen by the operator (LIANQING_PASSPHRASE_KDF=pbkdf2-sm3).

Stored as `pbkdf2_sm3$iterations$salt$hash` (base64); Django upgrades an older argon2id or
PBKDF2-SHA256 hash to this one at the person's next sign-in once it is first in PASSWORD_HASHERS.
"""

from __future__ import annotations

import base64
import hashlib

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from lianqing.core import gm


class PBKDF2SM3PasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sm3"
    iterations = 600_000
    digest = hashlib.sha256  # unused: encode() below derives with SM3

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        self._check_encode_args(password, salt)  # type: ignore[attr-defined]
        iterations = iterations or self.iterations
        derived = gm.pbkdf2_sm3(password.encode(), salt.encode(), iterations, 32)
        return f"{self.algorithm}${iterations}${salt}${base64.b64encode(derived).decode('ascii').strip()}"
