"""The national (国密) algorithms: SM3, HMAC-SM3, PBKDF2-SM3, SM4-GCM, SM2 encryption and signatures.

SM3 and SM4 come from `cryptography` (OpenSSL). SM2 comes from `gmssl` (pure Python), used only
for its curve arithmetic (`CryptSM2._kg`, the scalar multiplication): its own `encrypt` draws the
ephemeral scalar from `random` and its `decrypt` does not check C3, so both are done here instead,
following GB/T 32918.4 (C1 || C3 || C2, KDF = SM3 in the X9.63 construction, C1 checked on the
curve, C3 compared in constant time). Every scalar comes from `secrets`. Signatures are
SM2-with-SM3 (GB/T 32918.2, Z computed with the default ID 1234567812345678).
"""

from __future__ import annotations

import hmac as std_hmac
import secrets
from dataclasses import dataclass
from functools import cached_property

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as c_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF
from gmssl import sm2 as gm_sm2

SM4_KEY_BYTES = 16
GCM_NONCE_BYTES = 12
GCM_TAG_BYTES = 16
SM2_PRIVATE_BYTES = 32
SM2_PUBLIC_BYTES = 64  # x || y, without the 0x04 prefix

_TABLE = gm_sm2.default_ecc_table
_P = int(_TABLE["p"], 16)
_A = int(_TABLE["a"], 16)
_B = int(_TABLE["b"], 16)
_N = int(_TABLE["n"], 16)
_G = _TABLE["g"]


class GmError(ValueError):
    """A ciphertext, key or signature that does not hold (wrong key or damaged data)."""


def sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    mac = c_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def pbkdf2_sm3(password: bytes, salt: bytes, iterations: int, length: int = 32) -> bytes:
    return PBKDF2HMAC(hashes.SM3(), length, salt, iterations).derive(password)


def sm4_key_new() -> bytes:
    return secrets.token_bytes(SM4_KEY_BYTES)


