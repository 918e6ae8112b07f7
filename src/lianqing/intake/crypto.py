"""Cryptographic primitives of the portal, each named by the algorithm tag stored beside its output.

Each report has its own key pair (`REPORT_KEYPAIR`). Its identity, attachments and file names
are sealed to the report's public key (`SEALED_BOX`: X25519 + XSalsa20-Poly1305), which stays in
the row so a reporter's later evidence can be added without anyone unlocking. The report's private
key (the "report key") is sealed to each recipient's public key (`SEALED_BOX`). A recipient's
private key is wrapped by a key derived from their own passphrase (`ARGON2ID_SECRETBOX`).
`LEGACY_COMMISSION` marks data still sealed to the old shared commission key pair (keys.py) until
`lianqing intake_keys migrate` re-encrypts it.

With `LIANQING_CRYPTO=sm` (settings.CRYPTO_SUITE) new objects use the national algorithms
(core.gm): the report's key pair is SM2 (`REPORT_KEYPAIR_SM2`), its contents are sealed to it as
SM2(SM4 key) + SM4-GCM (`SM2_ENVELOPE`), the report key goes to each recipient by SM2 encryption
(`SM2_ENCRYPT`) and a recipient's new key pair is SM2, wrapped with SM4-GCM under the passphrase
key (`ARGON2ID_SM4GCM`, or `PBKDF2_SM3_SM4GCM` when LIANQING_PASSPHRASE_KDF=pbkdf2-sm3). Reading
always follows the stored tag, so objects sealed under either suite stay readable after a switch.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from django.conf import settings
from django.utils.translation import gettext as _
from nacl.public import PrivateKey, PublicKey, SealedBox

from lianqing.core import gm
from lianqing.intake.errors import IntakeError

REPORT_KEYPAIR = "report-keypair-x25519"
SEALED_BOX = "nacl-sealedbox-x25519"
ARGON2ID_SECRETBOX = "argon2id-nacl-secretbox"
LEGACY_COMMISSION = "legacy-commission-sealedbox"
REPORT_KEYPAIR_SM2 = "report-keypair-sm2"
SM2_ENVELOPE = "sm2-sm4gcm"
SM2_ENCRYPT = "sm2-encrypt"
ARGON2ID_SM4GCM = "sm2-key/argon2id-sm4gcm"
PBKDF2_SM3_SM4GCM = "sm2-key/pbkdf2-sm3-sm4gcm"
SM_STAFF_KEYS = (ARGON2ID_SM4GCM, PBKDF2_SM3_SM4GCM)
# PBKDF2-SM3 iterations for a passphrase (stored per key in `opslimit`); tests use far fewer.
PBKDF2_SM3_ITERATIONS = 600_000
PBKDF2_SM3_ITERATIONS_INTERACTIVE = 10_000

AnyPrivateKey = PrivateKey | gm.Sm2PrivateKey

KEY_BYTES = nacl.secret.SecretBox.KEY_SIZE
# Identities and file names are padded to one of these lengths before encryption, so the stored
# length says nothing about how long a name was (beyond the rare value longer than the first one).
PAD_BUCKETS = (512, 2048, 8192)


@dataclass(frozen=True)
class KdfCost:
    opslimit: int
    memlimit: int


def kdf_cost() -> KdfCost:
    """argon2id cost of a passphrase: MODERATE (about 0.7 s, 256 MiB); tests set "interactive"."""
    if getattr(settings, "INTAKE_KDF_COST", "moderate") == "interactive":
        return KdfCost(nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE, nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE)
    return KdfCost(nacl.pwhash.argon2id.OPSLIMIT_MODERATE, nacl.pwhash.argon2id.MEMLIMIT_MODERATE)


def suite_is_sm() -> bool:
    return getattr(settings, "CRYPTO_SUITE", "sodium") == "sm"


def passphrase_kdf_is_pbkdf2_sm3() -> bool:
    return getattr(settings, "PASSPHRASE_KDF", "argon2id") == "pbkdf2-sm3"


def report_keypair_new() -> AnyPrivateKey:
    """A new report's key pair in the configured suite."""
    return gm.Sm2PrivateKey.generate() if suite_is_sm() else PrivateKey.generate()


def report_scheme_of(private_key: AnyPrivateKey) -> str:
    return REPORT_KEYPAIR_SM2 if isinstance(private_key, gm.Sm2PrivateKey) else REPORT_KEYPAIR


def report_scheme() -> str:
    """The key scheme a report created now gets."""
    return REPORT_KEYPAIR_SM2 if suite_is_sm() else REPORT_KEYPAIR


