"""Background tasks go through the database queue and are run by `lianqing worker`."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, Notification
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
    assert result.return_value == {"ok": True, "rows_checked": 1, "broken_seq": None}


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
