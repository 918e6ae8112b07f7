"""The datasets of issue 16 and 12 (prisoners … declarations) from exports with their usual
Chinese headers: mapped, typed, and a bad value rejected with its row and column."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from lianqing.analytics.contract import DATASETS, ColumnType
from lianqing.analytics.headers import header_key, load_aliases
from lianqing.analytics.importer import import_package

GOOD_ID = "11010519491231002X"


def _write(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _rows(package: Path, dataset: str) -> list[dict[str, object]]:
    table = pq.read_table(package / f"{dataset}.parquet")
    # Parquet keeps timestamps in milliseconds; every other type is the contract's own
    expected = DATASETS[dataset].arrow_schema()
    assert table.schema.names == expected.names
    for column in DATASETS[dataset].columns:
        if column.type is not ColumnType.TIMESTAMP:
            assert table.schema.field(column.name).type == column.arrow_type, column.name
    return table.to_pylist()


def _rejects(package: Path) -> list[tuple[str, str, str]]:
    with (package / "_rejects.csv").open(encoding="utf-8") as handle:
        return [(row["file"], row["row"], row["column"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize(
    ("dataset", "header", "column"),
    [
        ("prisoners", "入监日期", "start_date"),
        ("prisoners", "刑满释放日期", "end_date"),
        ("prisoners", "身份证号码", "person_id"),
        ("disabilities", "残疾人证号", "cert_no"),
        ("disabilities", "残疾等级", "level"),
        ("disabilities", "发证日期", "issue_date"),
        ("disabilities", "注销日期", "cancel_date"),
        ("land_rights", "承包方代表身份证号", "person_id"),
        ("land_rights", "确权面积（亩）", "area_mu"),
        ("land_rights", "户编号", "household_id"),
        ("official_vehicles", "车牌号码", "plate"),
        ("official_vehicles", "油箱容积(升)", "tank_liters"),
        ("fuel_fills", "加油卡号", "card_no"),
        ("fuel_fills", "加油时间", "time"),
        ("fuel_fills", "加油量(升)", "liters"),
        ("fuel_fills", "加油站", "station"),
        ("fuel_fills", "金额（元）", "amount"),
        ("card_payments", "公务卡号", "card_no"),
        ("card_payments", "持卡人身份证号", "holder_id"),
        ("card_payments", "消费时间", "time"),
        ("card_payments", "商户名称", "merchant_name"),
        ("card_payments", "商户类别", "merchant_category"),
        ("card_payments", "消费金额", "amount"),
        ("declarations", "申报年度", "year"),
        ("declarations", "申报日期", "declared_on"),
        ("declarations", "事项类型", "item_type"),
        ("declarations", "事项描述", "item_desc"),
        ("declarations", "公民身份号码", "person_id"),
        ("benefits", "补贴面积（亩）", "quantity"),
    ],
)
def test_usual_headers_map_to_their_columns(dataset: str, header: str, column: str) -> None:
    assert load_aliases().mapping_for(DATASETS[dataset])[header_key(header)] == column


def test_land_rights_and_fuel_exports_are_typed_exactly(tmp_path: Path) -> None:
    # given a GBK land register and a fuel-card export with units in the cells and one bad value
    land = _write(
        tmp_path / "land_rights.csv",
        [
            ["户编号", "承包方代表身份证号", "行政区划代码", "确权面积（亩）"],
            ["H1", GOOD_ID, "410521101", "12.35亩"],
            ["H2", GOOD_ID, "410521101", "3.1415"],
            ["H3", GOOD_ID, "410521101", "3.14159"],
        ],
        "gbk",
    )
    fuel = _write(
        tmp_path / "fuel_fills.csv",
        [
            ["加油流水号", "加油卡号", "车牌号码", "加油时间", "加油量(升)", "金额（元）", "加油站"],
            ["J1", "9100001", "豫S12345", "2024年5月1日 08:30", "45.30L", "351.25元", "城关加油站"],
            ["J2", "9100001", "豫S12345", "2024-05-01 10:00:00", "四十升", "300.00", "城关加油站"],
        ],
    )
    # when both are imported
    import_package([str(land), str(fuel)], tmp_path / "pkg")
    # then the areas and litres are exact decimals, and the unreadable ones are rejected by row
    land_rows = _rows(tmp_path / "pkg", "land_rights")
    assert [row["area_mu"] for row in land_rows] == [Decimal("12.3500"), Decimal("3.1415")]
    fills = _rows(tmp_path / "pkg", "fuel_fills")
    assert fills == [
        {
            "fill_id": "J1",
            "card_no": "9100001",
            "plate": "豫S12345",
            "org_code": None,
            "time": dt.datetime(2024, 5, 1, 8, 30),
            "liters": Decimal("45.3000"),
            "amount": Decimal("351.25"),
            "station": "城关加油站",
        }
    ]
    assert sorted(_rejects(tmp_path / "pkg")) == [
        ("fuel_fills.csv", "3", "加油量(升)"),
        ("land_rights.csv", "4", "确权面积（亩）"),
    ]


def test_declarations_and_card_payments_with_chinese_headers(tmp_path: Path) -> None:
    declarations = _write(
        tmp_path / "declarations.csv",
        [
            ["报告编号", "公民身份号码", "申报年度", "申报日期", "事项类型", "事项描述"],
            ["S1", GOOD_ID, "2024", "2025年1月20日", "房产", "城关镇某小区一套"],
        ],
    )
    payments = _write(
        tmp_path / "card_payments.csv",
        [
            ["消费流水号", "公务卡号", "持卡人身份证号", "消费时间", "商户名称", "商户类别", "消费金额"],
            ["P1", "6283001", GOOD_ID.lower(), "20240504123000", "某饭店", "餐饮", "1,280.00"],
        ],
    )
    import_package([str(declarations), str(payments)], tmp_path / "pkg")
    (declared,) = _rows(tmp_path / "pkg", "declarations")
    assert (declared["year"], declared["declared_on"], declared["item_type"]) == (
        2024,
        dt.date(2025, 1, 20),
        "房产",
    )
    (payment,) = _rows(tmp_path / "pkg", "card_payments")
    assert payment["holder_id"] == GOOD_ID
    assert payment["time"] == dt.datetime(2024, 5, 4, 12, 30)
    assert payment["amount"] == Decimal("1280.00")
