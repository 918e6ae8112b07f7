from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lianqing.core.audit import audit_verify
from lianqing.core.audit_heads import audit_head_export, head_dir


class Command(BaseCommand):
    help = "审计日志工具：verify 校验哈希链及已导出的链头；export-head 立即导出签名链头"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "export-head"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                _("审计日志校验失败：第 %(seq)s 条，%(reason)s；此前 %(n)d 条完好")
                % {"seq": result.broken_seq, "reason": result.reason, "n": result.rows_checked}
            )
        self.stdout.write(_("审计日志完好，共 %(n)d 条") % {"n": result.rows_checked})
        if action == "export-head":
            path = audit_head_export()
            where = path if path else f"{head_dir()}（无新记录）"
            self.stdout.write(_("链头已导出：%(where)s") % {"where": where})
