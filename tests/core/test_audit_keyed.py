"""The keyed audit chain and its exported heads: the delete-and-re-hash attack is found."""

from __future__ import annotations

import json
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from lianqing.cases.models import TimeLimits
from lianqing.core.audit import _row_hash, audit_record, audit_verify
from lianqing.core.audit_heads import audit_head_export, exported_heads
from lianqing.core.audit_key import AuditKey, AuditKeyMissingError, audit_key_get
from lianqing.core.models import AuditAction, AuditChainHead, AuditEvent
from lianqing.core.roles import Role
from lianqing.core.tasks import audit_head_export_task
from tests.core.test_audit import _tamper

pytestmark = pytest.mark.django_db

UNKEYED = AuditKey(secret=b"", from_seq=10**12)  # what an attacker without the key computes


@pytest.fixture(autouse=True)
def audit_files(settings, tmp_path):
    settings.AUDIT_KEY_FILE = tmp_path / "keys" / "audit_chain.key"
    settings.AUDIT_HEAD_DIR = tmp_path / "heads"
    return settings


def _record(n: int) -> list[AuditEvent]:
    return [
        audit_record(action=AuditAction.VIEW, object_type="intake.report", object_id=str(i), details={"i": i})
        for i in range(1, n + 1)
    ]


def _delete_and_rehash(seq: int, key: AuditKey) -> None:
    """Delete row `seq`, renumber and re-hash the tail with `key`, move the head: a full rewrite."""
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [seq])
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
    for event in list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq")):
        old_seq = event.seq
        event.seq, event.prev_hash = old_seq - 1, prev
        event.hash = _row_hash(event, key)
        _tamper(
            "UPDATE core_auditevent SET seq = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [event.seq, event.prev_hash, event.hash, old_seq],
        )
        prev = event.hash
    last = AuditEvent.objects.order_by("-seq").first()
    AuditChainHead.objects.filter(pk=1).update(last_seq=last.seq if last else 0, last_hash=prev)


def test_key_file_is_private_and_rows_are_keyed(audit_files):
    events = _record(2)
    mode = stat.S_IMODE(audit_files.AUDIT_KEY_FILE.stat().st_mode)
    assert mode == 0o600
    assert events[0].hash != _row_hash(events[0], UNKEYED)  # not a plain SHA-256 anyone can redo
    assert audit_verify().ok


def test_deleted_row_and_rehashed_tail_is_found_without_the_key():
    """The attack that passed before: delete "read identity of report 3", re-hash, move the head."""
    _record(5)
    _delete_and_rehash(3, UNKEYED)
    result = audit_verify()
    assert not result.ok
    assert result.broken_seq == 3


def test_rewrite_with_the_stolen_key_is_found_by_the_exported_head():
    _record(5)
    assert audit_head_export() is not None  # the nightly export names row 5 and its hash
    _record(2)
    _delete_and_rehash(3, audit_key_get())  # chain itself is consistent again
    assert audit_verify(check_heads=False).ok
    result = audit_verify()
    assert not result.ok
    assert result.broken_seq == 5
    with pytest.raises(CommandError, match="导出的链头"):
        call_command("audit", "verify")


def test_truncating_below_an_exported_head_is_found():
    _record(4)
    audit_head_export()
    _tamper("DELETE FROM core_auditevent WHERE seq >= %s", [3])
    AuditChainHead.objects.filter(pk=1).update(last_seq=2, last_hash=AuditEvent.objects.get(seq=2).hash)
    result = audit_verify()
    assert not result.ok
    assert result.broken_seq == 3


def test_exports_are_new_read_only_files_never_overwritten(audit_files):
    _record(2)
    first = audit_head_export()
    assert first is not None
    before = first.read_bytes()
    assert audit_head_export() is None  # nothing new: no second file
    _record(1)
    second = audit_head_export()
    assert second is not None
    assert second != first
    assert first.read_bytes() == before
    assert stat.S_IMODE(first.stat().st_mode) == 0o400
    assert [h.seq for h in exported_heads()] == [2, 3]
    assert not first.is_relative_to(audit_files.HOME)  # default is beside the instance, not in it


