from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lianqing.core import grants
from lianqing.core.models import GrantStatus, User
from lianqing.core.roles import Role


class Command(BaseCommand):
    help = "角色授权：grant 在尚无可确认的领导时直接生效，否则提交申请待领导确认；remove 立即撤销"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["grant", "remove"])
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=[str(role) for role in Role])

    def handle(self, *args: Any, action: str, username: str, role: str, **options: Any) -> None:
        user = User.objects.select_related("org").filter(username=username).first()
        if user is None:
            raise CommandError(_("用户 %(user)s 不存在") % {"user": username})
        if action == "remove":
            removed = grants.role_remove(user=user, role=role, by=None)
            self.stdout.write(_("已撤销") if removed else _("该用户没有此角色"))
            return
        try:
            grant = grants.role_grant_bootstrap(user=user, role=role)
        except grants.GrantRefusedError as refusal:
            raise CommandError(str(refusal)) from None
        if grant.status == GrantStatus.CONFIRMED:
            self.stdout.write(_("已授予 %(user)s“%(role)s”角色") % {"user": username, "role": role})
        else:
            self.stdout.write(_("已提交第 %(pk)d 号申请，待领导确认") % {"pk": grant.pk})
