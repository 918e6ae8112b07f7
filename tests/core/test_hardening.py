"""Operational honesty: /healthz writes for real, SQLite commits durably, the instance is private."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.core.test_commands import _run

pytestmark = pytest.mark.django_db


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def read_only_folder(tmp_path):
    """A real read-only bind mount (as a full or remounted volume behaves), not a mock."""
    source, target = tmp_path / "rw", tmp_path / "ro"
    source.mkdir()
    target.mkdir()
    try:
        subprocess.run(["mount", "--bind", str(source), str(target)], check=True, capture_output=True)  # noqa: S603,S607
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("bind mounts need root (CI runs as root)")
    try:
        subprocess.run(  # noqa: S603
            ["mount", "-o", "remount,bind,ro", str(target)],  # noqa: S607
            check=True,
            capture_output=True,
        )
        yield target
    finally:
        subprocess.run(["umount", str(target)], check=False)  # noqa: S603,S607


def test_healthz_ok_when_everything_takes_writes(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_names_a_read_only_upload_folder(client, settings, read_only_folder):
    settings.MEDIA_ROOT = read_only_folder
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert set(body["problems"]) == {"uploads"}
    assert str(read_only_folder) in body["problems"]["uploads"]


@pytest.mark.django_db(transaction=True)
def test_healthz_names_a_read_only_database(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
    try:
        response = client.get("/healthz")
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA query_only = OFF")
            else:
                cursor.execute("SET default_transaction_read_only = off")
    assert response.status_code == 503
    assert set(response.json()["problems"]) == {"database"}


def test_sqlite_commits_are_fully_synchronous():
    if connection.vendor != "sqlite":
        pytest.skip("a SQLite setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL


def test_instance_folder_database_and_keys_are_private(tmp_path):
    home = tmp_path / "instance"
    home.mkdir(mode=0o755)
    (home / "uploads").mkdir(mode=0o755)
    old_db = home / "lianqing.sqlite3"
    old_db.write_bytes(b"")
    old_db.chmod(0o644)
    os.chmod(home, 0o755)  # noqa: S103  (what an older version left behind)

    result = _run(["migrate", "--verbosity", "0"], home, LIANQING_MODE="demo")
    assert result.returncode == 0, result.stderr

    assert _mode(home) == 0o700
    assert _mode(home / "uploads") == 0o700
    assert _mode(old_db) == 0o600
    for created in (home / "secret_key", home / "static"):
        assert _mode(created) & 0o077 == 0, created
    for sidecar in home.glob("lianqing.sqlite3*"):
        assert _mode(sidecar) & 0o077 == 0, sidecar


def test_this_process_creates_private_files(tmp_path):
    probe = tmp_path / "probe"
    probe.write_text("x")
    assert _mode(probe) & 0o077 == 0
    assert django_settings.FILE_UPLOAD_PERMISSIONS == 0o600
