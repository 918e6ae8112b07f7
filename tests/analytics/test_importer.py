"""The importer on messy exports made here: GBK with a title block, two-sheet workbooks, bad rows."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lianqing.analytics.commands.package import import_main
from lianqing.analytics.contract import DATASETS
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.importer import import_package

GOOD_ID = "11010519491231002X"
OLD_ID = "110105491231002"  # 15 digits: the same person's first-generation number
BAD_CHECK = "110105194912310021"
TITLE = [["城乡低保发放明细表"], ["填报单位：示范县民政局", "", "", "", "", "", ""], []]
HEADER = ["记录编号", "补贴项目", "公民身份号码", "姓名", "发放金额（元）", "发放月份", "发放日期"]


def _write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _rejects(package: Path) -> list[dict[str, str]]:
    with (package / "_rejects.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _table(package: Path, dataset: str) -> pa.Table:
    return pq.read_table(package / f"{dataset}.parquet")


def test_gbk_csv_below_a_title_block_is_imported_and_bad_rows_are_rejected(tmp_path: Path) -> None:
    # given a GBK export with a title block, messy values and two bad rows
    source = _write_csv(
        tmp_path / "低保.csv",
        [
            *TITLE,
            HEADER,
            ["R1", "低保", OLD_ID, "张三", "1,234.50元", "2023年5月", "2023年5月1日"],
            ["R2", "低保", "１１０１０５１９４９１２３１００２ｘ", "李四", "￥800", "202305", "20230501"],
            ["R3", "低保", BAD_CHECK, "王五", "600", "2023-05", "2023/5/1"],
            ["R4", "低保", GOOD_ID, "赵六", "六百", "2023-05", "2023/5/1"],
            ["R5", "低保", GOOD_ID, "钱七", "600", "2023-05", "五月一日"],
        ],
        "gbk",
    )
    # when it is imported
    result = import_package([f"benefits={source}"], tmp_path / "pkg")
    # then the good rows are there with contract types, the bad ones in _rejects.csv
    table = _table(tmp_path / "pkg", "benefits")
    assert table.schema == DATASETS["benefits"].arrow_schema()
    rows = table.to_pylist()
    assert [r["record_id"] for r in rows] == ["R1", "R2", "R3"]
    assert [r["person_id"] for r in rows] == [GOOD_ID, GOOD_ID, BAD_CHECK]
    assert rows[0]["amount"] == Decimal("1234.50")
    assert rows[1]["amount"] == Decimal("800.00")
    assert {r["period"] for r in rows} == {"2023-05"}
    assert {r["pay_date"] for r in rows} == {dt.date(2023, 5, 1)}
    rejects = _rejects(tmp_path / "pkg")
    assert [(r["row"], r["column"], r["value"]) for r in rejects] == [
        ("8", "发放金额（元）", "六百"),
        ("9", "发放日期", "五月一日"),
    ]
    assert rejects[0]["file"] == "低保.csv"
    assert "金额" in rejects[0]["reason"]
    # and the manifest says what happened, counting (and keeping) the bad check digit
    (report,) = result.sources
    assert (report.encoding, report.header_row, report.rows_read, report.rows_kept, report.rows_rejected) == (
        "gb18030",
        4,
        5,
        3,
        2,
    )
    assert report.rows_with_invalid_ids == 1
    assert result.ok
    manifest = json.loads((tmp_path / "pkg" / "_manifest.json").read_text("utf-8"))
    (source_entry,) = manifest["sources"]
    assert source_entry["mapping"]["公民身份号码"] == "person_id"
    assert len(source_entry["sha256"]) == 64
    assert source_entry["rows_rejected"] == 2


def test_every_sheet_of_a_workbook_is_imported_with_chinese_dates(tmp_path: Path) -> None:
    # given a workbook with two sheets of deaths (one below a title) and a notes sheet
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "一季度"
    first.append(["火化名单"])
    first.append(["身份证号码", "姓名", "火化日期"])
    first.append([GOOD_ID, "张三", "2023年5月1日"])
    second = workbook.create_sheet("二季度")
    second.append(["证件号码", "姓名", "死亡日期"])
    second.append([OLD_ID, "李四", dt.datetime(2023, 6, 2)])
    second.append(["11010519500101001X", "王五", "不详"])
    notes = workbook.create_sheet("说明")
    notes.append(["本表由殡仪馆提供"])
    path = tmp_path / "火化名单.xlsx"
    workbook.save(path)
    # when it is imported
    result = import_package([("deaths", path)], tmp_path / "pkg")
    # then both data sheets are in, the notes sheet skipped with a note, the bad date rejected
    rows = _table(tmp_path / "pkg", "deaths").to_pylist()
    assert [(r["person_id"], r["death_date"]) for r in rows] == [
        (GOOD_ID, dt.date(2023, 5, 1)),
        (GOOD_ID, dt.date(2023, 6, 2)),
    ]
    assert [(s.sheet, s.header_row, s.rows_kept) for s in result.sources] == [
        ("一季度", 2, 1),
        ("二季度", 1, 1),
    ]
    assert any("说明" in note for note in result.notes)
    (reject,) = _rejects(tmp_path / "pkg")
    assert (reject["sheet"], reject["row"], reject["column"], reject["value"]) == (
        "二季度",
        "3",
        "死亡日期",
        "不详",
    )


def test_utf8_bom_csv_and_parquet_sources_are_read(tmp_path: Path) -> None:
    csv_file = _write_csv(
        tmp_path / "deaths.csv",
        [["person_id", "name", "death_date"], [GOOD_ID, "张三", "2024-01-02"]],
        "utf-8-sig",
    )
    parquet_file = tmp_path / "persons.parquet"
    pq.write_table(
        pa.table({"身份证号": [GOOD_ID], "姓名": ["张三"], "出生日期": [dt.date(1949, 12, 31)]}), parquet_file
    )
    result = import_package([str(csv_file), str(parquet_file)], tmp_path / "pkg")
    assert result.ok, result.problems
    assert _table(tmp_path / "pkg", "deaths")["person_id"].to_pylist() == [GOOD_ID]
    assert _table(tmp_path / "pkg", "persons")["birth_date"].to_pylist() == [dt.date(1949, 12, 31)]


def test_unknown_header_is_kept_and_noted_not_a_problem(tmp_path: Path) -> None:
    source = _write_csv(
        tmp_path / "d.csv", [["身份证号码", "死亡日期", "殡仪馆编号"], [GOOD_ID, "2024-01-02", "K9"]], "utf-8"
    )
    result = import_package([f"deaths={source}"], tmp_path / "pkg")
    assert result.ok, result.problems
    (note,) = result.notes
    assert "d.csv" in note
    assert "殡仪馆编号" in note
    assert _table(tmp_path / "pkg", "deaths").num_rows == 1
    assert pq.read_table(tmp_path / "pkg" / "_extra" / "deaths-1.parquet").to_pylist() == [
        {"_row": 2, "person_id": GOOD_ID, "殡仪馆编号": "K9"}
    ]


def test_a_user_mapping_file_teaches_new_headers(tmp_path: Path) -> None:
    source = _write_csv(
        tmp_path / "d.csv", [["身份证号码", "死亡日期", "殡仪馆编号"], [GOOD_ID, "2024-01-02", "K9"]], "utf-8"
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[columns]\nsource = ["殡仪馆编号"]\n', encoding="utf-8")
    result = import_package([f"deaths={source}"], tmp_path / "pkg", mapping_file=mapping)
    assert result.ok, result.problems
    assert _table(tmp_path / "pkg", "deaths")["source"].to_pylist() == ["K9"]


def test_missing_required_column_skips_that_file_and_keeps_the_others(tmp_path: Path) -> None:
    broken = _write_csv(tmp_path / "b.csv", [["身份证号码", "姓名"], [GOOD_ID, "张三"]], "utf-8")
    good = _write_csv(tmp_path / "d.csv", [["身份证号码", "死亡日期"], [GOOD_ID, "2024-01-02"]], "utf-8")
    result = import_package([f"benefits={broken}", f"deaths={good}"], tmp_path / "pkg")
    (problem,) = result.problems
    assert "b.csv" in problem
    assert "金额（元）" in problem  # the column by its Chinese title, not its code
    assert "amount" not in problem
    assert "所属月份" in problem
    assert _table(tmp_path / "pkg", "deaths").num_rows == 1
    assert not (tmp_path / "pkg" / "benefits.parquet").exists()


def test_a_file_that_is_not_what_its_name_says(tmp_path: Path) -> None:
    fake = _write_csv(
        tmp_path / "deaths.xlsx", [["身份证号码", "死亡日期"], [GOOD_ID, "2024-01-02"]], "utf-8"
    )
    good = _write_csv(tmp_path / "persons.csv", [["身份证号码", "姓名"], [GOOD_ID, "张三"]], "utf-8")
    result = import_package([str(fake), str(good)], tmp_path / "pkg")
    (problem,) = result.problems
    assert "deaths.xlsx" in problem
    assert "Excel" in problem
    assert _table(tmp_path / "pkg", "persons").num_rows == 1


def test_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(AnalyticsError, match=r"找不到文件或文件夹"):
        import_package([str(tmp_path / "nowhere")], tmp_path / "pkg")


def test_command_exits_non_zero_with_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = _write_csv(tmp_path / "deaths.csv", [["身份证号码", "备用"], [GOOD_ID, "x"]], "utf-8")
    assert import_main([str(broken), "--out", str(tmp_path / "pkg")]) == 1
    err = capsys.readouterr().err
    assert "死亡日期" in err
    assert "Traceback" not in err
    assert import_main([str(tmp_path / "missing"), "--out", str(tmp_path / "pkg2")]) == 2
    assert "missing" in capsys.readouterr().err


def test_rows_with_the_wrong_number_of_fields_are_rejected_with_their_line(tmp_path: Path) -> None:
    source = tmp_path / "deaths.csv"
    source.write_text(
        f"person_id,name,death_date\n{GOOD_ID},张三,2024-01-02\n{GOOD_ID},李四\n{GOOD_ID},王五,2024-01-03,多余\n{GOOD_ID},赵六,2024-01-04\n",
        encoding="utf-8",
    )
    result = import_package([str(source)], tmp_path / "pkg")
    assert _table(tmp_path / "pkg", "deaths")["name"].to_pylist() == ["张三", "赵六"]
    assert [(r["row"], r["value"]) for r in _rejects(tmp_path / "pkg")] == [
        ("3", f"{GOOD_ID},李四"),
        ("4", f"{GOOD_ID},王五,2024-01-03,多余"),
    ]
    assert result.sources[0].rows_rejected == 2