def sm4gcm_encrypt(key: bytes, data: bytes, associated: bytes = b"") -> bytes:
    """nonce (12) || ciphertext || tag (16)."""
    nonce = secrets.token_bytes(GCM_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    if associated:
        encryptor.authenticate_additional_data(associated)
    body = encryptor.update(data) + encryptor.finalize()
    return nonce + body + encryptor.tag


def sm4gcm_decrypt(key: bytes, box: bytes, associated: bytes = b"") -> bytes:
    if len(box) < GCM_NONCE_BYTES + GCM_TAG_BYTES:
        raise GmError("short SM4-GCM box")
    nonce, body, tag = box[:GCM_NONCE_BYTES], box[GCM_NONCE_BYTES:-GCM_TAG_BYTES], box[-GCM_TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    if associated:
        decryptor.authenticate_additional_data(associated)
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise GmError("SM4-GCM tag mismatch") from None


def _on_curve(point_hex: str) -> bool:
    if len(point_hex) != 2 * SM2_PUBLIC_BYTES:
        return False
    x, y = int(point_hex[:64], 16), int(point_hex[64:], 16)
    if not (0 <= x < _P and 0 <= y < _P):
        return False
    return (y * y - (x * x * x + _A * x + _B)) % _P == 0


def _scalar() -> int:
    return secrets.randbelow(_N - 1) + 1


def _curve(private_hex: str, public_hex: str) -> gm_sm2.CryptSM2:
    """gmssl's SM2 object. The public key is set after construction: its constructor strips a
    "04" prefix with `lstrip("04")`, which also eats the key's own leading 0 and 4 digits (one
    key in 256 begins with "04")."""
    curve = gm_sm2.CryptSM2(private_key=private_hex, public_key="11" * SM2_PUBLIC_BYTES)
    curve.public_key = public_hex
    return curve


def _mul(k: int, point_hex: str) -> str:
    # gmssl's scalar multiplication; the curve object needs no key for it.
    result: str = _curve("", "00" * SM2_PUBLIC_BYTES)._kg(k, point_hex)
    return result


@dataclass(frozen=True)
class Sm2PublicKey:
    raw: bytes  # 64 bytes: x || y

    def __post_init__(self) -> None:
        if not _on_curve(self.raw.hex()):
            raise GmError("not a point of the SM2 curve")

    def __bytes__(self) -> bytes:
        return self.raw


@dataclass(frozen=True)
class Sm2PrivateKey:
    raw: bytes  # 32 bytes, big-endian d in [1, n-2]

    @classmethod
    def generate(cls) -> Sm2PrivateKey:
        return cls((secrets.randbelow(_N - 2) + 1).to_bytes(SM2_PRIVATE_BYTES, "big"))

    def __post_init__(self) -> None:
        d = int.from_bytes(self.raw, "big")
        if len(self.raw) != SM2_PRIVATE_BYTES or not 1 <= d <= _N - 2:
            raise GmError("not an SM2 private key")

    def __bytes__(self) -> bytes:
        return self.raw

    @cached_property  # a point multiplication: computed once per key object
    def public_key(self) -> Sm2PublicKey:
        return Sm2PublicKey(bytes.fromhex(_mul(int.from_bytes(self.raw, "big"), _G)))


def _kdf(shared: bytes, length: int) -> bytes:
    return X963KDF(hashes.SM3(), length, None).derive(shared)


def sm2_encrypt(public_key: bytes, data: bytes) -> bytes:
    """GB/T 32918.4 public-key encryption: C1 (64) || C3 (32) || C2 (len(data))."""
    point = Sm2PublicKey(bytes(public_key)).raw.hex()
    while True:
        k = _scalar()
        c1 = bytes.fromhex(_mul(k, _G))
        shared = bytes.fromhex(_mul(k, point))
        t = _kdf(shared, len(data))
        if any(t):
            break
    c2 = bytes(a ^ b for a, b in zip(data, t, strict=True))
    c3 = sm3(shared[:32] + data + shared[32:])
    return c1 + c3 + c2


def sm2_decrypt(private_key: Sm2PrivateKey, box: bytes) -> bytes:
    if len(box) < SM2_PUBLIC_BYTES + 32:
        raise GmError("short SM2 ciphertext")
    c1, c3, c2 = box[:SM2_PUBLIC_BYTES], box[SM2_PUBLIC_BYTES : SM2_PUBLIC_BYTES + 32], box[96:]
    if not _on_curve(c1.hex()):
        raise GmError("C1 is not on the SM2 curve")
    shared = bytes.fromhex(_mul(int.from_bytes(private_key.raw, "big"), c1.hex()))
    t = _kdf(shared, len(c2))
    data = bytes(a ^ b for a, b in zip(c2, t, strict=True))
    if not std_hmac.compare_digest(sm3(shared[:32] + data + shared[32:]), c3):
        raise GmError("SM2 C3 mismatch")
    return data


def envelope_seal(public_key: bytes, data: bytes) -> bytes:
    """Hybrid sealing to an SM2 public key: SM2(SM4 key) (112 bytes) || SM4-GCM(data)."""
    key = sm4_key_new()
    return sm2_encrypt(public_key, key) + sm4gcm_encrypt(key, data)


ENVELOPE_KEY_BYTES = SM2_PUBLIC_BYTES + 32 + SM4_KEY_BYTES


def envelope_open(private_key: Sm2PrivateKey, box: bytes) -> bytes:
    key = sm2_decrypt(private_key, box[:ENVELOPE_KEY_BYTES])
    return sm4gcm_decrypt(key, box[ENVELOPE_KEY_BYTES:])


def sm2_sign(private_key: Sm2PrivateKey, data: bytes) -> bytes:
    """SM2-with-SM3 signature r || s (64 bytes)."""
    signer = _curve(private_key.raw.hex(), private_key.public_key.raw.hex())
    while True:
        signature = signer.sign_with_sm3(data, f"{_scalar():064x}")
        if signature:
            return bytes.fromhex(signature)


def sm2_verify(public_key: bytes, data: bytes, signature: bytes) -> bool:
    point = bytes(public_key)
    if len(signature) != 64 or not _on_curve(point.hex()):
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (1 <= r < _N and 1 <= s < _N):
        return False
    verifier = _curve("", point.hex())
    return bool(verifier.verify_with_sm3(signature.hex(), data))


def sm2_key_from_secret(secret: bytes, purpose: bytes) -> Sm2PrivateKey:
    """A deterministic SM2 key derived from a secret (SM3 KDF, reduced into [1, n-2])."""
    d = int.from_bytes(_kdf(secret + b"|" + purpose, 40), "big") % (_N - 2) + 1
    return Sm2PrivateKey(d.to_bytes(SM2_PRIVATE_BYTES, "big"))
