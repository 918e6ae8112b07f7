from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqing.core.models import User
from lianqing.intake import keys
from lianqing.intake.errors import IntakeError
from lianqing.intake.legacy import legacy_reports_migrate
from lianqing.intake.models import StaffKey
from lianqing.intake.recipients import recipients_prune, staff_key_create, staff_key_rotate


class Command(BaseCommand):
    help = (
        "管理网络举报接收人的个人密钥：setup 设置口令，rotate 轮换密钥，prune 移除离岗人员，"
        "status 列出接收人，migrate 把旧机关密钥加密的举报迁移给当前接收人，check 检查旧机关口令"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["setup", "rotate", "prune", "status", "migrate", "check"])
        parser.add_argument("--user", default="", help="接收人的用户名，用于 setup 和 rotate")
        parser.add_argument(
            "--passphrase-env", default="", help="从该环境变量读取口令，否则交互输入；用于 rotate 时为现口令"
        )
        parser.add_argument(
            "--new-passphrase-env", default="", help="rotate：从该环境变量读取新口令；不给则沿用现口令"
        )

    def _secret(self, env_name: str, prompt: str, *, confirm: bool = False) -> str:
        if env_name:
            value = os.environ.get(env_name, "")
            if not value:
                raise CommandError(f"环境变量 {env_name} 为空")
            return value
        value = getpass.getpass(prompt)
        if confirm and getpass.getpass("再次输入：") != value:
            raise CommandError("两次输入的口令不一致")
        return value

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为 {username!r} 的用户，请用 --user 指定")
        return user

    def handle(
        self, *args: Any, action: str, user: str, passphrase_env: str, new_passphrase_env: str, **options: Any
    ) -> None:
        try:
            getattr(self, f"_{action}")(user, passphrase_env, new_passphrase_env)
        except IntakeError as error:
            raise CommandError(error.message) from None

    def _setup(self, username: str, passphrase_env: str, _new: str) -> None:
        person = self._user(username)
        staff_key_create(user=person, passphrase=self._secret(passphrase_env, "个人解密口令：", confirm=True))
        self.stdout.write(f"已为 {person.username} 设置个人密钥")

    def _rotate(self, username: str, passphrase_env: str, new_env: str) -> None:
        person = self._user(username)
        current = self._secret(passphrase_env, "现在的个人解密口令：")
        new = (
            self._secret(new_env, "新口令（直接回车沿用现口令）：", confirm=True)
            if new_env or not passphrase_env
            else ""
        )
        key, moved = staff_key_rotate(user=person, passphrase=current, new_passphrase=new)
        self.stdout.write(
            f"已为 {person.username} 轮换密钥（新密钥 #{key.pk}），重新加密 {moved} 份举报的密钥"
        )

    def _prune(self, *_: str) -> None:
        self.stdout.write(f"已移除 {recipients_prune()} 项离岗或无权人员的授权")

    def _status(self, *_: str) -> None:
        for key in (
            StaffKey.objects.filter(retired_at__isnull=True).select_related("user").order_by("user__username")
        ):
            self.stdout.write(f"{key.user.username}\t{key.created_at:%Y-%m-%d}\t{key.grants.count()} 份举报")

    def _migrate(self, _user: str, passphrase_env: str, _new: str) -> None:
        migrated, skipped = legacy_reports_migrate(
            passphrase=self._secret(passphrase_env, "旧的机关解密口令：")
        )
        self.stdout.write(f"已迁移 {migrated} 份举报；{skipped} 份因受理机关尚无接收人而暂未迁移")

    def _check(self, _user: str, passphrase_env: str, _new: str) -> None:
        keys.private_key_unlock(self._secret(passphrase_env, "旧的机关解密口令："))
        self.stdout.write("口令正确")
