from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqing.core import otp
from lianqing.core.models import User


class Command(BaseCommand):
    help = "签发一次性动态验证码绑定码，只显示一次 (issue a one-time TOTP enrolment code; shown once)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在 (no such user)")
        code = otp.enrolment_code_issue(user=user, by=None)
        self.stdout.write(
            f"{username} 的绑定码（{otp.ENROLMENT_CODE_HOURS} 小时内有效，只显示这一次）：{code}"
            f" (enrolment code, valid {otp.ENROLMENT_CODE_HOURS} h, shown once)"
        )
