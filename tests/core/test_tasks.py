"""Background tasks go through the database queue and are run by `lianqing worker`."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, AuditEvent, Notification
from lianqing.core.roles import Role
from lianqing.core.tasks import audit_verify_task
from tests.core.test_audit import _tamper

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_runs_a_queued_task_and_stores_its_result(org_tree, make_user):
    audit_record(action=AuditAction.CREATE, object_type="x", object_id="1")
    result = audit_verify_task.enqueue()
    assert result.status == TaskResultStatus.READY

    call_command("worker", batch=True)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    # the worker's start audited the security configuration: one more row in the chain
    assert AuditEvent.objects.filter(object_type="core.security_settings").count() == 1
    assert result.return_value == {"ok": True, "rows_checked": 2, "broken_seq": None}


def test_a_broken_chain_notifies_administrators_once(org_tree, make_user):
    admin = make_user(Role.ADMIN, org=org_tree.commission)
    audit_record(action=AuditAction.CREATE, object_type="x", object_id="1")
    audit_record(action=AuditAction.CREATE, object_type="x", object_id="2")
    _tamper("UPDATE core_auditevent SET object_id = 'forged' WHERE seq = %s", [1])

    for _ in range(2):
        audit_verify_task.enqueue()
        call_command("worker", batch=True)

    notes = Notification.objects.filter(recipient=admin)
    assert notes.count() == 1
    assert "第 1 条" in notes.get().body


def test_daily_jobs_are_queued_once_for_their_next_time():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django_tasks_db.models import DBTaskResult

    from lianqing.core.schedule import DAILY_JOBS, daily_jobs_schedule, next_run

    shanghai = ZoneInfo("Asia/Shanghai")
    now = dt.datetime(2026, 1, 5, 4, 0, tzinfo=shanghai)
    assert next_run(dt.time(6, 30), now) == dt.datetime(2026, 1, 5, 6, 30, tzinfo=shanghai)
    assert next_run(dt.time(2, 0), now) == dt.datetime(2026, 1, 6, 2, 0, tzinfo=shanghai)

    first = daily_jobs_schedule()
    second = daily_jobs_schedule()

    assert sorted(first) == sorted(path for path, _ in DAILY_JOBS)
    assert second == []
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert waiting.count() == len(DAILY_JOBS)
    # Not due yet: a batch run of the worker leaves them waiting.
    call_command("worker", batch=True)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == len(DAILY_JOBS)
