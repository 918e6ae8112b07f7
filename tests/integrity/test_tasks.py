"""The daily job: scheduled with the others, run by the worker, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lianqing.core.schedule import DAILY_JOBS
from lianqing.integrity.models import IndexScore, RefreshRun
from lianqing.integrity.tasks import integrity_refresh_task

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_the_daily_job_is_scheduled_and_runs_in_the_worker(world):
    assert "lianqing.integrity.tasks.integrity_refresh_task" in {path for path, _ in DAILY_JOBS}
    integrity_refresh_task.enqueue()
    integrity_refresh_task.enqueue()  # two workers queued it: the second run changes nothing
    call_command("db_worker", batch=True, reload=False, startup_delay=False)
    assert RefreshRun.objects.filter(finished_at__isnull=False).count() == 2
    units = IndexScore.objects.filter(subject_kind="unit")
    assert sorted(units.values_list("subject_id", flat=True)) == ["U-A", "U-B"]  # once each
