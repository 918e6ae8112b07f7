from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqing.core.audit import audit_verify


class Command(BaseCommand):
    help = "审计日志工具: verify 校验哈希链 (audit log tools: verify checks the hash chain)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

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
