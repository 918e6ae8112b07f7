"""`lianqing cases_remind`: run the daily due-soon / overdue reminders (schedule it once a day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqing.cases.services import case_reminders_send
from lianqing.cases.tasks import case_reminders_task


class Command(BaseCommand):
    help = "发送案件临期和超期提醒 (send due-soon and overdue case reminders)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按该日期计算，YYYY-MM-DD (compute as of this date)")
        parser.add_argument(
            "--enqueue", action="store_true", help="交给后台任务执行 (enqueue as a background task)"
        )

    def handle(self, *args: Any, date: str | None, enqueue: bool, **options: Any) -> None:
        if enqueue:
            case_reminders_task.enqueue()
            self.stdout.write("已加入任务队列 (enqueued)")
            return
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"日期 {date} 无法识别，应为 YYYY-MM-DD (unrecognised date {date})") from exc
        counts = case_reminders_send(today=today)
        self.stdout.write(
            f"临期 {counts['due_soon']} 件，超期 {counts['overdue']} 件，上报督办 {counts['escalated']} 次，"
            f"季度报告提醒 {counts['quarterly']} 件 (due soon {counts['due_soon']}, overdue {counts['overdue']}, "
            f"escalated {counts['escalated']}, quarterly {counts['quarterly']})"
        )
