"""Background work of the registry (run by `lianqing worker`); every task is safe to retry."""

from __future__ import annotations

from django_tasks import task

from .opinions import opinion_reminders_send
from .services import case_links_suggest, registry_import_execute


@task()
def registry_import_task(run_id: int) -> None:
    registry_import_execute(run_id)


@task()
def case_links_task(case_id: int) -> int:
    """Suggest cadres for a new case's reported persons; decided mentions are never touched.
    (A new case now asks for this in its reading task; kept for tasks queued before.)"""
    return case_links_suggest(case_id=case_id)


@task()
def opinion_reminders_task() -> int:
    return opinion_reminders_send()
