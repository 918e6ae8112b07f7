"""Cryptographic primitives of the portal, each named by the algorithm tag stored beside its output.

Each report has its own key pair (`REPORT_KEYPAIR`). Its identity, attachments and file names
are sealed to the report's public key (`SEALED_BOX`: X25519 + XSalsa20-Poly1305), which stays in
the row so a reporter's later evidence can be added without anyone unlocking. The report's private
key (the "report key") is sealed to each recipient's public key (`SEALED_BOX`). A recipient's
private key is wrapped by a key derived from their own passphrase (`ARGON2ID_SECRETBOX`).
`LEGACY_COMMISSION` marks data still sealed to the old shared commission key pair (keys.py) until
`lianqing intake_keys migrate` re-encrypts it. The tags let a later scheme (SM2/SM4) live beside.
"""

from __future__ import annotations

from dataclasses import dataclass

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from django.conf import settings
from django.utils.translation import gettext as _
from nacl.public import PrivateKey, PublicKey, SealedBox

from lianqing.intake.errors import IntakeError

REPORT_KEYPAIR = "report-keypair-x25519"
SEALED_BOX = "nacl-sealedbox-x25519"
ARGON2ID_SECRETBOX = "argon2id-nacl-secretbox"
LEGACY_COMMISSION = "legacy-commission-sealedbox"

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


def report_keypair_new() -> PrivateKey:
    return PrivateKey.generate()


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
