from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqing.core.backup.errors import BackupError
from lianqing.core.backup.passphrase import passphrase_read
from lianqing.core.backup.services import backup_restore


class Command(BaseCommand):
    help = "从备份文件恢复到一个新建的空实例（先完整校验，出错时什么都不改）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="备份文件")
        parser.add_argument("--passphrase-file", help="备份口令所在的文件（否则读环境变量或提示输入）")

    def handle(self, *args: Any, file: str, passphrase_file: str | None, **options: Any) -> None:
        try:
            manifest = backup_restore(Path(file), passphrase_read(passphrase_file, confirm=False))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已恢复：{manifest.created_at} 的备份，{manifest.size_summary}")
