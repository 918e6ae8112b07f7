"""The audit chain's secret: a key file outside the database, so a database writer cannot re-hash.

The file (`LIANQING_AUDIT_KEY_FILE`, default `keys/audit_chain.key` in the instance folder; put
it on another volume in production) holds the HMAC key and `from_seq`, the first row it keys.
Rows written before the key existed (installations upgraded from the unkeyed chain) keep their
plain SHA-256 hashes: they are not rewritten, and they are pinned all the same, because the first
keyed row's HMAC covers the last unkeyed row's hash.

The key is created on first use (`lianqing migrate` or the first audited action). It is never
replaced silently: once heads have been exported under a key, a missing key file is an error
(`AuditKeyMissingError`), not a reason to start a new one.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings


class AuditKeyMissingError(RuntimeError):
    pass


@dataclass(frozen=True)
class AuditKey:
    secret: bytes
    from_seq: int  # rows with seq >= from_seq carry an HMAC; earlier ones a plain SHA-256


def audit_key_path() -> Path:
    return Path(settings.AUDIT_KEY_FILE)


def _write_new_key(path: Path, from_seq: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    content = json.dumps({"version": 1, "key": secrets.token_hex(32), "from_seq": from_seq})
    # O_EXCL: two processes creating the key at once cannot both win; the loser reads the winner's.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


@lru_cache(maxsize=8)
def _load(path: str) -> AuditKey:
    data = json.loads(Path(path).read_text())
    return AuditKey(secret=bytes.fromhex(data["key"]), from_seq=int(data["from_seq"]))


def audit_key_get(*, create: bool = True) -> AuditKey:
    """The key; created (keying rows from the next one) when absent and nothing forbids it."""
    path = audit_key_path()
    if not path.exists():
        if not create:
            raise AuditKeyMissingError(str(path))
        from lianqing.core.audit_heads import exported_heads_exist  # the heads know their folder

        if exported_heads_exist():
            raise AuditKeyMissingError(
                f"审计密钥文件 {path} 缺失，而已导出的链头由该密钥签名：请从备份恢复，不要新建"
                f" (the audit key {path} is missing but heads were exported under it: restore it)"
            )
        from lianqing.core.models import AuditChainHead

        head = AuditChainHead.objects.filter(pk=1).first()
        _write_new_key(path, from_seq=(head.last_seq if head else 0) + 1)
    return _load(str(path))
