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


# A stand-in for the virtualenv's pytest: it logs which pass ran it (by its environment, as the
# Makefile sets it) and exits with FAIL_PASS's code. The SQLite pass waits for the 国密 pass to
# end, which it can only do when it runs beside the lane that holds it.
FAKE_PYTEST = """#!/bin/sh
if [ "$LIANQING_CRYPTO" = sm ]; then pass=sm; elif [ -n "$DATABASE_URL" ]; then pass=postgres; else pass=sqlite; fi
echo "$pass start" >> "$LOG"
echo "pytest of the $pass pass"
if [ "$pass" = sqlite ]; then
  i=0; while [ ! -e "$LOG.sm" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
  [ -e "$LOG.sm" ] || exit 3
fi
echo "$pass end" >> "$LOG"
[ "$pass" = sm ] && touch "$LOG.sm"
[ "$pass" = "$FAIL_PASS" ] && exit 1
exit 0
"""


def _test_databases(tmp_path: Path, fail_pass: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pytest").write_text(FAKE_PYTEST, encoding="utf-8")
    (bin_dir / "pytest").chmod(0o755)
    log = tmp_path / "passes.log"
    # The stand-in tells the passes apart by their environment: none of it may come from the pass
    # running this test (the 国密 pass sets LIANQING_CRYPTO for everything it starts).
    outer = {"DATABASE_URL", "CI", "LIANQING_CRYPTO"}
    clean = {key: value for key, value in os.environ.items() if key not in outer}
    result = subprocess.run(  # noqa: S603
        [shutil.which("make") or "make", "--no-print-directory", "test-databases", f"BIN={bin_dir}"],
        cwd=ROOT,
        env={
            **clean,
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
            "LOG": str(log),
            "FAIL_PASS": fail_pass,
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return result, log.read_text(encoding="utf-8").splitlines()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_the_sm_pass_follows_the_postgresql_pass_beside_the_sqlite_pass(tmp_path: Path):
    result, lines = _test_databases(tmp_path, fail_pass="")
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines.index("sm start") > lines.index("postgres end")
    assert lines.index("sqlite start") < lines.index("sm end") < lines.index("sqlite end")
    assert "SQLite pass: exit 0; PostgreSQL pass: exit 0; 国密 pass: exit 0" in result.stdout
    # each pass's lines are marked with it
    assert "[SQLite] pytest of the sqlite pass" in result.stdout
    assert "[PostgreSQL] pytest of the postgres pass" in result.stdout
    assert "[国密] pytest of the sm pass" in result.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("failing", ["sqlite", "postgres", "sm"])
def test_any_failing_pass_fails_test_databases_after_all_three_ran(tmp_path: Path, failing: str):
    result, lines = _test_databases(tmp_path, fail_pass=failing)
    assert result.returncode != 0
    assert sorted(line for line in lines if line.endswith(" end")) == ["postgres end", "sm end", "sqlite end"]
    names = {"sqlite": "SQLite pass", "postgres": "PostgreSQL pass", "sm": "国密 pass"}
    for name, label in names.items():
        assert (f"{label}: exit 0" in result.stdout) is (name != failing), result.stdout
