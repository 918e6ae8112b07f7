from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lianqing.core.audit import audit_verify
from lianqing.core.audit_heads import audit_head_export, head_dir
from lianqing.core.audit_retention import AuditRetentionError, audit_prune


class Command(BaseCommand):
    help = (
        "审计日志工具：verify 从上次校验完好的记录起校验哈希链及已导出的链头，加 --full 从头校验全部记录；"
        "export-head 立即导出签名链头；"
        "prune --older-than-days N 删除保存期（至少 183 天）以前的记录"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "export-head", "prune"])
        parser.add_argument("--older-than-days", type=int, default=None, help="prune：删除多少天以前的记录")
        parser.add_argument(
            "--full", action="store_true", help="verify：不从上次的校验点起，从头校验全部记录"
        )

    def handle(
        self, *args: Any, action: str, older_than_days: int | None = None, full: bool = False, **options: Any
    ) -> None:
        if action == "prune":
            days = older_than_days if older_than_days is not None else settings.AUDIT_RETENTION_DAYS
            try:
                removed = audit_prune(older_than_days=days)
            except AuditRetentionError as refusal:
                raise CommandError(str(refusal)) from None
            self.stdout.write(_("已删除 %(n)d 条超过保存期的审计记录") % {"n": removed})
            return
        started = time.monotonic()
        result = audit_verify(full=full)
        seconds = time.monotonic() - started
        if not result.ok:
            raise CommandError(
                _("审计日志校验失败：第 %(seq)s 条，%(reason)s；此前 %(n)d 条完好")
                % {"seq": result.broken_seq, "reason": result.reason, "n": result.rows_checked}
            )
        if result.rows_checked == result.rows_in_chain:
            self.stdout.write(_("审计日志完好，共 %(n)d 条") % {"n": result.rows_checked})
        else:
            self.stdout.write(
                _("审计日志完好，共 %(total)d 条；本次校验了上次校验点之后的 %(n)d 条，加 --full 可从头校验")
                % {"total": result.rows_in_chain, "n": result.rows_checked}
            )
        if result.rows_checked and seconds > 0:
            rate = f"{result.rows_checked / seconds:,.0f}"
            self.stdout.write(_("用时 %(s).1f 秒，每秒 %(rate)s 条") % {"s": seconds, "rate": rate})
        if action == "export-head":
            path = audit_head_export()
            where = path if path else f"{head_dir()}（无新记录）"
            self.stdout.write(_("链头已导出：%(where)s") % {"where": where})