def test_forged_head_file_is_found(audit_files):
    _record(2)
    path = audit_head_export()
    data = json.loads(path.read_text())
    forged = audit_files.AUDIT_HEAD_DIR / "audit-head-000000000009-forged.json"
    forged.write_text(json.dumps({**data, "seq": 9}))
    result = audit_verify()
    assert not result.ok
    assert "签名" in result.reason


def test_missing_key_after_exports_is_an_error_not_a_new_key(audit_files):
    _record(1)
    audit_head_export()
    audit_files.AUDIT_KEY_FILE.unlink()
    with pytest.raises(AuditKeyMissingError):
        audit_record(action=AuditAction.VIEW, object_type="x", object_id="1")
    assert not audit_files.AUDIT_KEY_FILE.exists()


def test_rows_from_before_the_key_stay_and_are_pinned_by_the_first_keyed_row(audit_files):
    """An upgraded installation: rows 1-2 were written unkeyed; they are not rewritten."""
    audit_files.AUDIT_KEY_FILE.parent.mkdir(parents=True)
    audit_files.AUDIT_KEY_FILE.write_text(json.dumps({"version": 1, "key": "ab" * 32, "from_seq": 3}))
    events = _record(4)
    assert events[0].hash == _row_hash(events[0], UNKEYED)
    assert events[2].hash != _row_hash(events[2], UNKEYED)
    assert audit_verify().ok
    # Rewriting the unkeyed rows (which anyone can re-hash) breaks the first keyed row's link.
    _tamper("UPDATE core_auditevent SET object_id = %s WHERE seq = %s", ["forged", 1])
    forged = AuditEvent.objects.get(seq=1)
    new_hash = _row_hash(forged, UNKEYED)
    _tamper("UPDATE core_auditevent SET hash = %s WHERE seq = %s", [new_hash, 1])
    second = AuditEvent.objects.get(seq=2)
    second.prev_hash = new_hash
    _tamper(
        "UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s",
        [new_hash, _row_hash(second, UNKEYED), 2],
    )
    # Rows before the last verify's checkpoint are walked again only by a full verify.
    assert audit_verify(full=True).broken_seq == 3


def test_daily_export_task_exports_only_an_intact_chain():
    _record(2)
    assert audit_head_export_task.call()["exported"]
    _record(1)
    _tamper("UPDATE core_auditevent SET object_id = %s WHERE seq = %s", ["x", 3])
    summary = audit_head_export_task.call()
    assert summary["ok"] is False
    assert summary["exported"] is None


def test_changes_in_the_admin_are_audited(org_tree, make_user, client_for):
    admin_user = make_user(Role.ADMIN, org=org_tree.commission, is_superuser=True, is_staff=True)
    TimeLimits.objects.get_or_create(pk=1)
    client_for(admin_user).post(
        reverse("admin:cases_timelimits_change", args=[1]),
        {
            "send_up_days": 5,
            "lower_accept_days": 5,
            "accept_days": 12,
            "notify_acceptance_days": 15,
            "handling_months": 3,
            "max_extension_months": 3,
            "feedback_days": 15,
            "due_soon_days": 3,
            "assign_days": 15,
            "lead_dispose_days": 15,
            "shelved_review_months": 6,
            "trial_months": 1,
        },
    )
    row = AuditEvent.objects.get(object_type="cases.timelimits", action=AuditAction.UPDATE)
    assert row.actor == admin_user
    assert row.details["via"] == "admin"
    assert row.details["values"] == {"accept_days": "12"}
    client_for(admin_user).post(
        reverse("admin:core_org_change", args=[org_tree.township_b.pk]),
        {
            "org_code": "JW1-B",
            "name": "乙镇纪委（改）",
            "kind": "township",
            "region_code": "370124100",
            "parent": org_tree.commission.pk,
        },
    )
    assert AuditEvent.objects.filter(object_type="core.org", details__via="admin").exists()
    assert audit_verify().ok
