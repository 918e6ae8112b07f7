from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqing.intake import keys
from lianqing.intake.errors import IntakeError


class Command(BaseCommand):
    help = (
        "管理网络举报的加密密钥：init 生成密钥对，check 检查口令 "
        "(manage the reporting key pair: init creates it, check tests a passphrase)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["init", "check"])
        parser.add_argument(
            "--passphrase-env",
            default="",
            help="从该环境变量读取口令，否则交互输入 (read the passphrase from this environment variable)",
        )
        parser.add_argument("--force", action="store_true", help="覆盖已有密钥 (replace existing keys)")

    def _passphrase(self, env_name: str, *, confirm: bool) -> str:
        if env_name:
            value = os.environ.get(env_name, "")
            if not value:
                raise CommandError(f"环境变量 {env_name} 为空 (environment variable {env_name} is empty)")
            return value
        value = getpass.getpass("口令 (passphrase): ")
        if confirm and getpass.getpass("再次输入口令 (repeat): ") != value:
            raise CommandError("两次输入的口令不一致 (the passphrases differ)")
        return value

    def handle(self, *args: Any, action: str, passphrase_env: str, force: bool, **options: Any) -> None:
        try:
            if action == "init":
                passphrase = self._passphrase(passphrase_env, confirm=True)
                keys.keypair_create(passphrase=passphrase, overwrite=force)
                self.stdout.write(f"已生成密钥 (keys created) in {keys.keys_dir()}")
            else:
                keys.private_key_unlock(self._passphrase(passphrase_env, confirm=False))
                self.stdout.write("口令正确 (the passphrase opens the private key)")
        except IntakeError as error:
            raise CommandError(error.message) from None
