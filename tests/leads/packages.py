"""Hand-made monthly data packages for the leads tests (CSV, as an export would arrive)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from stdnum.cn import ric

from lianqing.analytics.contract import DATASETS

CIVIL_AFFAIRS = "370124CIV"


def person_id(number: int, birth: str = "19800101") -> str:
    body = f"370124{birth}{number:03d}"
    return body + ric.calc_check_digit(body + "0")


OFFICIAL_A = person_id(1, "19700101")  # 民政局科长, spouse R1 and child R4
OFFICIAL_B = person_id(2, "19750101")  # 民政局科员, relative P3; takes 低保 himself in January
RELATIVE_1 = person_id(11, "19720101")
RELATIVE_3 = person_id(13, "19780101")
RELATIVE_4 = person_id(14, "20000101")


def write_csv_package(folder: Path, tables: dict[str, list[dict[str, Any]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        columns = [c.name for c in DATASETS[name].columns if c.required or any(c.name in row for row in rows)]
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows([str(row.get(c, "")) for c in columns] for row in rows)
    return folder


def zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


def _benefit(record_id: str, person: str, name: str, period: str, amount: str = "600.00") -> dict[str, Any]:
    return {
        "record_id": record_id,
        "program": "低保",
        "person_id": person,
        "name": name,
        "region_code": "370124001",
        "amount": amount,
        "period": period,
        "pay_date": f"{period}-10",
        "approver_org_code": "370124001",
    }


def _base() -> dict[str, list[dict[str, Any]]]:
    return {
        "orgs": [
            {"org_code": "370124000", "name": "示范县人民政府", "region_code": "370124", "kind": "党政机关"},
            {
                "org_code": CIVIL_AFFAIRS,
                "name": "示范县民政局",
                "parent_code": "370124000",
                "region_code": "370124",
                "kind": "党政机关",
            },
        ],
        "officials": [
            {
                "person_id": OFFICIAL_A,
                "name": "张科长",
                "org_code": CIVIL_AFFAIRS,
                "region_code": "370124",
                "position": "科长",
                "category": "公务员",
                "is_leader": "0",
                "start_date": "2015-01-01",
            },
            {
                "person_id": OFFICIAL_B,
                "name": "李科员",
                "org_code": CIVIL_AFFAIRS,
                "region_code": "370124",
                "position": "科员",
                "category": "公务员",
                "is_leader": "0",
                "start_date": "2018-01-01",
            },
        ],
        "relatives": [
            {
                "official_id": OFFICIAL_A,
                "relative_id": RELATIVE_1,
                "relative_name": "王配偶",
                "relation": "配偶",
            },
            {
                "official_id": OFFICIAL_B,
                "relative_id": RELATIVE_3,
                "relative_name": "李兄弟",
                "relation": "兄弟姐妹",
            },
            {
                "official_id": OFFICIAL_A,
                "relative_id": RELATIVE_4,
                "relative_name": "张子女",
                "relation": "子女",
            },
        ],
    }


def january_package(folder: Path) -> Path:
    """B02 for R1 and R3, B01 for official B."""
    tables = _base()
    tables["benefits"] = [
        _benefit("JAN001", RELATIVE_1, "王配偶", "2025-01"),
        _benefit("JAN002", RELATIVE_3, "李兄弟", "2025-01"),
        _benefit("JAN003", OFFICIAL_B, "李科员", "2025-01"),
    ]
    return write_csv_package(folder, tables)


def february_package(folder: Path) -> Path:
    """B02 for R1 again (other record), R3 again, R4 new; official B no longer paid."""
    tables = _base()
    tables["benefits"] = [
        _benefit("FEB001", RELATIVE_1, "王配偶", "2025-02"),
        _benefit("FEB002", RELATIVE_3, "李兄弟", "2025-02"),
        _benefit("FEB004", RELATIVE_4, "张子女", "2025-02"),
    ]
    return write_csv_package(folder, tables)
