"""Hand-made data packages for the engine's tests."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from stdnum.cn import ric

from lianqing.analytics.contract import DATASETS

PackageFactory = Callable[..., Path]


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


@pytest.fixture
def make_package(tmp_path: Path) -> PackageFactory:
    counter = iter(range(1000))

    def make(tables: dict[str, list[dict[str, Any]]], *, fmt: str = "csv") -> Path:
        return write_package(tmp_path / f"package{next(counter)}", tables, fmt=fmt)

    return make
