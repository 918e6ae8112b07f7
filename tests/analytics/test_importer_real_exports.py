"""Real ledgers as departments export them: extra columns, no record id, 发放年月 and friends."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
from tests.leads.packages import person_id

from lianqing.analytics.importer import import_package

HOLDER = person_id(21, "19600101")
PEOPLE = [(person_id(22, "19850101"), "孙一"), (person_id(23, "19860101"), "周二")]


def _messy_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "1月"
    sheet.append(["示范县2025年1月城乡低保资金发放花名册"])
    sheet.merge_cells("A1:H1")
    sheet.append(["填报单位：示范县民政局（盖章）", None, None, None, None, "单位：元"])
    sheet.append(
        [
            "序号",
            "补贴对象",
            "身份证号码",
            "户主身份证号",
            "补贴类型",
            "发放年月",
            "发放金额（元）",
            "发放时间",
            "备注",
        ]
    )
    for number, (pid, name) in enumerate(PEOPLE, start=1):
        sheet.append(
            [
                number,
                name,
                pid,
                HOLDER,
                "低保",
                "2025年01月",
                600 + number,
                "2025-01-10 09:30",
                f"核查{number}",
            ]
        )
    sheet.append(["合计", None, None, None, None, None, 1203, None, None])
    book.save(path)
    return path


def _gbk_csv(path: Path) -> Path:
    with path.open("w", encoding="gbk", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["补贴对象", "身份证", "补贴类型", "年月", "补助金额", "发放时间", "备注"])
        for pid, name in PEOPLE:
            writer.writerow([name, pid, "特困供养", "202502", "450.00", "2025/2/10", "新增对象"])
    return path


def test_a_messy_workbook_is_imported_with_its_extra_columns_kept(tmp_path: Path) -> None:
    source = _messy_workbook(tmp_path / "低保花名册.xlsx")
    result = import_package([f"benefits={source}"], tmp_path / "pkg")
    # 序号 and 备注 are not the contract's: a note, not a problem, and their values are kept
    assert result.ok, result.problems
    (report,) = result.sources
    assert report.unknown_headers == ["序号", "备注"]
    assert report.derived_columns == ["record_id"]
    assert any("备注" in note and "_extra/benefits-1.parquet" in note for note in result.notes)
    rows = pq.read_table(tmp_path / "pkg" / "benefits.parquet").to_pylist()
    assert [(row["record_id"], row["name"], row["period"]) for row in rows] == [
        ("低保花名册-1月-4", "孙一", "2025-01"),
        ("低保花名册-1月-5", "周二", "2025-01"),
    ]
    assert {row["account_holder_id"] for row in rows} == {HOLDER}
    assert [row["amount"] for row in rows] == [Decimal("601.00"), Decimal("602.00")]
    extra = pq.read_table(tmp_path / "pkg" / "_extra" / "benefits-1.parquet").to_pylist()
    assert [(row["_row"], row["record_id"], row["备注"]) for row in extra[:2]] == [
        (4, "低保花名册-1月-4", "核查1"),
        (5, "低保花名册-1月-5", "核查2"),
    ]
    # the 合计 row is rejected with its row number; the manifest names what was kept
    with (tmp_path / "pkg" / "_rejects.csv").open(encoding="utf-8") as handle:
        rejected = [(row["sheet"], row["row"]) for row in csv.DictReader(handle)]
    assert ("1月", "6") in rejected
    manifest = json.loads((tmp_path / "pkg" / "_manifest.json").read_text(encoding="utf-8"))
    assert manifest["sources"][0]["extra_file"] == "_extra/benefits-1.parquet"
    assert manifest["notes"] == result.notes


def test_derived_record_ids_are_stable_across_imports(tmp_path: Path) -> None:
    source = _messy_workbook(tmp_path / "低保花名册.xlsx")
    ids = []
    for out in ("first", "second"):
        import_package([f"benefits={source}"], tmp_path / out)
        ids.append(pq.read_table(tmp_path / out / "benefits.parquet")["record_id"].to_pylist())
    assert ids[0] == ids[1]
    assert len(set(ids[0])) == len(PEOPLE)


def test_a_gbk_csv_with_common_headers_is_understood(tmp_path: Path) -> None:
    source = _gbk_csv(tmp_path / "特困 2月.csv")
    result = import_package([f"benefits={source}"], tmp_path / "pkg")
    assert result.ok, result.problems
    (report,) = result.sources
    assert report.encoding.lower() in ("gbk", "gb18030")
    assert report.mapping == {
        "补贴对象": "name",
        "身份证": "person_id",
        "补贴类型": "program",
        "年月": "period",
        "补助金额": "amount",
        "发放时间": "pay_date",
    }
    rows = pq.read_table(tmp_path / "pkg" / "benefits.parquet").to_pylist()
    assert [row["record_id"] for row in rows] == ["特困_2月-2", "特困_2月-3"]
    assert {(row["period"], row["pay_date"]) for row in rows} == {("2025-02", dt.date(2025, 2, 10))}
    assert report.unknown_headers == ["备注"]
