"""EVENTS.csv (DATA-CONTRACT.md "Trends and warnings"): read, check, keep the usable rows.

A bad row is reported (file, row, reason) and left out of the model; it never stops the run.
Only a file that cannot be read at all (missing, not UTF-8, a column missing) is an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from lianqing.analytics.errors import AnalyticsError

EVENT_COLUMNS = ("event_id", "date", "unit_code", "category", "region_code")


@dataclass(frozen=True)
class EventReject:
    file: str
    row: int  # line number in the file, the header being line 1
    event_id: str
    reason: str


@dataclass(frozen=True)
class Events:
    """The usable events: event_id, day (date32), unit_code, category, region_code (strings, '' = none)."""

    table: pa.Table
    rejects: list[EventReject]


def read_events_csv(path: Path) -> pa.Table:
    """Every cell as text, with the line number of each row."""
    if not path.is_file():
        raise AnalyticsError(f"找不到事件文件 {path}")
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=1 << 24),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in EVENT_COLUMNS},
                strings_can_be_null=False,
                include_columns=None,
            ),
        )
    except pa.ArrowInvalid as error:
        text = str(error)
        if "UTF8" in text or "utf8" in text or "UTF-8" in text:
            raise AnalyticsError(f"{path.name}: 不是 UTF-8 编码的 CSV 文件") from error
        raise AnalyticsError(f"{path.name}: 无法按 CSV 读取：{text}") from error
    missing = [name for name in EVENT_COLUMNS if name not in table.column_names]
    if missing:
        raise AnalyticsError(f"{path.name}: 缺少列 {', '.join(missing)}")
    table = table.select(list(EVENT_COLUMNS))
    for name in EVENT_COLUMNS:
        if not pa.types.is_string(table.schema.field(name).type):
            table = table.set_column(
                table.schema.get_field_index(name), name, table.column(name).cast(pa.string())
            )
    return table.append_column("line", pa.array(range(2, table.num_rows + 2), pa.int64()))


# Each reason is checked in this order; a row is rejected for the first that applies. Repeated ids
# are found by grouping first, so the costly numbering runs over the few repeated rows only.
_REPEATS_SQL = """
CREATE TEMP TABLE repeats AS
SELECT line FROM (
  SELECT line, row_number() OVER (PARTITION BY trim(event_id) ORDER BY line) AS number
  FROM raw WHERE trim(event_id) IN (SELECT trim(event_id) FROM raw GROUP BY 1 HAVING count(*) > 1)
) WHERE number > 1
"""

_CHECKS_SQL = """
CREATE TEMP TABLE checked AS
SELECT line, event_id,
  CASE
    WHEN event_id = '' THEN '缺少事件编号'
    WHEN day IS NULL THEN '日期无法识别，应为 YYYY-MM-DD：' || raw_date
    WHEN day > $as_of THEN '日期晚于截止日 ' || CAST($as_of AS VARCHAR)
    WHEN category = '' THEN '缺少问题类别'
    WHEN unit_code = '' AND region_code = '' THEN '单位和地区均为空'
    WHEN $check_units AND unit_code <> '' AND unit_code NOT IN (SELECT unit_code FROM known_units)
      THEN '未知单位 ' || unit_code
    WHEN line IN (SELECT line FROM repeats) THEN '事件编号重复'
  END AS reason,
  day, unit_code, category, region_code
FROM (
  SELECT line, trim(event_id) AS event_id, date AS raw_date,
         try_strptime(trim(date), '%Y-%m-%d')::DATE AS day,
         trim(unit_code) AS unit_code, trim(category) AS category, trim(region_code) AS region_code
  FROM raw
)
"""


def check_events(raw: pa.Table, *, file_name: str, as_of: dt.date, units: set[str] | None = None) -> Events:
    """Split the rows into usable events and rejects (file, row, reason)."""
    connection = duckdb.connect()
    try:
        connection.register("raw", raw)
        connection.register(
            "known_units", pa.table({"unit_code": pa.array(sorted(units or ()), pa.string())})
        )
        connection.execute(_REPEATS_SQL)
        connection.execute(_CHECKS_SQL, {"as_of": as_of, "check_units": units is not None})
        rejected = connection.execute(
            "SELECT line, event_id, reason FROM checked WHERE reason IS NOT NULL ORDER BY line"
        ).fetchall()
        rejects = [EventReject(file_name, line, event_id, reason) for line, event_id, reason in rejected]
        table = connection.sql(
            "SELECT event_id, day, unit_code, category, region_code FROM checked WHERE reason IS NULL"
        ).to_arrow_table()
    finally:
        connection.close()
    return Events(table=table, rejects=rejects)


def events_from_rows(rows: list[dict[str, object]]) -> pa.Table:
    """The same text table from rows the web app passes (dates as date or text)."""
    columns: dict[str, list[str]] = {name: [] for name in EVENT_COLUMNS}
    for row in rows:
        for name in EVENT_COLUMNS:
            value = row.get(name)
            columns[name].append("" if value is None else str(value))
    table = pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})
    return table.append_column("line", pa.array(range(2, len(rows) + 2), pa.int64()))
