"""Background work of the reporting portal."""

from __future__ import annotations

from django_tasks import task

from lianqing.intake.retention import retention_apply
from lianqing.intake.services import intake_housekeeping


@task()
def intake_housekeeping_task() -> dict[str, int]:
    return intake_housekeeping()


@task()
def intake_retention_task() -> dict[str, int]:
    return retention_apply()
