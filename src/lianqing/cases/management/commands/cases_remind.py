"""`lianqing cases_remind`: run the daily due-soon / overdue reminders (schedule it once a day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lianqing.cases.reminders import case_reminders_send
from lianqing.cases.tasks import case_reminders_task


class Command(BaseCommand):
    help = _("发送案件临期和超期提醒")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help=_("按该日期计算，YYYY-MM-DD"))
        parser.add_argument("--enqueue", action="store_true", help=_("交给后台任务执行"))

    def handle(self, *args: Any, date: str | None, enqueue: bool, **options: Any) -> None:
        if enqueue:
            case_reminders_task.enqueue()
            self.stdout.write(_("已加入任务队列"))
            return
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(_("日期 %(date)s 无法识别，应为 YYYY-MM-DD") % {"date": date}) from exc
        counts = case_reminders_send(today=today)
        self.stdout.write(
            _(
                "临期 %(due_soon)d 件，超期 %(overdue)d 件，上报督办 %(escalated)d 次，季度报告提醒 %(quarterly)d 件"
            )
            % counts
        )
