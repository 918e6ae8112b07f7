"""Installs on a network with no internet: `make wheelhouse` where the index is reachable, then
`make install WHEELHOUSE=DIR` with the network switched off (a network namespace of its own)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.offline_install

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make") or "make"


def _no_network() -> list[str]:
    """A command prefix that runs its command with no network at all, loopback included."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], check=False).returncode == 0:  # noqa: S603
        return [unshare, "-n"]
    if os.environ.get("CI"):
        pytest.fail("unshare -n must work in CI (root on Linux): the offline install has to be shown")
    pytest.skip("unshare -n needs root on Linux")


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV", "PYTHONPATH"}
    }
    return subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=1200
    )


def test_a_wheelhouse_installs_the_platform_with_the_network_off(tmp_path: Path):
    offline = _no_network()
    wheelhouse = tmp_path / "wheelhouse"
    built = _run(
        [
            MAKE,
            "--no-print-directory",
            "wheelhouse",
            f"WHEELHOUSE={wheelhouse}",
            "EXTRAS=",
            f"PYTHON={sys.executable}",
        ]
    )
    assert built.returncode == 0, built.stderr[-3000:]
    wheels = {path.name.split("-")[0].lower() for path in wheelhouse.glob("*.whl")}
    assert {"lianqing", "django", "duckdb", "pynacl"} <= wheels
    assert (tmp_path / "wheelhouse.tar.gz").stat().st_size > 0

    # The namespace really has no network: no interface but loopback (nothing is sent to check it).
    interfaces = _run(
        [*offline, sys.executable, "-c", "import socket; print([n for _, n in socket.if_nameindex()])"]
    )
    assert interfaces.stdout.strip() == "['lo']", interfaces.stdout

    venv = tmp_path / "venv"
    installed = _run(
        [
            *offline,
            MAKE,
            "--no-print-directory",
            "install",
            f"VENV={venv}",
            f"WHEELHOUSE={wheelhouse}",
            "EXTRAS=",
            f"PYTHON={sys.executable}",
        ]
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    python = venv / "bin" / "python"
    consistent = _run([*offline, str(python), "-m", "pip", "check"])
    assert consistent.returncode == 0, consistent.stdout
    rules = _run([*offline, str(venv / "bin" / "lianqing"), "rules"])
    assert rules.returncode == 0, rules.stderr[-2000:]
    assert "B01" in rules.stdout
    where = _run([*offline, str(python), "-c", "import lianqing; print(lianqing.__file__)"])
    assert str(venv) in where.stdout  # the wheel's copy, not this checkout
