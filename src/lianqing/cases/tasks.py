"""Background work of case handling: the daily reminder run."""

from __future__ import annotations

from django_tasks import task

from .reminders import case_reminders_send


@task()
def case_reminders_task() -> dict[str, int]:
    """Due-soon and overdue notifications; notifications are deduplicated, so reruns are harmless."""
    return case_reminders_send()
