"""The audit chain's secret: a key file outside the database, so a database writer cannot re-hash.

The file (`LIANQING_AUDIT_KEY_FILE`, default `keys/audit_chain.key` in the instance folder; put
it on another volume in production) holds the HMAC key and `from_seq`, the first row it keys.
Rows written before the key existed (installations upgraded from the unkeyed chain) keep their
plain SHA-256 hashes: they are not rewritten, and they are pinned all the same, because the first
keyed row's HMAC covers the last unkeyed row's hash.

In demo and test mode the key is created on first use (`lianqing migrate` or the first audited
action). In production it is created once by the operator (`lianqing audit_key init`), and the
application refuses to start while it is missing or readable by others (`core.checks`). It is
never replaced silently: once heads have been exported under a key, a missing key file is an
error (`AuditKeyMissingError`), not a reason to start a new one.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.utils.translation import gettext as _


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


def audit_key_get(*, create: bool | None = None) -> AuditKey:
    """The key; created (keying rows from the next one) when absent and nothing forbids it.
    `create` defaults to: outside production only (there the operator runs `audit_key init`)."""
    path = audit_key_path()
    if not path.exists():
        if not (settings.MODE != "production" if create is None else create):
            raise AuditKeyMissingError(
                _("审计密钥文件 %(path)s 不存在：请运行 lianqing audit_key init 新建") % {"path": path}
            )
        audit_key_init()
    return _load(str(path))


def audit_key_init() -> Path:
    """Create the key file (0600). AuditKeyMissingError if heads were exported under an earlier
    key (restore that one instead); FileExistsError if the key already exists."""
    path = audit_key_path()
    if path.exists():
        raise FileExistsError(str(path))
    from lianqing.core.audit_heads import exported_heads_exist  # the heads know their folder

    if exported_heads_exist():
        raise AuditKeyMissingError(
            _("审计密钥文件 %(path)s 缺失，而已导出的链头由该密钥签名：请从备份恢复，不要新建")
            % {"path": path}
        )
    from lianqing.core.models import AuditChainHead

    try:
        head = AuditChainHead.objects.filter(pk=1).first()
    except DatabaseError:  # before the first `lianqing migrate`: no row to key yet
        head = None
    _write_new_key(path, from_seq=(head.last_seq if head else 0) + 1)
    return path


def audit_key_problem() -> str | None:
    """Why the key file cannot be used as it is (missing, or open to others), or None."""
    path = audit_key_path()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return _(
            "审计密钥文件 %(path)s 不存在。生产模式不会自动新建，以免数据库被改写后悄悄换用新密钥。"
            "首次安装请运行 lianqing audit_key init 新建（只需一次，并把该文件备份到另一处）；"
            "如果此前已有密钥，请从备份恢复原文件。"
        ) % {"path": path}
    except OSError as error:
        return _("无法读取审计密钥文件 %(path)s：%(error)s") % {"path": path, "error": error.strerror}
    if mode & 0o077:
        return _(
            "审计密钥文件 %(path)s 的权限为 %(mode)s，其他用户也能读取。请运行 chmod 600 %(path)s，"
            "只允许运行本系统的用户读写。"
        ) % {"path": path, "mode": oct(mode & 0o777)[2:]}
    return None
