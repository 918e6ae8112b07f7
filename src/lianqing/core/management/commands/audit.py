from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqing.core.audit import audit_verify
from lianqing.core.audit_heads import audit_head_export, head_dir


class Command(BaseCommand):
    help = (
        "审计日志工具: verify 校验哈希链及已导出的链头；export-head 立即导出签名链头"
        " (verify checks the chain and the exported heads; export-head exports a signed head now)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "export-head"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"审计日志校验失败：第 {result.broken_seq} 条，{result.reason}；此前 {result.rows_checked} 条完好"
                f" (audit chain broken at row {result.broken_seq})"
            )
        self.stdout.write(
            f"审计日志完好，共 {result.rows_checked} 条 (audit chain intact: {result.rows_checked} rows)"
        )
        if action == "export-head":
            path = audit_head_export()
            where = path if path else f"{head_dir()}（无新记录 / nothing new）"
            self.stdout.write(f"链头已导出：{where} (head exported)")
