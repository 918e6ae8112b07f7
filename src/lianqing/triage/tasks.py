"""Background work of triage (run by `lianqing worker`); every task is safe to retry."""

from __future__ import annotations

from django_tasks import task

from .services import model_retrain, reading_compute


@task()
def reading_task(case_id: int) -> int:
    """Read a case again (on registration, on a reporter's message); the reading is replaced."""
    return 1 if reading_compute(case_id=case_id) is not None else 0


@task()
def model_retrain_task() -> str:
    """Retrain from the handlers' decisions (nightly, and on an administrator's request)."""
    stored = model_retrain()
    return stored.version if stored else ""
