"""Packages that grow month by month: the same package cut at a month (`lianqing gen --until`).

The datasets of monthly records keep only the months up to `until`, month after month, each month
written as its own Parquet row groups in the order the generator made its rows. The package of the
next month is then this one's files with rows appended: every old row group stays byte for byte,
as the incremental scan (engine/incremental.py) checks. Registers (persons, officials, companies…)
are the same whatever the month.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lianqing.analytics.contract import DATASETS
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.generate.calendar import PERIODS

# Each dataset of monthly records and the column dating a record.
MONTH_COLUMNS: dict[str, str] = {
    "benefits": "period",
    "payroll": "period",
    "fund_flows": "date",
    "expenses": "date",
    "vehicle_trips": "start_time",
    "transactions": "time",
    "fuel_fills": "time",
    "card_payments": "time",
}
ROW_GROUP_ROWS = 1_000_000


def check_until(until: str) -> str:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", until) or until not in PERIODS:
        raise AnalyticsError(
            "截止月份 %(until)s 不对：应为 YYYY-MM，在 %(first)s 至 %(last)s 之间",
            until=until,
            first=PERIODS[0],
            last=PERIODS[-1],
        )
    return until


def _month_sql(column: str, sql_type: str) -> str:
    if sql_type == "VARCHAR":
        return column  # a period, YYYY-MM
    return f"strftime(CAST({column} AS DATE), '%Y-%m')"


def cut_until(source: Path, out: Path, until: str) -> dict[str, int]:
    """Write into `out` the package `source` cut at month `until` (`out` may be `source`);
    returns the rows of each dataset cut."""
    check_until(until)
    out.mkdir(parents=True, exist_ok=True)
    if source.resolve() != out.resolve():
        for path in source.iterdir():
            if path.is_file() and path.stem not in MONTH_COLUMNS:
                shutil.copy2(path, out / path.name)
    rows: dict[str, int] = {}
    with duckdb.connect() as connection:
        connection.execute("SET enable_progress_bar = false")
        for name, column in MONTH_COLUMNS.items():
            path = source / f"{name}.parquet"
            if path.is_file():
                rows[name] = _cut_file(connection, name, column, path, out / f"{name}.parquet", until)
    return rows


def _cut_file(
    connection: duckdb.DuckDBPyConnection, name: str, column: str, path: Path, target: Path, until: str
) -> int:
    dataset = DATASETS[name]
    schema = dataset.arrow_schema()
    month = _month_sql(column, dataset.column(column).sql_type)
    names = ", ".join(f'"{field.name}"' for field in schema)
    source = "'" + str(path).replace("'", "''") + "'"
    reader = connection.sql(
        f"SELECT {names}, {month} AS _month FROM read_parquet({source}, file_row_number = true)"
        f" WHERE {month} <= $until ORDER BY _month, file_row_number",
        params={"until": until},
    ).to_arrow_reader(100_000)
    staging = target.with_name(target.name + ".cut")
    written = 0
    pending: list[pa.RecordBatch] = []
    current = None
    with pq.ParquetWriter(staging, schema, compression="zstd") as writer:
        for batch in reader:
            months = batch.column("_month")
            for month_value in pc.unique(months).to_pylist():  # sorted: ORDER BY _month
                if current is not None and month_value != current:
                    _write_month(writer, pending, schema)
                    pending = []
                current = month_value
                piece = batch.filter(pc.equal(months, month_value))
                pending.append(piece)
                written += piece.num_rows
        _write_month(writer, pending, schema)
    staging.replace(target)
    return written


def _write_month(writer: pq.ParquetWriter, batches: list[pa.RecordBatch], schema: pa.Schema) -> None:
    """One month's rows as row groups of their own, so the next month's are appended after them."""
    if batches:
        table = pa.Table.from_batches(batches).drop_columns(["_month"]).cast(schema)
        writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
