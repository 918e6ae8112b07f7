from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lianqing.intake.services import intake_housekeeping


class Command(BaseCommand):
    help = _("整理网络举报附件目录：完成提交后未移入的文件，删除无主的临时文件，清理过期的频率计数和回执副本")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = intake_housekeeping()
        self.stdout.write(
            _(
                "移入 %(moved)d 个文件，%(still_pending)d 个仍无法移入（稍后再试），删除 %(removed)d 个无主临时文件，"
                "清理 %(pruned)d 条计数，%(cleared)d 份回执副本"
            )
            % counts
        )
        if counts["still_pending"]:
            self.stderr.write(
                _("有 %(count)d 个已提交的附件仍在待入库目录：请检查上传目录是否可写、磁盘是否已满")
                % {"count": counts["still_pending"]}
            )
