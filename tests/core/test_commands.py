"""The `lianqing` command: bad input gives one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from lianqing.core.models import AuditEvent, Org, User
from lianqing.core.roles import Role

LIANQING = [sys.executable, "-m", "lianqing.cli"]


def _run(args: list[str], home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    environment |= {"LIANQING_MODE": "test", "LIANQING_HOME": str(home)} | env
    return subprocess.run([*LIANQING, *args], capture_output=True, text=True, env=environment, timeout=120)  # noqa: S603


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(["audit", "nonsense"], "invalid choice", id="bad-subcommand-choice"),
        pytest.param(["audit", "verify"], "lianqing migrate", id="unmigrated-database"),
        pytest.param(["createadmin"], "--username", id="missing-argument"),
    ],
)
def test_bad_input_exits_non_zero_without_traceback(tmp_path, args, needle):
    result = _run(args, tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert needle in result.stderr


def test_production_without_secret_key_is_a_clear_startup_error(tmp_path):
    result = _run(["check"], tmp_path, LIANQING_MODE="production")
    assert result.returncode == 1
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_mode_keeps_its_generated_secret_in_the_instance_folder(tmp_path):
    first = _run(["migrate", "--check"], tmp_path, LIANQING_MODE="demo")
    key_file = tmp_path / "secret_key"
    assert key_file.exists(), first.stderr
    key = key_file.read_text()
    _run(["migrate", "--check"], tmp_path, LIANQING_MODE="demo")
    assert key_file.read_text() == key
    assert len(key) >= 50


@pytest.mark.django_db
def test_demo_refuses_outside_demo_mode():
    with pytest.raises(CommandError, match="LIANQING_MODE=demo"):
        call_command("demo", no_serve=True)


@pytest.mark.django_db
def test_demo_twice_duplicates_nothing():
    with override_settings(MODE="demo"):
        call_command("demo", no_serve=True)
        counts = (Org.objects.count(), User.objects.count())
        call_command("demo", no_serve=True)
    assert (Org.objects.count(), User.objects.count()) == counts
    assert counts[0] >= 10
    assert User.objects.get(username="xinfang").org.name == "信访室"  # type: ignore[union-attr]
    assert User.objects.get(username="lingdao").has_role(Role.LEADER)


@pytest.mark.django_db
def test_createadmin_creates_an_administrator_without_the_superuser_flag_and_audits_it(org_tree, monkeypatch):
    monkeypatch.setenv("LIANQING_ADMIN_PASSWORD", "Very-Long-Admin-Pass-1")
    call_command("createadmin", username="root2", org_code=org_tree.commission.org_code)
    call_command("createadmin", username="auditor1", role="安全审计员")
    admin = User.objects.get(username="root2")
    assert not admin.is_superuser  # 三员分立: production refuses superusers
    assert admin.role_names() == {"系统管理员"}
    assert User.objects.get(username="auditor1").role_names() == {"安全审计员"}
    assert admin.check_password("Very-Long-Admin-Pass-1")
    assert AuditEvent.objects.filter(
        object_type="core.user", object_id=str(admin.pk), action="create"
    ).exists()
    with pytest.raises(CommandError, match="已存在"):
        call_command("createadmin", username="root2")
    with pytest.raises(CommandError, match="不存在"):
        call_command("createadmin", username="root3", org_code="NOPE")
