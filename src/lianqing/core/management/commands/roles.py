from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqing.core import grants
from lianqing.core.models import GrantStatus, User
from lianqing.core.roles import Role


class Command(BaseCommand):
    help = (
        "角色授权 (role grants): grant 在尚无可确认的领导时直接生效，否则提交申请待领导确认；"
        "remove 立即撤销 (grant takes effect only while no leader could confirm it; remove is immediate)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["grant", "remove"])
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=[str(role) for role in Role])

    def handle(self, *args: Any, action: str, username: str, role: str, **options: Any) -> None:
        user = User.objects.select_related("org").filter(username=username).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在 (no such user)")
        if action == "remove":
            removed = grants.role_remove(user=user, role=role, by=None)
            self.stdout.write("已撤销 (removed)" if removed else "该用户没有此角色 (user does not have it)")
            return
        try:
            grant = grants.role_grant_bootstrap(user=user, role=role)
        except grants.GrantRefusedError as refusal:
            raise CommandError(str(refusal)) from None
        if grant.status == GrantStatus.CONFIRMED:
            self.stdout.write(f"已授予 {username}“{role}”角色 (granted: no leader could confirm yet)")
        else:
            self.stdout.write(f"已提交申请，待领导确认 (request #{grant.pk} waits for a leader)")
