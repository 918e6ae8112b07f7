"""The worker polls less while its queue stays empty, and at once again after a task."""

from __future__ import annotations

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lianqing.core.management.commands.worker import IDLE_MAX_SECONDS, IdleBackoffWorker
from lianqing.core.tasks import audit_verify_task


def _worker(interval: float = 1.0) -> IdleBackoffWorker:
    return IdleBackoffWorker(
        queue_names=["default"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )


def test_empty_polls_double_the_wait_up_to_the_cap():
    worker = _worker()
    waits = [worker.interval for _ in range(7)]
    assert waits == [1.0, 2.0, 4.0, 8.0, IDLE_MAX_SECONDS, IDLE_MAX_SECONDS, IDLE_MAX_SECONDS]


@pytest.mark.django_db
def test_a_task_run_brings_the_wait_back(org_tree):
    worker = _worker()
    for _ in range(5):
        worker.interval  # noqa: B018 - each read is one empty poll
    audit_verify_task.enqueue()
    worker.run_task(DBTaskResult.objects.get())
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert worker.interval == 1.0


def test_a_longer_interval_than_the_cap_is_kept():
    worker = _worker(interval=30.0)
    assert [worker.interval, worker.interval] == [30.0, 30.0]
