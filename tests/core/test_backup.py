"""Backups that restore: backup → wipe → restore gives identical tables, readable reports and a
verifying audit chain; a damaged, foreign, newer or misdirected restore changes nothing."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from lianqing.core.audit import audit_verify
from lianqing.core.audit_heads import audit_head_export
from lianqing.core.backup.errors import BackupError
from lianqing.core.backup.services import (
    backup_create,
    backup_daily,
    backup_restore,
    backup_verify,
    backups_to_keep,
)
from lianqing.core.roles import Role
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.models import Attachment, Report
from lianqing.intake.selectors import attachment_read, report_identity_read
from tests.intake.conftest import (
    REPORTER_ID,
    REPORTER_NAME,
    approve_identity,
    give_key,
    image_upload,
    intake_env,  # noqa: F401 (a fixture)
    intake_key_dir,  # noqa: F401 (a fixture)
    named_form_data,
    unlock,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "backup passphrase of the commission"
RECEIPT = re.compile(r'id="receipt-code">(\d{4} \d{4} \d{4} \d{4})<')


def _point_at(settings, home: Path) -> None:  # type: ignore[no-untyped-def]
    settings.HOME = home
    settings.KEYS_DIR = home / "keys"
    settings.DATA_DIR = home / "data"
    settings.MEDIA_ROOT = home / "uploads"
    settings.AUDIT_KEY_FILE = home / "keys" / "audit_chain.key"
    settings.AUDIT_HEAD_DIR = home.parent / "heads"


@pytest.fixture
def instance(settings, tmp_path, intake_key_dir) -> Path:  # noqa: F811
    """The whole instance (keys, uploads, data, audit key and heads) under tmp_path, set before
    anything writes an audit row, so the whole chain is keyed with the key this instance owns."""
    home = tmp_path / "instance"
    shutil.copytree(intake_key_dir, home / "keys")
    _point_at(settings, home)
    (home / "data" / "packages").mkdir(parents=True)
    (home / "data" / "packages" / "persons.csv").write_text("person_id,name\n1,张三\n", encoding="utf-8")
    (home / "secret_key").write_text("not the real one", encoding="utf-8")
    return home


@pytest.fixture
def named_report(client, settings, instance, intake_env, org_tree, make_user):  # noqa: F811
    _point_at(settings, instance)  # intake_env pointed keys and uploads at its own folders
    petition = make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    give_key(petition)
    challenge = challenge_issue()
    data = {
        **named_form_data(),
        "token": challenge.token,
        "proof": proof_solve(challenge.token, challenge.bits),
    }
    response = client.post(reverse("intake:report_form"), {**data, "attachments": [image_upload()]})
    assert response.status_code == 200, response.content.decode()[:500]
    report = Report.objects.get()
    approve_identity(report, petition)
    audit_head_export()
    return report, petition


def _tables() -> dict[str, list[tuple[object, ...]]]:
    with connection.cursor() as cursor:
        snapshot = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            snapshot[table] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return snapshot


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _wipe(instance: Path, settings) -> None:  # type: ignore[no-untyped-def]
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(instance)
    shutil.rmtree(settings.AUDIT_HEAD_DIR)
    instance.mkdir()


def test_backup_wipe_restore_gives_the_same_platform(named_report, instance, settings, tmp_path):
    report, petition = named_report
    tables, files, heads = _tables(), _files(instance), _files(Path(settings.AUDIT_HEAD_DIR))
    assert heads  # the signed head is part of what must come back
    archive = tmp_path / "nightly.lqbak"
    manifest = backup_create(archive, PASSPHRASE, strong_kdf=False)
    assert manifest.rows["intake_report"] == 1
    raw = archive.read_bytes()
    for secret in (REPORTER_NAME.encode(), REPORTER_ID.encode(), b"person_id,name", "张三".encode()):
        assert secret not in raw  # sealed, not merely packed
    assert backup_verify(archive, PASSPHRASE).files == manifest.files

    _wipe(instance, settings)
    assert Report.objects.count() == 0
    backup_restore(archive, PASSPHRASE)

    assert _tables() == tables
    assert _files(instance) == files
    assert _files(Path(settings.AUDIT_HEAD_DIR)) == heads
    restored = Report.objects.get(pk=report.pk)
    key = unlock(petition)  # the same personal passphrase opens the same report
    identity = report_identity_read(report=restored, private_key=key, user=petition)
    assert (identity.name, identity.id_number) == (REPORTER_NAME, REPORTER_ID)
    content = attachment_read(
        attachment=Attachment.objects.get(report=restored), private_key=key, user=petition
    )
    assert content.data[:2] == b"\xff\xd8"  # the stripped JPEG, whole
    result = audit_verify()
    assert result.ok, result.reason


def test_a_tampered_archive_is_refused_and_nothing_changes(named_report, instance, settings, tmp_path):
    archive = tmp_path / "b.lqbak"
    backup_create(archive, PASSPHRASE, strong_kdf=False)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "tampered.lqbak"
    tampered.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="篡改"):
        backup_verify(tampered, PASSPHRASE)
    _wipe(instance, settings)
    with pytest.raises(BackupError, match="篡改"):
        backup_restore(tampered, PASSPHRASE)
    assert Report.objects.count() == 0
    assert _files(instance) == {}


def test_a_cut_off_archive_and_a_wrong_passphrase_are_refused(named_report, tmp_path):
    archive = tmp_path / "b.lqbak"
    backup_create(archive, PASSPHRASE, strong_kdf=False)
    cut = tmp_path / "cut.lqbak"
    cut.write_bytes(archive.read_bytes()[:-100])
    with pytest.raises(BackupError, match=r"不完整|篡改"):
        backup_verify(cut, PASSPHRASE)
    with pytest.raises(BackupError, match="口令不正确"):
        backup_verify(archive, "another passphrase entirely")


def test_a_restore_into_an_instance_with_data_changes_nothing(named_report, instance, tmp_path):
    archive = tmp_path / "b.lqbak"
    backup_create(archive, PASSPHRASE, strong_kdf=False)
    before, files = _tables(), _files(instance)
    with pytest.raises(BackupError, match="不是空的"):
        backup_restore(archive, PASSPHRASE)
    assert _tables() == before
    assert _files(instance) == files


def test_an_archive_from_a_newer_version_is_refused(named_report, instance, settings, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            ["core", "9999_from_the_future", dt.datetime(2027, 1, 1, tzinfo=dt.UTC)],
        )
    archive = tmp_path / "newer.lqbak"
    backup_create(archive, PASSPHRASE, strong_kdf=False)
    _wipe(instance, settings)
    with pytest.raises(BackupError, match="更新的版本"):
        backup_restore(archive, PASSPHRASE)
    assert Report.objects.count() == 0


def test_an_existing_file_is_not_overwritten_and_a_short_passphrase_is_refused(instance, tmp_path):
    existing = tmp_path / "there.lqbak"
    existing.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="已存在"):
        backup_create(existing, PASSPHRASE, strong_kdf=False)
    assert existing.read_bytes() == b"keep me"
    with pytest.raises(BackupError, match="至少 12"):
        backup_create(tmp_path / "new.lqbak", "short", strong_kdf=False)


@pytest.mark.skipif(
    os.geteuid() != 0, reason="a real full volume needs a tmpfs mount (root; CI runs as root)"
)
def test_a_target_without_space_leaves_no_half_archive(named_report, tmp_path):
    full = tmp_path / "full"
    full.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(full)], check=True)  # noqa: S603, S607
    try:
        with pytest.raises(BackupError, match="空间不足"):
            backup_create(full / "b.lqbak", PASSPHRASE, strong_kdf=False)
        assert list(full.iterdir()) == []
    finally:
        subprocess.run(["umount", "-l", str(full)], check=False)  # noqa: S603, S607


def test_the_commands_back_up_and_verify(named_report, tmp_path, capsys):
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    out = tmp_path / "cli.lqbak"
    call_command("backup", "--out", str(out), "--passphrase-file", str(secret))
    call_command("backup", "verify", str(out), "--passphrase-file", str(secret))
    assert "备份完好" in capsys.readouterr().out
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase at all", encoding="utf-8")
    with pytest.raises(CommandError, match="口令不正确"):
        call_command("backup", "verify", str(out), "--passphrase-file", str(wrong))


def test_the_daily_backup_prunes_to_7_daily_4_weekly_12_monthly(named_report, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    now = dt.datetime(2026, 12, 1, 1, 0)
    earlier = [now - dt.timedelta(days=d) for d in range(1, 120)]
    for at in earlier:
        (folder / f"lianqing-backup-{at:%Y%m%d-%H%M%S}.lqbak").write_bytes(b"an older night")
    (folder / "notes.txt").write_text("not a backup", encoding="utf-8")
    out, removed = backup_daily(folder, PASSPHRASE, now=now)
    kept = sorted(p.name for p in folder.glob("*.lqbak"))
    assert out.name in kept
    assert len(kept) == len(backups_to_keep([*earlier, now]))
    assert len(removed) == len(earlier) + 1 - len(kept)
    assert (folder / "notes.txt").exists()  # only its own files are pruned
    backup_verify(out, PASSPHRASE)


def test_retention_keeps_the_newest_of_each_day_week_and_month():
    start = dt.datetime(2025, 1, 1, 1, 0)
    taken = [start + dt.timedelta(days=i) for i in range(700)]
    keep = backups_to_keep(taken)
    last = taken[-1]
    assert set(taken[-7:]) <= keep  # the last 7 days
    assert len(keep) <= 7 + 4 + 12
    months = {(t.year, t.month) for t in keep}
    assert len(months) == 12
    assert min(keep) > last - dt.timedelta(days=366)


def test_the_worker_backs_up_nightly_when_configured_and_says_so_when_not(named_report, settings, tmp_path):
    from lianqing.core.tasks import backup_nightly_task

    settings.BACKUP_DIR = None
    assert "未配置" in backup_nightly_task.call()["skipped"]
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    settings.BACKUP_DIR = tmp_path / "nightly"
    settings.BACKUP_PASSPHRASE_FILE = str(secret)
    result = backup_nightly_task.call()
    assert result["ok"], result
    backup_verify(settings.BACKUP_DIR / result["archive"], PASSPHRASE)
