from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqing.core.backup.errors import BackupError
from lianqing.core.backup.passphrase import passphrase_read
from lianqing.core.backup.services import backup_create, backup_verify


class Command(BaseCommand):
    help = "备份：数据库、密钥、上传文件、数据包和审计链头，加密为一个文件；verify 只校验不恢复"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", choices=["verify"], help="verify：校验一个备份文件")
        parser.add_argument("file", nargs="?", help="要校验的备份文件")
        parser.add_argument("--out", help="备份文件写到哪里")
        parser.add_argument("--passphrase-file", help="备份口令所在的文件（否则读环境变量或提示输入）")

    def handle(
        self,
        *args: Any,
        action: str | None,
        file: str | None,
        out: str | None,
        passphrase_file: str | None,
        **options: Any,
    ) -> None:
        try:
            if action == "verify":
                if not file:
                    raise CommandError("请给出要校验的备份文件：lianqing backup verify FILE")
                manifest = backup_verify(Path(file), passphrase_read(passphrase_file, confirm=False))
                self.stdout.write(
                    f"备份完好：{manifest.created_at}，版本 {manifest.version}，{manifest.size_summary}"
                )
                return
            if not out:
                raise CommandError("请用 --out 指定备份文件：lianqing backup --out FILE")
            manifest = backup_create(Path(out), passphrase_read(passphrase_file, confirm=True))
            self.stdout.write(f"已备份到 {out}：{manifest.size_summary}")
        except BackupError as error:
            raise CommandError(str(error)) from error