def content_algorithm(key_scheme: str) -> str:
    """How the identity, attachments and file names of a report of `key_scheme` are sealed."""
    return {REPORT_KEYPAIR_SM2: SM2_ENVELOPE, LEGACY_COMMISSION: LEGACY_COMMISSION}.get(
        key_scheme, SEALED_BOX
    )


def seal_content(key_scheme: str, public_key: bytes, data: bytes) -> bytes:
    """Seal to a report's own public key, by the report's scheme."""
    if key_scheme == REPORT_KEYPAIR_SM2:
        return gm.envelope_seal(public_key, data)
    return seal_to(public_key, data)


def report_private(key_scheme: str, raw: bytes) -> AnyPrivateKey:
    """A report's private key (as opened from a grant) as the object its scheme needs."""
    if key_scheme == REPORT_KEYPAIR_SM2:
        return gm.Sm2PrivateKey(bytes(raw))
    return PrivateKey(bytes(raw))


def staff_keypair_new() -> AnyPrivateKey:
    return gm.Sm2PrivateKey.generate() if suite_is_sm() else PrivateKey.generate()


def grant_algorithm(staff_key_algorithm: str) -> str:
    """How a report key is sealed to a recipient: by the kind of the recipient's own key."""
    return SM2_ENCRYPT if staff_key_algorithm in SM_STAFF_KEYS else SEALED_BOX


def seal_report_key(staff_key_algorithm: str, public_key: bytes, report_key: bytes) -> tuple[bytes, str]:
    """(sealed report key, its tag) for a recipient whose key is of `staff_key_algorithm`."""
    algorithm = grant_algorithm(staff_key_algorithm)
    if algorithm == SM2_ENCRYPT:
        return gm.sm2_encrypt(public_key, report_key), algorithm
    return seal_to(public_key, report_key), algorithm


def unseal(private_key: AnyPrivateKey, box: bytes, algorithm: str) -> bytes:
    """Open a sealed box by its stored tag; IntakeError when the key or the data do not match."""
    try:
        if algorithm == SM2_ENVELOPE and isinstance(private_key, gm.Sm2PrivateKey):
            return gm.envelope_open(private_key, bytes(box))
        if algorithm == SM2_ENCRYPT and isinstance(private_key, gm.Sm2PrivateKey):
            return gm.sm2_decrypt(private_key, bytes(box))
    except gm.GmError:
        raise IntakeError(_("无法解密：密钥不匹配或数据已损坏")) from None
    if algorithm in (SEALED_BOX, LEGACY_COMMISSION) and isinstance(private_key, PrivateKey):
        return unseal_with(private_key, box)
    raise IntakeError(_("无法解密：密钥不匹配或数据已损坏"))


def staff_key_wrap(private_key: AnyPrivateKey, passphrase: str) -> dict[str, object]:
    """The stored fields of a recipient's key pair wrapped under their passphrase."""
    salt = salt_new()
    if isinstance(private_key, gm.Sm2PrivateKey):
        if passphrase_kdf_is_pbkdf2_sm3():
            iterations = pbkdf2_sm3_iterations()
            wrapping = gm.pbkdf2_sm3(passphrase.encode(), salt, iterations, gm.SM4_KEY_BYTES)
            ops, mem, algorithm = iterations, 0, PBKDF2_SM3_SM4GCM
        else:
            cost = kdf_cost()
            wrapping = passphrase_key(passphrase, salt, cost)[: gm.SM4_KEY_BYTES]
            ops, mem, algorithm = cost.opslimit, cost.memlimit, ARGON2ID_SM4GCM
        wrapped = gm.sm4gcm_encrypt(wrapping, bytes(private_key), algorithm.encode())
    else:
        cost = kdf_cost()
        wrapped = secret_encrypt(passphrase_key(passphrase, salt, cost), bytes(private_key))
        ops, mem, algorithm = cost.opslimit, cost.memlimit, ARGON2ID_SECRETBOX
    return {
        "public_key": bytes(private_key.public_key),
        "wrapped_private_key": wrapped,
        "salt": salt,
        "opslimit": ops,
        "memlimit": mem,
        "algorithm": algorithm,
    }


def staff_key_unwrap(
    *, algorithm: str, wrapped: bytes, salt: bytes, opslimit: int, memlimit: int, passphrase: str
) -> AnyPrivateKey:
    """A recipient's private key; IntakeError when the passphrase is wrong."""
    if algorithm == PBKDF2_SM3_SM4GCM:
        wrapping = gm.pbkdf2_sm3(passphrase.encode(), salt, opslimit, gm.SM4_KEY_BYTES)
    else:
        wrapping = passphrase_key(passphrase, salt, KdfCost(opslimit, memlimit))
    if algorithm in SM_STAFF_KEYS:
        try:
            raw = gm.sm4gcm_decrypt(wrapping[: gm.SM4_KEY_BYTES], wrapped, algorithm.encode())
        except gm.GmError:
            raise IntakeError(_("无法解密：密钥不匹配或数据已损坏")) from None
        return gm.Sm2PrivateKey(raw)
    return PrivateKey(secret_decrypt(wrapping, wrapped))


