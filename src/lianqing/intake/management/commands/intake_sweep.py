from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lianqing.intake.services import intake_housekeeping


class Command(BaseCommand):
    help = (
        "整理网络举报附件目录：完成提交后未移入的文件，删除无主的临时文件，清理过期的频率计数 "
        "(finish moves of committed files, delete orphaned pending files, prune rate counters, "
        "forget repeat-submit receipt copies whose tokens expired)"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = intake_housekeeping()
        moved, removed, pruned, cleared = (
            counts["moved"],
            counts["removed"],
            counts["pruned"],
            counts["cleared"],
        )
        self.stdout.write(
            f"移入 {moved} 个文件，删除 {removed} 个无主临时文件，清理 {pruned} 条计数，{cleared} 份回执副本 "
            f"(moved {moved}, removed {removed} orphaned pending files, pruned {pruned} counters, "
            f"cleared {cleared} receipt copies)"
        )
