"""Background work of triage (run by `lianqing worker`); every task is safe to retry."""

from __future__ import annotations

from django_tasks import task

from lianqing.dossiers.services import case_links_suggest

from .services import model_retrain, reading_compute


@task()
def reading_task(case_id: int, links: bool = False) -> int:
    """Read a case again (on registration, on a reporter's message); the reading is replaced.
    `links`: first suggest cadres for the case's reported persons (a new case: one task, not two;
    the reading runs even if that fails)."""
    try:
        if links:
            case_links_suggest(case_id=case_id)
    finally:
        read = reading_compute(case_id=case_id)
    return 1 if read is not None else 0


@task()
def model_retrain_task() -> str:
    """Retrain from the handlers' decisions (nightly, and on an administrator's request)."""
    stored = model_retrain()
    return stored.version if stored else ""
