"""Production refuses to start without its audit key, or with one others can read; the operator
makes it once with `lianqing audit_key init`. Demo and test mode create it on first use."""

from __future__ import annotations

import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from lianqing.core.audit import audit_record, audit_verify
from lianqing.core.audit_key import AuditKeyMissingError
from lianqing.core.models import AuditAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_file(settings, tmp_path):
    settings.AUDIT_KEY_FILE = tmp_path / "keys" / "audit_chain.key"
    settings.AUDIT_HEAD_DIR = tmp_path / "heads"
    return settings.AUDIT_KEY_FILE


@pytest.fixture
def production(settings, key_file):
    settings.MODE = "production"
    return key_file


def test_production_does_not_start_without_the_key_and_says_how_to_make_it(production):
    with pytest.raises(SystemCheckError) as refused:
        call_command("check")
    message = str(refused.value)
    assert "lianqing.E001" in message
    assert str(production) in message
    assert "lianqing audit_key init" in message
    assert not production.exists()  # the check creates nothing


def test_production_never_creates_the_key_on_first_use(production):
    with pytest.raises(AuditKeyMissingError):
        audit_record(action=AuditAction.VIEW, object_type="x", object_id="1")
    assert not production.exists()


def test_key_readable_by_others_is_refused(production):
    call_command("audit_key", "init")
    production.chmod(0o644)
    with pytest.raises(SystemCheckError) as refused:
        call_command("check")
    assert "chmod 600" in str(refused.value)
    assert "644" in str(refused.value)


def test_init_makes_an_owner_only_key_once_and_production_starts(production, capsys):
    call_command("audit_key", "init")
    assert stat.S_IMODE(production.stat().st_mode) == 0o600
    first = production.read_bytes()
    call_command("check")  # no SystemCheckError now
    call_command("audit_key", "check")
    audit_record(action=AuditAction.VIEW, object_type="x", object_id="1")
    assert audit_verify().ok

    with pytest.raises(CommandError, match="已存在"):
        call_command("audit_key", "init")
    assert production.read_bytes() == first  # never replaced


@pytest.mark.parametrize("mode", ["demo", "test"])
def test_demo_and_test_mode_create_the_key_on_first_use(settings, key_file, mode):
    settings.MODE = mode
    call_command("check")
    audit_record(action=AuditAction.VIEW, object_type="x", object_id="1")
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_the_real_command_line_refuses_then_starts_after_init(tmp_path):
    from tests.core.test_commands import _run

    production = {"LIANQING_MODE": "production", "SECRET_KEY": "x" * 60}
    refused = _run(["check"], tmp_path, **production)
    assert refused.returncode != 0
    assert "lianqing audit_key init" in refused.stderr
    assert "Traceback" not in refused.stderr

    made = _run(["audit_key", "init"], tmp_path, **production)
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE((tmp_path / "keys" / "audit_chain.key").stat().st_mode) == 0o600
    assert _run(["check"], tmp_path, **production).returncode == 0
