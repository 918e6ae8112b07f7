from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lianqing.core.audit_key import AuditKeyMissingError, audit_key_init, audit_key_path, audit_key_problem


class Command(BaseCommand):
    help = "审计密钥：init 新建审计链的密钥文件（生产模式首次安装时运行一次）；check 检查其是否存在及权限"
    # The start-up check refuses to run while the key is missing: this command is how to make it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["init", "check"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "init":
            try:
                path = audit_key_init()
            except FileExistsError:
                raise CommandError(
                    _("审计密钥文件 %(path)s 已存在，未作改动") % {"path": audit_key_path()}
                ) from None
            except AuditKeyMissingError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(
                _("已新建审计密钥文件 %(path)s（权限 600）。请把它备份到数据库以外的另一处。")
                % {"path": path}
            )
            return
        problem = audit_key_problem()
        if problem:
            raise CommandError(problem)
        self.stdout.write(_("审计密钥文件 %(path)s 可用") % {"path": audit_key_path()})