def private_key_of(kind: str, raw: bytes) -> AnyPrivateKey:
    """Rebuild a private key from its kind ("sm2" or "x25519") and bytes."""
    return gm.Sm2PrivateKey(raw) if kind == "sm2" else PrivateKey(raw)


def kind_of(private_key: AnyPrivateKey) -> str:
    return "sm2" if isinstance(private_key, gm.Sm2PrivateKey) else "x25519"


RECEIPT_BOX_SM4 = b"sm4gcm:"  # the tag that starts a receipt box sealed under the SM suite


def receipt_box_seal(nonce: str, code: str) -> bytes:
    """The receipt code sealed with a key only the submitting client holds (its token's nonce)."""
    if suite_is_sm():
        key = gm.sm3(b"intake-receipt:" + nonce.encode())[: gm.SM4_KEY_BYTES]
        return RECEIPT_BOX_SM4 + gm.sm4gcm_encrypt(key, code.encode())
    key = hashlib.blake2b(nonce.encode(), digest_size=32, person=b"intake-receipt").digest()
    return secret_encrypt(key, code.encode())


def receipt_box_open(nonce: str, box: bytes) -> str:
    """The code in a receipt box of either suite; IntakeError when it does not open."""
    box = bytes(box)
    if box.startswith(RECEIPT_BOX_SM4):
        key = gm.sm3(b"intake-receipt:" + nonce.encode())[: gm.SM4_KEY_BYTES]
        try:
            return gm.sm4gcm_decrypt(key, box[len(RECEIPT_BOX_SM4) :]).decode()
        except (gm.GmError, UnicodeDecodeError):
            pass  # a libsodium box whose random nonce happens to start with the tag
    key = hashlib.blake2b(nonce.encode(), digest_size=32, person=b"intake-receipt").digest()
    try:
        return secret_decrypt(key, box).decode()
    except UnicodeDecodeError:
        raise IntakeError(_("无法解密：密钥不匹配或数据已损坏")) from None


def pbkdf2_sm3_iterations() -> int:
    if getattr(settings, "INTAKE_KDF_COST", "moderate") == "interactive":
        return PBKDF2_SM3_ITERATIONS_INTERACTIVE
    return PBKDF2_SM3_ITERATIONS


def pad(data: bytes) -> bytes:
    """ISO/IEC 7816-4 padding (0x80 then zeros) up to the next bucket."""
    largest = PAD_BUCKETS[-1]
    size = next((b for b in PAD_BUCKETS if len(data) < b), (len(data) // largest + 1) * largest)
    return data + b"\x80" + b"\x00" * (size - len(data) - 1)


def unpad(data: bytes) -> bytes:
    end = data.rstrip(b"\x00")
    if not end.endswith(b"\x80"):
        raise IntakeError(_("无法解密：数据已损坏"))
    return end[:-1]


def secret_encrypt(key: bytes, data: bytes) -> bytes:
    return bytes(nacl.secret.SecretBox(key).encrypt(data))


def secret_decrypt(key: bytes, box: bytes) -> bytes:
    try:
        return bytes(nacl.secret.SecretBox(key).decrypt(bytes(box)))
    except nacl.exceptions.CryptoError:
        raise IntakeError(_("无法解密：密钥不匹配或数据已损坏")) from None


def seal_to(public_key: bytes, data: bytes) -> bytes:
    return bytes(SealedBox(PublicKey(bytes(public_key))).encrypt(data))


def unseal_with(private_key: PrivateKey, box: bytes) -> bytes:
    """Open a libsodium sealed box (SEALED_BOX or LEGACY_COMMISSION)."""
    try:
        return bytes(SealedBox(private_key).decrypt(bytes(box)))
    except nacl.exceptions.CryptoError:
        raise IntakeError(_("无法解密：密钥不匹配或数据已损坏")) from None


def passphrase_key(passphrase: str, salt: bytes, cost: KdfCost) -> bytes:
    return bytes(
        nacl.pwhash.argon2id.kdf(
            KEY_BYTES, passphrase.encode(), salt, opslimit=cost.opslimit, memlimit=cost.memlimit
        )
    )


def salt_new() -> bytes:
    return nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
