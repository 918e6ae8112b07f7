"""`audit verify` from the last verified row, `--full` from the start, and the in-database check."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from lianqing.core import audit_check
from lianqing.core.audit import audit_record, audit_verify
from lianqing.core.audit_key import audit_key_get
from lianqing.core.audit_retention import audit_prune
from lianqing.core.models import AuditAction, AuditChainHead, AuditEvent
from tests.core.test_audit import _tamper
from tests.core.test_audit_copy import write_sha256_rows

pytestmark = pytest.mark.django_db

POSTGRESQL_ONLY = pytest.mark.skipif(connection.vendor != "postgresql", reason="the in-database check")

# Details as the services write them, and some the SQL canonical form does not vouch for.
DETAILS = [
    {},
    {"step": "totp"},
    {"page": 3, "名": "测试", "quote": 'a "b" \\ c', "ctl": "line\nnext\ttab\x01"},
    {"fields": ["status", "handler"], "from": None, "ok": True, "n": -12},
    {"changes": {"b": 1, "a": "二", "Z": False}, "ids": [], "empty": {}},
    {"deep": {"more": {"and": ["more"]}}},  # three levels: Python checks it
    {"ratio": 1.5, "tiny": 1e-07},  # PostgreSQL prints 1e-07 as 0.0000001: Python checks it
]


@pytest.fixture(autouse=True)
def audit_files(settings, tmp_path):
    settings.AUDIT_KEY_FILE = tmp_path / "keys" / "audit_chain.key"
    settings.AUDIT_HEAD_DIR = tmp_path / "heads"
    return settings


def _record(n: int, start: int = 0) -> list[AuditEvent]:
    return [
        audit_record(
            action=AuditAction.UPDATE,
            object_type="cases.case",
            object_id=str(i),
            details=DETAILS[i % len(DETAILS)],
        )
        for i in range(start, start + n)
    ]


def test_incremental_verify_checks_only_the_rows_after_the_last_verified_one():
    _record(3)
    first = audit_verify()
    assert (first.ok, first.rows_checked, first.rows_in_chain) == (True, 3, 3)
    head = AuditChainHead.objects.get(pk=1)
    assert (head.verified_seq, head.verified_hash) == (3, AuditEvent.objects.get(seq=3).hash)
    _record(4, start=3)
    second = audit_verify()
    assert (second.ok, second.rows_checked, second.rows_in_chain) == (True, 4, 7)
    assert AuditChainHead.objects.get(pk=1).verified_seq == 7
    assert audit_verify().rows_checked == 0  # nothing new
    assert audit_verify(full=True).rows_checked == 7


def test_a_row_changed_after_the_checkpoint_is_found():
    _record(3)
    assert audit_verify().ok
    _record(3, start=3)
    _tamper("UPDATE core_auditevent SET object_id = %s WHERE seq = %s", ["999", 5])
    result = audit_verify()
    assert (result.broken_seq, result.rows_checked) == (5, 1)
    assert AuditChainHead.objects.get(pk=1).verified_seq == 3  # a broken run never moves the checkpoint


def test_a_row_changed_before_the_checkpoint_is_found_by_a_full_verify(capsys):
    _record(4)
    assert audit_verify().ok
    _tamper("UPDATE core_auditevent SET object_id = %s WHERE seq = %s", ["999", 2])
    assert audit_verify().ok  # the incremental run starts after row 4
    assert audit_verify(full=True).broken_seq == 2
    with pytest.raises(CommandError, match="第 2 条"):
        call_command("audit", "verify", "--full")


def test_a_changed_checkpoint_row_is_reported():
    _record(3)
    assert audit_verify().ok
    _tamper("UPDATE core_auditevent SET hash = %s WHERE seq = %s", ["f" * 64, 3])
    result = audit_verify()
    assert result.broken_seq == 3
    assert "上次校验完好" in result.reason


def test_a_checkpoint_moved_forward_in_the_database_is_ignored():
    """Whoever writes the database cannot skip their change by moving the checkpoint past it."""
    _record(2)
    assert audit_verify().ok
    _record(3, start=2)
    _tamper("UPDATE core_auditevent SET object_id = %s WHERE seq = %s", ["999", 4])
    last = AuditEvent.objects.get(seq=5)
    AuditChainHead.objects.filter(pk=1).update(verified_seq=5, verified_hash=last.hash)  # MAC left as it was
    assert audit_verify().broken_seq == 4


def test_verify_after_a_retention_prune_starts_from_the_prune_point():
    _record(3)
    assert audit_verify().ok  # checkpoint at 3
    _record(3, start=3)
    later = timezone.now() + timedelta(days=200)
    assert audit_prune(older_than_days=183, now=later) == 5  # rows 1-5; the prune itself is row 7
    head = AuditChainHead.objects.get(pk=1)
    assert (head.pruned_seq, head.verified_seq) == (5, 3)
    result = audit_verify()  # the checkpoint was pruned away: from the prune point
    assert (result.ok, result.rows_checked, result.rows_in_chain) == (True, 2, 2)
    _tamper("UPDATE core_auditevent SET object_id = %s WHERE seq = %s", ["999", 6])
    assert audit_verify(full=True).broken_seq == 6


def test_incremental_verify_under_the_sm_suite(settings):
    settings.CRYPTO_SUITE = "sm"
    _record(2)
    assert audit_verify().ok
    _record(3, start=2)
    assert {e.hash_algorithm for e in AuditEvent.objects.all()} == {"sm3-copy"}
    assert audit_verify().rows_checked == 3
    _tamper("UPDATE core_auditevent SET object_id = %s WHERE seq = %s", ["999", 1])
    _tamper("UPDATE core_auditevent SET details = %s WHERE seq = %s", ['{"x": 1}', 5])
    assert audit_verify().ok  # nothing new since the checkpoint
    _record(1, start=5)
    assert audit_verify().ok  # row 5 lies before the checkpoint
    assert audit_verify(full=True).broken_seq == 1


def test_the_command_prints_the_speed_and_what_it_checked(capsys):
    _record(3)
    call_command("audit", "verify")
    _record(2, start=3)
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "共 3 条" in out
    assert "共 5 条；本次校验了上次校验点之后的 2 条" in out
    assert "每秒" in out


@POSTGRESQL_ONLY
def test_postgresql_vouches_for_ordinary_rows_and_leaves_the_rest_to_python(settings):
    settings.AUDIT_VERIFY_IN_DATABASE = True
    settings.CRYPTO_SUITE = "sodium"  # SM3 rows are all Python's (the 国密 pass runs this file too)
    # Rows of the JSON form with HMAC-SHA256, the only ones SQL checks (newer rows hash COPY lines).
    write_sha256_rows([DETAILS[i % len(DETAILS)] for i in range(14)])
    key = audit_key_get()
    found = audit_check._check_range(1, 14, key, own_connection=False)
    # Only the rows with three-level details (6, 13) and 1e-07 (7, 14) are left to Python.
    assert [seq for seq, _before in found.suspects] == [6, 7, 13, 14]
    assert audit_verify().ok


@POSTGRESQL_ONLY
@pytest.mark.parametrize(
    ("sql", "params", "broken"),
    [
        ("UPDATE core_auditevent SET object_id = %s WHERE seq = %s", ["x", 4], 4),  # first row of a range
        ("UPDATE core_auditevent SET details = %s WHERE seq = %s", ['{"page": 4}', 3], 3),  # last row of one
        ("UPDATE core_auditevent SET prev_hash = %s WHERE seq = %s", ["0" * 64, 8], 8),
        ("DELETE FROM core_auditevent WHERE seq = %s", [4], 4),  # a missing row at a boundary
        ("DELETE FROM core_auditevent WHERE seq IN (%s, %s)", [5, 6], 5),  # a gap inside a range
        (
            "UPDATE core_auditevent SET created_at = created_at + interval '1 microsecond' WHERE seq = %s",
            [9],
            9,
        ),
        ("UPDATE core_auditevent SET ip_address = %s WHERE seq = %s", ["10.0.0.9", 2], 2),
        ("UPDATE core_auditevent SET details = %s WHERE seq = %s", ['{"deep": {"more": {}}}', 6], 6),
    ],
)
def test_in_database_ranges_find_every_change_python_finds(monkeypatch, settings, sql, params, broken):
    monkeypatch.setattr(audit_check, "RANGE_ROWS", 3)  # ranges 1-3, 4-6, 7-9, 10
    settings.AUDIT_VERIFY_IN_DATABASE = True
    settings.AUDIT_VERIFY_WORKERS = 1
    _record(10)
    _tamper(sql, params)
    assert audit_verify(full=True).broken_seq == broken
    settings.AUDIT_VERIFY_IN_DATABASE = False
    assert audit_verify(full=True).broken_seq == broken


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_ranges_are_checked_in_parallel_connections(monkeypatch, settings):
    monkeypatch.setattr(audit_check, "RANGE_ROWS", 4)
    settings.AUDIT_VERIFY_IN_DATABASE = True
    settings.AUDIT_VERIFY_WORKERS = 2
    _record(15)
    assert audit_verify(full=True).rows_checked == 15
    _tamper("UPDATE core_auditevent SET action = %s WHERE seq = %s", ["view", 10])
    assert audit_verify(full=True).broken_seq == 10
