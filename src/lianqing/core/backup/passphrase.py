"""Where the backup passphrase comes from: a file (daily job, scripts), the environment, or a prompt."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from lianqing.core.backup.errors import BackupError

ENV = "LIANQING_BACKUP_PASSPHRASE"


def passphrase_read(file: str | None, *, confirm: bool) -> str:
    if file:
        try:
            return Path(file).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise BackupError(f"无法读取口令文件 {file}：{error.strerror or error}") from error
    if os.environ.get(ENV):
        return os.environ[ENV]
    if not sys.stdin.isatty():
        raise BackupError(f"请用 --passphrase-file 或环境变量 {ENV} 给出备份口令")
    first = getpass.getpass("备份口令：")
    if confirm and getpass.getpass("再输入一次：") != first:
        raise BackupError("两次输入的口令不一致")
    return first
