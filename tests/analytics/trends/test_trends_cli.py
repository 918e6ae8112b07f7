"""`lianqing trends`: the contract's columns, sorted; rejects beside; clear one-line errors."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.csv as pacsv

from lianqing.analytics.trends import WARNING_COLUMNS
from lianqing.analytics.trends.synthetic import generate_history


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "lianqing.cli", "trends", *args], capture_output=True, text=True, check=False
    )


def test_writes_the_contract_columns_sorted_with_rejects_and_summary(tmp_path: Path) -> None:
    history = generate_history(units=40, seed=3, plant_per_size=2)
    events_csv = tmp_path / "events.csv"
    pacsv.write_csv(history.events, events_csv)
    with events_csv.open("a", encoding="utf-8") as handle:
        handle.write('"BAD1","2026-13-01","U00001","违规吃喝","370124000"\n')
    out = tmp_path / "out"
    result = run(str(events_csv), "--as-of", history.as_of.isoformat(), "--out", str(out))
    assert result.returncode == 0, result.stderr
    with (out / "warnings.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == WARNING_COLUMNS
    body = rows[1:]
    assert body, "planted anomalies should raise warnings"
    assert body == sorted(body, key=lambda r: (r[0], r[1], r[2], r[3], r[4]))
    assert {row[3] for row in body} <= {"苗头性", "倾向性", "集中"}
    assert all(float(row[6]) >= 0 and int(row[5]) >= 0 for row in body)
    rejects = list(csv.DictReader((out / "rejects.csv").open(encoding="utf-8")))
    assert [(r["event_id"], r["row"]) for r in rejects] == [("BAD1", str(history.events.num_rows + 2))]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["events_rejected"] == 1
    assert summary["events_used"] == history.events.num_rows
    assert "1 行事件被拒收" in result.stderr


def test_a_bad_as_of_or_a_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    bad_date = run(str(tmp_path / "e.csv"), "--as-of", "2025-02-30", "--out", str(tmp_path / "o"))
    assert bad_date.returncode == 2
    assert "--as-of" in bad_date.stderr
    assert "Traceback" not in bad_date.stderr
    missing = run(str(tmp_path / "e.csv"), "--as-of", "2025-02-28", "--out", str(tmp_path / "o"))
    assert missing.returncode == 2
    assert "找不到事件文件" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert not (tmp_path / "o").exists()


def test_a_short_history_says_there_is_no_baseline_yet(tmp_path: Path) -> None:
    events_csv = tmp_path / "events.csv"
    events_csv.write_text(
        "event_id,date,unit_code,category,region_code\nE1,2025-01-05,U1,违规吃喝,370124\n", encoding="utf-8"
    )
    result = run(str(events_csv), "--as-of", "2025-03-31", "--out", str(tmp_path / "o"))
    assert result.returncode == 0
    assert "尚无法建立基线" in result.stderr
    assert (tmp_path / "o" / "warnings.csv").read_text(encoding="utf-8").splitlines() == [
        ",".join(WARNING_COLUMNS)
    ]
