"""Background tasks of the leads app (run by `lianqing worker`)."""

from __future__ import annotations

from django_tasks import task

from lianqing.leads.services import package_import_execute, package_imports_sweep, scan_execute


@task()
def package_import_task(package_id: int, scan_after: bool = False) -> None:
    """Import a queued package, then queue its scan if asked; a package no longer importing is left alone."""
    package_import_execute(package_id, scan_after=scan_after)


@task()
def scan_run_task(run_id: int) -> None:
    """Run a queued scan; safe to retry (a run that is no longer queued is left alone)."""
    scan_execute(run_id)


@task()
def package_imports_sweep_task() -> int:
    """Daily: end the imports whose worker died (claimed long ago, never finished)."""
    return package_imports_sweep()
