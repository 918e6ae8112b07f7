"""Background work of 廉情分析 (run by `lianqing worker`); every task is safe to retry."""

from __future__ import annotations

from django_tasks import task

from .refresh import integrity_refresh
from .services import warning_reminders_send


@task()
def integrity_refresh_task() -> int:
    """Recompute this month's index and every warning up to today, then remind owners."""
    run = integrity_refresh()
    warning_reminders_send()
    return int(run.summary.get("warnings", 0))
