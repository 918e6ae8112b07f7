from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lianqing.core.audit import audit_record, audit_verify
from lianqing.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _tamper(sql: str, params: list[object]) -> None:
    """Change audit rows behind the application's back, as a database owner could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks may block ALTER TABLE
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")


def _record_three() -> list[AuditEvent]:
    return [
        audit_record(
            action=AuditAction.CREATE, object_type="case", object_id=str(n), details={"n": n, "名": "测试"}
        )
        for n in range(3)
    ]


def test_rows_are_chained_and_verify_passes():
    events = _record_three()
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    result = audit_verify()
    assert result.ok
    assert result.rows_checked == 3


def test_editing_a_row_in_the_database_breaks_verify_at_that_row():
    _record_three()
    _tamper("UPDATE core_auditevent SET object_id = %s WHERE seq = %s", ["999", 2])
    result = audit_verify()
    assert not result.ok
    assert result.broken_seq == 2
    with pytest.raises(CommandError, match="第 2 条"):
        call_command("audit", "verify")


def test_deleting_a_row_breaks_verify():
    _record_three()
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [2])
    result = audit_verify()
    assert result.broken_seq == 2


def test_removing_the_last_rows_is_detected():
    _record_three()
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [3])
    assert audit_verify().broken_seq == 3


def test_rows_cannot_be_changed_or_deleted_through_the_orm():
    event = _record_three()[0]
    event.object_id = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get(seq=1).object_id == "0"


def test_verify_command_reports_an_intact_chain(capsys):
    _record_three()
    call_command("audit", "verify")
    assert "共 3 条" in capsys.readouterr().out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database-level guard exists on PostgreSQL")
def test_postgresql_refuses_updates_of_audit_rows():
    from django.db import DatabaseError, transaction

    _record_three()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditevent SET object_id = 'x' WHERE seq = 1")
    assert audit_verify().ok
