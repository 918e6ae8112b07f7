"""Helpers for the engine tests: valid person ids, hand-made packages, running one rule."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from stdnum.cn import ric

from lianqing.analytics.contract import DATASETS
from lianqing.analytics.engine import Hit, ScanResult, scan

PackageFactory = Callable[..., Path]

# The monthly packages (conftest.monthly_packages): the months they are cut at, and the scans' date.
MONTHS = ("2025-09", "2025-10", "2025-11", "2025-12")
AS_OF = "2025-12-31"


@dataclass(frozen=True)
class SparkScan:
    """A scan on Spark of one of the monthly packages, and the folder it wrote."""

    package: Path
    out: Path
    result: ScanResult


def person_id(number: int, birth: str = "19800101", region: str = "370102") -> str:
    """A valid 公民身份号码 with a sequence number (0-999)."""
    body = f"{region}{birth}{number:03d}"
    return body + ric.calc_check_digit(body + "0")


def write_package(folder: Path, tables: dict[str, list[dict[str, Any]]], *, fmt: str = "csv") -> Path:
    """Write each dataset's rows with the contract's column order (columns the rows use)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        dataset = DATASETS[name]
        used = {key for row in rows for key in row}
        columns = [column for column in dataset.columns if column.name in used or column.required]
        if fmt == "csv":
            with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow([column.name for column in columns])
                for row in rows:
                    writer.writerow(
                        ["" if row.get(c.name) is None else _text(row.get(c.name)) for c in columns]
                    )
        else:
            # Parquet in exact contract types, as the importer and the generator write it.
            data = {
                column.name: pa.array(
                    [None if row.get(column.name) is None else _text(row[column.name]) for row in rows],
                    pa.string(),
                ).cast(column.arrow_type)
                for column in columns
            }
            pq.write_table(pa.table(data), folder / f"{name}.parquet")
    return folder


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def run_rule(package: Path, rule_id: str, **options: Any) -> dict[str, Hit]:
    """The hits of one rule by subject_id (as_of fixed unless given)."""
    options.setdefault("as_of", "2025-06-30")
    result = scan(package=package, rules=[rule_id], **options)
    return {hit.subject_id: hit for hit in result.hits}


def benefit(
    record_id: str, person: str, period: str, program: str = "低保", amount: str = "500.00", **extra: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "record_id": record_id,
        "program": program,
        "person_id": person,
        "name": extra.pop("name", f"领取人{record_id}"),
        "amount": amount,
        "period": period,
        "pay_date": extra.pop("pay_date", f"{period}-10"),
    }
    row.update(extra)
    return row


def official(
    person: str, org: str = "G1", start: str = "2020-01-01", end: str | None = None, **extra: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "person_id": person,
        "name": extra.pop("name", f"干部{person[-4:]}"),
        "org_code": org,
        "category": extra.pop("category", "公务员"),
        "is_leader": extra.pop("is_leader", False),
        "start_date": start,
        "end_date": end,
    }
    row.update(extra)
    return row
