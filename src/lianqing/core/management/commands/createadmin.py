from __future__ import annotations

import getpass
import os
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lianqing.core import otp
from lianqing.core.models import Org, User
from lianqing.core.roles import THREE_ADMINS, Role
from lianqing.core.services import user_upsert


class Command(BaseCommand):
    help = (
        "创建三员之一的账号：默认系统管理员，用 --role 指定安全保密管理员或安全审计员；"
        "密码取自 LIANQING_ADMIN_PASSWORD 或交互输入"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--org-code", default="", help="所属机构代码")
        parser.add_argument(
            "--role",
            default=str(Role.ADMIN),
            choices=sorted(str(role) for role in THREE_ADMINS),
            help="三员之一：系统管理员、安全保密管理员、安全审计员",
        )

    def handle(self, *args: Any, username: str, org_code: str, role: str, **options: Any) -> None:
        if User.objects.filter(username=username).exists():
            raise CommandError(_("用户 %(user)s 已存在") % {"user": username})
        org = None
        if org_code:
            org = Org.objects.filter(org_code=org_code).first()
            if org is None:
                raise CommandError(_("机构代码 %(code)s 不存在") % {"code": org_code})
        password = os.environ.get("LIANQING_ADMIN_PASSWORD") or self._ask_password()
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(_("密码不符合要求：%(why)s") % {"why": "；".join(error.messages)}) from None
        # No superuser flag: the role's group carries its rights (三员分立, system check E002).
        user = user_upsert(username=username, password=password, org=org, roles=[Role(role)])
        self.stdout.write(_("已创建%(role)s %(user)s") % {"role": role, "user": username})
        if settings.LIANQING_REQUIRE_OTP:
            code = otp.enrolment_code_issue(user=user, by=None)
            self.stdout.write(
                _("首次登录绑定动态验证码所用的绑定码（%(hours)d 小时内有效，只显示这一次）：%(code)s")
                % {"hours": otp.ENROLMENT_CODE_HOURS, "code": code}
            )

    @staticmethod
    def _ask_password() -> str:
        try:
            first = getpass.getpass(_("密码：") + " ")
            second = getpass.getpass(_("再次输入：") + " ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError(_("未输入密码")) from None
        if first != second:
            raise CommandError(_("两次输入的密码不一致"))
        return first
