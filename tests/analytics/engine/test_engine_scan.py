"""The engine's behaviour around the rules: typed registration, skips, output files, errors."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rule_kit import PackageFactory, benefit, official
from rule_kit import person_id as pid

from lianqing.analytics.engine import ScanCancelledError, list_rules, scan
from lianqing.analytics.engine import spark as spark_backend
from lianqing.analytics.errors import AnalyticsError


def _small_package(make_package: PackageFactory, fmt: str = "csv") -> Path:
    person = pid(1)
    return make_package(
        {
            "officials": [official(person)],
            "benefits": [
                benefit("b1", person, "2024-03", amount="1234.5"),
                benefit("b2", pid(2), "2024-03"),
                benefit("b3", pid(2), "2024-03"),
            ],
        },
        fmt=fmt,
    )


def test_output_files_follow_the_contract(make_package: PackageFactory, tmp_path: Path) -> None:
    # Given a package holding only benefits and officials
    package = _small_package(make_package)
    # When the whole library runs
    result = scan(package=package, out=tmp_path / "out", as_of="2025-06-30")
    # Then hits.csv has the contract's header, sorted rows and two-decimal amounts
    with (tmp_path / "out" / "hits.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [
        "rule_id",
        "rule_name",
        "severity",
        "subject_id",
        "subject_name",
        "amount",
        "record_ids",
        "explanation",
        "value",
    ]
    assert [(row[0], row[3]) for row in rows[1:]] == [("B01", pid(1)), ("B04", pid(2))]
    assert [row[8] for row in rows[1:]] == ["", ""]  # only the R rules define a value
    assert rows[1][5] == "1234.50"
    assert rows[2][6] == "benefits:b2;benefits:b3"
    # And summary.json says which rules ran and which were skipped for want of datasets
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    by_rule = {entry["rule_id"]: entry for entry in summary["rules"]}
    assert summary["engine"] == "duckdb"
    assert by_rule["B01"]["hits"] == 1
    assert by_rule["B01"]["rows_scanned"] == 4
    assert by_rule["B03"]["skipped"]
    assert "死亡火化" in by_rule["B03"]["reason"]
    assert not by_rule["B10"]["skipped"]
    assert len(summary["rules"]) == len(list_rules())
    assert result.hits_arrow().num_rows == 2


def test_csv_and_parquet_packages_give_the_same_hits(make_package: PackageFactory) -> None:
    from_csv = scan(package=_small_package(make_package, "csv"), as_of="2025-06-30").hits
    from_parquet = scan(package=_small_package(make_package, "parquet"), as_of="2025-06-30").hits
    assert from_csv == from_parquet
    assert len(from_csv) == 2


def test_rules_selection_progress_and_cancel(make_package: PackageFactory) -> None:
    package = _small_package(make_package)
    seen: list[tuple[str, int, int]] = []
    result = scan(package=package, rules=["b04", "B01"], progress=lambda *call: seen.append(call))
    assert seen == [("B01", 1, 2), ("B04", 2, 2)]
    assert [hit.rule_id for hit in result.hits] == ["B01", "B04"]
    with pytest.raises(ScanCancelledError):
        scan(package=package, cancel=lambda: True)


def test_wrong_value_in_a_csv_names_file_row_and_column(make_package: PackageFactory) -> None:
    package = make_package(
        {"benefits": [benefit("b1", pid(1), "2024-03"), benefit("b2", pid(2), "2024-03", amount="abc")]}
    )
    with pytest.raises(AnalyticsError, match=r"benefits\.csv 第 3 行 列“金额（元）”：值“abc”不是 金额"):
        scan(package=package)


def test_wrong_column_type_in_parquet_is_an_error(tmp_path: Path) -> None:
    table = pa.table({"person_id": [pid(1)], "death_date": ["15/03/2024"]})
    pq.write_table(table, tmp_path / "deaths.parquet")
    with pytest.raises(AnalyticsError, match=r"deaths\.parquet 第 1 条记录 列“死亡日期”"):
        scan(package=tmp_path)


def test_bad_period_and_missing_required_column(make_package: PackageFactory, tmp_path: Path) -> None:
    bad_period = make_package({"benefits": [benefit("b1", pid(1), "2024-3")]})
    with pytest.raises(AnalyticsError, match="列“所属月份”：值“2024-3”不是 YYYY-MM 格式的月份"):
        scan(package=bad_period)
    (tmp_path / "officials.csv").write_text(f"person_id,name\n{pid(1)},甲\n", encoding="utf-8")
    with pytest.raises(AnalyticsError, match=r"officials\.csv 缺少必需列 单位"):
        scan(package=tmp_path)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"rules": ["Z99"]}, "没有规则 Z99"),
        ({"params": {"F02.per_head": "1"}}, "没有参数 per_head"),
        ({"params": {"F02.per_head_max": "abc"}}, "不是数值"),
        ({"params": {"F02.per_head_max": "-1"}}, "小于下限"),
        ({"params": {"B03.grace_months": "1.5"}}, "不是整数"),
        ({"params": {"per_head_max": "1"}}, r"规则编号\.参数名"),
        ({"params": {"Q01.x": "1"}}, "没有规则 Q01"),
        ({"as_of": "2025-13-01"}, "无法识别的日期"),
        ({"engine": "oracle"}, "未知的引擎 oracle"),
    ],
    ids=[
        "unknown-rule",
        "unknown-param",
        "not-a-number",
        "below-minimum",
        "not-an-integer",
        "no-rule-in-name",
        "param-of-unknown-rule",
        "bad-as-of",
        "unknown-engine",
    ],
)
def test_bad_options_are_clear_errors(
    make_package: PackageFactory, options: dict[str, object], message: str
) -> None:
    with pytest.raises(AnalyticsError, match=message):
        scan(package=_small_package(make_package), **options)  # type: ignore[arg-type]


def test_missing_package_folder(tmp_path: Path) -> None:
    with pytest.raises(AnalyticsError, match="不存在"):
        scan(package=tmp_path / "nowhere")


def test_spark_not_installed_is_a_clear_error(
    make_package: PackageFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given PySpark cannot be imported (None in sys.modules makes the import fail)
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    monkeypatch.setattr(spark_backend, "_SESSIONS", {})
    with pytest.raises(AnalyticsError, match=r"lianqing\[spark\]"):
        scan(package=_small_package(make_package), engine="spark")


def test_engine_imports_without_django() -> None:
    code = "import sys, lianqing.analytics.engine as e; e.list_rules(); assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603
