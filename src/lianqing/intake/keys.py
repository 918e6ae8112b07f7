"""The commission's key pair: sealed boxes for reporter identities and attachments.

The web process holds only the public key (`intake_public.key`); anything sealed to it can be
opened only with the private key, which is stored encrypted under a passphrase
(`intake_private.key`: argon2id-derived key, XSalsa20-Poly1305 SecretBox). A database dump,
the uploads folder and the web process together cannot open a sealed box.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from django.conf import settings
from django.utils.translation import gettext as _
from nacl.public import PrivateKey, PublicKey, SealedBox

from lianqing.intake.errors import IntakeError

PUBLIC_KEY_FILE = "intake_public.key"
PRIVATE_KEY_FILE = "intake_private.key"
MIN_PASSPHRASE_CHARS = 12


@dataclass(frozen=True)
class KeyLimits:
    """argon2id cost of turning the passphrase into the key that wraps the private key."""

    opslimit: int = nacl.pwhash.argon2id.OPSLIMIT_MODERATE
    memlimit: int = nacl.pwhash.argon2id.MEMLIMIT_MODERATE


INTERACTIVE_LIMITS = KeyLimits(
    nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE, nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE
)


def keys_dir() -> Path:
    return Path(settings.KEYS_DIR)


def keypair_exists(directory: Path | None = None) -> bool:
    directory = directory or keys_dir()
    return (directory / PUBLIC_KEY_FILE).exists() and (directory / PRIVATE_KEY_FILE).exists()


def keypair_create(
    *,
    passphrase: str,
    directory: Path | None = None,
    overwrite: bool = False,
    limits: KeyLimits | None = None,
) -> PublicKey:
    """Make a new key pair; write the public key and the passphrase-encrypted private key."""
    directory = directory or keys_dir()
    limits = limits or KeyLimits()
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise IntakeError(_("口令至少 %(n)d 个字符") % {"n": MIN_PASSPHRASE_CHARS})
    if keypair_exists(directory) and not overwrite:
        raise IntakeError(
            _("目录 %(dir)s 中已有密钥；覆盖会使已加密的举报人信息无法读取") % {"dir": directory}
        )
    directory.mkdir(parents=True, exist_ok=True)
    private = PrivateKey.generate()
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    wrapping = nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        passphrase.encode(),
        salt,
        opslimit=limits.opslimit,
        memlimit=limits.memlimit,
    )
    wrapped = nacl.secret.SecretBox(wrapping).encrypt(bytes(private))
    record = {
        "format": "lianqing-intake-private-key-1",
        "kdf": "argon2id",
        "opslimit": limits.opslimit,
        "memlimit": limits.memlimit,
        "salt": base64.b64encode(salt).decode(),
        "box": base64.b64encode(bytes(wrapped)).decode(),
        "public_key": base64.b64encode(bytes(private.public_key)).decode(),
    }
    private_path = directory / PRIVATE_KEY_FILE
    private_path.write_text(json.dumps(record, indent=2))
    private_path.chmod(0o600)
    (directory / PUBLIC_KEY_FILE).write_text(base64.b64encode(bytes(private.public_key)).decode() + "\n")
    _public_key_cached.cache_clear()
    return private.public_key


@cache
def _public_key_cached(path: str, mtime_ns: int) -> PublicKey:
    return PublicKey(base64.b64decode(Path(path).read_text().strip()))


def public_key() -> PublicKey:
    path = keys_dir() / PUBLIC_KEY_FILE
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise IntakeError(
            _("举报系统尚未生成密钥，暂时无法受理，请联系管理员运行 lianqing intake_keys init")
        ) from None
    return _public_key_cached(str(path), mtime)


def seal(data: bytes) -> bytes:
    return bytes(SealedBox(public_key()).encrypt(data))


def seal_json(value: object) -> bytes:
    return seal(json.dumps(value, ensure_ascii=False).encode())


def private_key_unlock(passphrase: str, directory: Path | None = None) -> PrivateKey:
    """Open the private key with the passphrase; IntakeError when it is wrong."""
    path = (directory or keys_dir()) / PRIVATE_KEY_FILE
    try:
        record = json.loads(path.read_text())
    except FileNotFoundError:
        raise IntakeError(_("找不到私钥文件")) from None
    salt = base64.b64decode(record["salt"])
    wrapping = nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        passphrase.encode(),
        salt,
        opslimit=int(record["opslimit"]),
        memlimit=int(record["memlimit"]),
    )
    try:
        raw = nacl.secret.SecretBox(wrapping).decrypt(base64.b64decode(record["box"]))
    except nacl.exceptions.CryptoError:
        raise IntakeError(_("口令不正确")) from None
    return PrivateKey(raw)


def unseal(private_key: PrivateKey, box: bytes) -> bytes:
    try:
        return bytes(SealedBox(private_key).decrypt(bytes(box)))
    except nacl.exceptions.CryptoError:
        raise IntakeError(_("无法解密：密钥不匹配或数据已损坏")) from None


def unseal_json(private_key: PrivateKey, box: bytes) -> dict[str, str]:
    value: dict[str, str] = json.loads(unseal(private_key, box))
    return value
