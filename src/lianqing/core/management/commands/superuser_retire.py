"""Take Django's superuser flag off every account (production refuses to start while one has it:
system check lianqing.E002). The accounts keep their roles; the change is audited."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lianqing.core.separation import superusers_retire


class Command(BaseCommand):
    help = "去掉所有账号的超级用户标志（生产模式按三员分立不使用超级用户）"
    requires_system_checks: list[str] = []  # it is what the failing check asks the operator to run

    def handle(self, *args: Any, **options: Any) -> None:
        names = superusers_retire(by=None)
        if not names:
            self.stdout.write(_("没有带超级用户标志的账号"))
            return
        self.stdout.write(_("已去掉超级用户标志：%(names)s") % {"names": "、".join(names)})
