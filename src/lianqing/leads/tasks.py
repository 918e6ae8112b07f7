"""Background tasks of the leads app (run by `lianqing worker`)."""

from __future__ import annotations

from django_tasks import task

from lianqing.leads.services import scan_execute


@task()
def scan_run_task(run_id: int) -> None:
    """Run a queued scan; safe to retry (a run that is no longer queued is left alone)."""
    scan_execute(run_id)
