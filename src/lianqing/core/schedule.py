"""Daily jobs without cron: the worker keeps the next run of each one queued.

`lianqing worker` calls `daily_jobs_schedule` at start and every few minutes after. A job with
a run already waiting is left alone, so several workers at once queue at most a few extra runs,
and every daily job is idempotent (reminders and notifications are deduplicated).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

# (task path, local time of day it runs)
DAILY_JOBS: tuple[tuple[str, dt.time], ...] = (
    ("lianqing.core.tasks.audit_verify_task", dt.time(2, 0)),
    ("lianqing.core.tasks.audit_head_export_task", dt.time(1, 30)),
    ("lianqing.core.tasks.backup_nightly_task", dt.time(1, 0)),
    ("lianqing.intake.tasks.intake_housekeeping_task", dt.time(3, 0)),
    ("lianqing.intake.tasks.intake_retention_task", dt.time(3, 30)),
    ("lianqing.cases.tasks.case_reminders_task", dt.time(6, 30)),
    ("lianqing.dossiers.tasks.opinion_reminders_task", dt.time(6, 40)),
    ("lianqing.integrity.tasks.integrity_refresh_task", dt.time(5, 0)),
    ("lianqing.triage.tasks.model_retrain_task", dt.time(4, 0)),
    ("lianqing.duties.tasks.duty_lights_task", dt.time(6, 50)),
    ("lianqing.leads.tasks.package_imports_sweep_task", dt.time(4, 10)),
)


def next_run(at: dt.time, now: dt.datetime) -> dt.datetime:
    """The next moment, strictly after `now`, at local time `at`."""
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    candidate = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate


def daily_jobs_schedule(*, now: dt.datetime | None = None) -> list[str]:
    """Queue the next run of every daily job that has none waiting; returns the jobs queued."""
    now = now or timezone.now()
    queued = []
    for path, at in DAILY_JOBS:
        task = import_string(path)
        waiting = DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)
        if not waiting.exists():
            task.using(run_after=next_run(at, now)).enqueue()
            queued.append(path)
    return queued
