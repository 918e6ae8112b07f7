"""Evidence files at rest: sealed with the instance's evidence key (XSalsa20-Poly1305 SecretBox,
libsodium via PyNaCl, the primitive the portal uses for its receipts and key wrapping).

Staff and liaisons must read evidence without any passphrase, so the key is held by the server:
a 32-byte key file in the instance's key folder (`keys/duties_evidence.key`, 0600), not in the
database. A database dump or a copy of the database file shows only ciphertext; the nightly
backup carries the key folder inside its own passphrase-sealed archive. The key is created on
first use while no evidence exists; once evidence is stored, a missing key is an error, never a
reason to make a new one (that would orphan every file)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import nacl.exceptions
import nacl.secret
import nacl.utils
from django.conf import settings
from django.utils.translation import gettext as _

from .errors import DutyError

SCHEME = "nacl-secretbox-instance"
KEY_FILE = "duties_evidence.key"


class EvidenceKeyMissingError(RuntimeError):
    pass


def key_path() -> Path:
    return Path(settings.KEYS_DIR) / KEY_FILE


@lru_cache(maxsize=4)
def _load(path: str) -> bytes:
    key = bytes.fromhex(Path(path).read_text().strip())
    if len(key) != nacl.secret.SecretBox.KEY_SIZE:
        raise EvidenceKeyMissingError(f"{path}: not a {nacl.secret.SecretBox.KEY_SIZE}-byte key")
    return key


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:  # O_EXCL: two processes creating the key at once cannot both win
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w") as handle:
        handle.write(nacl.utils.random(nacl.secret.SecretBox.KEY_SIZE).hex())
        handle.flush()
        os.fsync(handle.fileno())


def evidence_key() -> bytes:
    path = key_path()
    if not path.exists():
        from .models import Evidence

        if Evidence.objects.exclude(scheme="").exists():
            raise EvidenceKeyMissingError(
                _("佐证材料密钥文件 %(path)s 缺失，而已有材料由该密钥加密：请从备份恢复，不要新建")
                % {"path": path}
            )
        _create(path)
    return _load(str(path))


def seal(data: bytes) -> bytes:
    return bytes(nacl.secret.SecretBox(evidence_key()).encrypt(data))


def unseal(box: bytes, scheme: str) -> bytes:
    if scheme == "":  # stored before sealing existed and not yet migrated
        return bytes(box)
    if scheme != SCHEME:
        raise DutyError(_("无法读取该材料：未知的加密方式"))
    try:
        return bytes(nacl.secret.SecretBox(evidence_key()).decrypt(bytes(box)))
    except nacl.exceptions.CryptoError:
        raise DutyError(_("无法读取该材料：密钥不匹配或数据已损坏")) from None
