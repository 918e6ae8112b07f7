"""Honest CI: with CI set, `make test` fails when the PostgreSQL pass cannot run."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOBODY_LISTENS = "1"  # a port where no PostgreSQL answers


def _test_postgres(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "CI"}}
    return subprocess.run(  # noqa: S603
        [
            shutil.which("make") or "make",
            "--no-print-directory",
            "test-postgres",
            f"PG_PORT={NOBODY_LISTENS}",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_in_ci_a_postgresql_pass_that_cannot_run_fails():
    result = _test_postgres(CI="true")
    assert result.returncode != 0
    assert "must run" in result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_outside_ci_it_is_skipped_with_a_message():
    result = _test_postgres()
    assert result.returncode == 0
    assert "PostgreSQL pass skipped" in result.stdout
