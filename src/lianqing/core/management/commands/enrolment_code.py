from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lianqing.core import otp
from lianqing.core.models import User


class Command(BaseCommand):
    help = "签发一次性动态验证码绑定码，只显示一次"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("用户 %(user)s 不存在") % {"user": username})
        issued = otp.enrolment_code_request(user=user, by=None)
        self.stdout.write(
            _("%(user)s 的绑定码（%(hours)d 小时内有效，只显示这一次）：%(code)s")
            % {"user": username, "hours": otp.ENROLMENT_CODE_HOURS, "code": issued.code}
        )
        if issued.pending:
            self.stdout.write(
                _("该用户已在使用本系统：绑定码须由其所在纪委监委的领导在“授权确认”页确认后才生效")
            )
