"""`lianqing scan` and `lianqing rules` front ends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rule_kit import PackageFactory, benefit
from rule_kit import person_id as pid

from lianqing.analytics.commands.scan import rules_main, scan_main
from lianqing.analytics.contract import DATASETS
from lianqing.analytics.engine import get_rule, list_rules
from lianqing.analytics.engine.library import CATEGORIES


def _package(make_package: PackageFactory) -> Path:
    return make_package({"benefits": [benefit("b1", pid(1), "2024-03"), benefit("b2", pid(1), "2024-03")]})


def test_scan_writes_results_and_prints_the_table(
    make_package: PackageFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "result"
    code = scan_main(
        [
            str(_package(make_package)),
            "--out",
            str(out),
            "--rules",
            "B04,B08",
            "--param",
            "B08.min_persons=2",
            "--as-of",
            "2025-12-31",
        ]
    )
    assert code == 0
    assert (out / "hits.csv").read_text(encoding="utf-8").count("\n") == 2
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["as_of"] == "2025-12-31"
    assert [entry["params"] for entry in summary["rules"]] == [{}, {"min_persons": 2}]
    printed = capsys.readouterr().out
    assert "B04" in printed
    assert "B08" in printed


@pytest.mark.parametrize(
    "arguments",
    [
        ["--rules", "X01"],
        ["--param", "B08.min_persons=many"],
        ["--param", "B08.min_persons"],
        ["--as-of", "yesterday"],
    ],
    ids=["unknown-rule", "bad-value", "no-value", "bad-date"],
)
def test_scan_errors_are_one_line_and_non_zero(
    make_package: PackageFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str]
) -> None:
    code = scan_main([str(_package(make_package)), "--out", str(tmp_path / "out"), "--quiet", *arguments])
    error = capsys.readouterr().err.strip()
    assert code != 0
    assert error.startswith("错误:")
    assert "\n" not in error
    assert not (tmp_path / "out").exists()


def test_rules_lists_the_library(capsys: pytest.CaptureFixture[str]) -> None:
    assert rules_main([]) == 0
    printed = capsys.readouterr().out
    for rule in list_rules():
        assert rule.id in printed
        assert rule.name in printed
    assert "per_head_max=150" in printed


def test_rules_show_prints_sql_and_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    assert rules_main(["show", "b02"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("B02 公职人员近亲属享受低保")
    assert "FROM linked_subsistence_benefits" in printed
    assert rules_main(["show", "B99"]) == 2


def test_library_matches_rules_md() -> None:
    ids = [rule.id for rule in list_rules()]
    expected = [f"B{n:02d}" for n in range(1, 15)] + [f"C{n:02d}" for n in range(1, 6)]
    expected += [f"F{n:02d}" for n in range(1, 13)] + [f"M{n:02d}" for n in range(1, 4)] + ["P01", "P02"]
    expected += ["D01", "D02", "D03"]
    expected += [f"R{n:03d}" for n in (3, 18, 24, 25, 28, 30, 35, 36, 38, 48, 58)]
    assert ids == sorted(expected)
    for rule in list_rules():
        assert set(rule.datasets + rule.optional_datasets) <= set(DATASETS)


def test_severities_follow_rules_md() -> None:
    # RULES.md: 高 for B03, C01, C02, C03, F06, M02 and P02; 中 for every other rule unless its
    # row says otherwise (B02 and B08 raise some of their hits to 高, record by record)
    high = {"B03", "C01", "C02", "C03", "F06", "M02", "P02"}
    for rule in list_rules():
        assert rule.severity == ("高" if rule.id in high else "中"), rule.id
        decides_per_record = "'高'" in rule.sql
        assert decides_per_record == (rule.id in {"B02", "B08"}), rule.id


def test_every_rule_names_its_category() -> None:
    assert {rule.id: rule.category for rule in list_rules() if rule.id[0] == "B"} == {
        f"B{n:02d}": "public_interest" for n in range(1, 15)
    }
    assert {rule.category for rule in list_rules()} <= set(CATEGORIES)
    assert get_rule("F09").category == "sifeng_vehicle"
