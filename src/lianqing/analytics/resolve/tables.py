"""Reading the registry's and the mentions' tables, with messages that name file, row and column.

Files are read as text (every value a string) by DuckDB; rows the app passes in memory (a list
of dicts or an Arrow table) go through the same checks, named by the dataset instead of a file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import duckdb
import pyarrow as pa

from lianqing.analytics.engine.package import quote_literal
from lianqing.analytics.errors import AnalyticsError

PERSON_ID = re.compile(r"^[0-9]{17}[0-9X]$")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")

Rows: TypeAlias = "pa.Table | Sequence[Mapping[str, Any]]"


@dataclass(frozen=True)
class TextTable:
    """Columns of text (None where empty), with where they came from for messages."""

    label: str  # officials.csv, or the dataset name for rows passed in memory
    columns: dict[str, list[str | None]]
    first_row: int  # the row number of the first record: 2 in a CSV (after the header), else 1
    row_word: str = "行"  # 行 for a CSV or table, 条记录 for Parquet
    # for a table read with a filter: the row number in the file of the record at an index
    locate: Callable[[int], int] | None = None

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))

    def row_number(self, index: int) -> int:
        return self.locate(index) if self.locate is not None else index + self.first_row

    def where(self, index: int) -> str:
        return f"第 {self.row_number(index)} {self.row_word}"

    def column(self, name: str) -> list[str | None]:
        return self.columns.get(name) or [None] * len(self)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def from_rows(label: str, rows: Rows) -> TextTable:
    if isinstance(rows, pa.Table):
        columns = {name: [_text(v) for v in rows.column(name).to_pylist()] for name in rows.column_names}
        return TextTable(label, columns, 1)
    names: list[str] = []
    for row in rows:
        names.extend(k for k in row if k not in names)
    columns = {name: [_text(row.get(name)) for row in rows] for name in names}
    return TextTable(label, columns, 1)


def check_utf8(path: Path) -> None:
    """Raise naming the first line that is not UTF-8 (the contract's encoding)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                raise AnalyticsError(
                    f"文件 {path.name} 第 {number} 行不是 UTF-8 编码，请另存为 UTF-8 后重试"
                ) from None


def _source(path: Path) -> str:
    if path.suffix.lower() == ".parquet":
        return f"read_parquet({quote_literal(str(path))})"
    return (
        f"read_csv({quote_literal(str(path))}, header = true, delim = ',', quote = '\"', "
        "all_varchar = true, encoding = 'utf-8', null_padding = true)"
    )


def read_file(path: Path, wanted: Iterable[str] | None = None, *, people_of: Path | None = None) -> TextTable:
    """A CSV or Parquet file as text columns (only `wanted` ones, when given).

    With `people_of`, only the rows whose person_id is also in that file are read (the cadres'
    rows of a whole population's `persons`), and a message names the row in the file.
    """
    if not path.is_file():
        raise AnalyticsError(f"文件 {path} 不存在")
    is_parquet = path.suffix.lower() == ".parquet"
    if not is_parquet:
        check_utf8(path)
    source = _source(path)
    where = ""
    if people_of is not None:
        where = (
            " WHERE upper(trim(CAST(person_id AS VARCHAR))) IN "
            f"(SELECT upper(trim(CAST(person_id AS VARCHAR))) FROM {_source(people_of)})"
        )
    try:
        with duckdb.connect() as connection:
            connection.execute("SET enable_progress_bar = false")
            names = [str(row[0]) for row in connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
            keep = [n for n in names if wanted is None or n.strip().lstrip("\ufeff") in set(wanted)]
            select = ", ".join(
                f'NULLIF(TRIM(CAST("{n}" AS VARCHAR)), \'\') AS "{n.strip().lstrip(chr(0xFEFF))}"'
                for n in keep
            )
            table = connection.sql(
                f"SELECT {select or 'NULL AS _none'} FROM {source}{where}"
            ).to_arrow_table()
    except duckdb.Error as error:
        raise AnalyticsError(f"文件 {path.name} 无法读取: {str(error).splitlines()[0]}") from None
    columns = {name: table.column(name).to_pylist() for name in table.column_names if name != "_none"}
    first_row = 1 if is_parquet else 2
    locate = None
    if people_of is not None:
        ids = columns.get("person_id", [])

        def locate(index: int) -> int:
            # numbering the whole file is slow: done only to name a bad row
            with duckdb.connect() as connection:
                found = connection.execute(
                    f"SELECT line FROM (SELECT person_id, row_number() OVER () AS line FROM {source}) "
                    "WHERE trim(CAST(person_id AS VARCHAR)) = ? LIMIT 1",
                    [ids[index]],
                ).fetchone()
            return int(found[0]) + first_row - 1 if found else index + first_row

    return TextTable(path.name, columns, first_row, "条记录" if is_parquet else "行", locate)


def require_columns(table: TextTable, required: Sequence[str]) -> None:
    missing = [name for name in required if name not in table.columns]
    if missing:
        raise AnalyticsError(f"文件 {table.label} 缺少必需列 {', '.join(missing)}")


def require_values(table: TextTable, column: str) -> None:
    for index, value in enumerate(table.column(column)):
        if value is None:
            raise AnalyticsError(f"文件 {table.label} {table.where(index)} 列 {column}: 值为空")


def normalise_person_ids(table: TextTable, column: str) -> list[str]:
    """Upper-case, half-width, no spaces; raise on the first value that is not 17 digits + digit/X."""
    values = []
    match = PERSON_ID.match
    for index, value in enumerate(table.column(column)):
        if value is not None and match(value):
            values.append(value)
            continue
        text = re.sub(r"[\s-]", "", (value or "").translate(_FULL_WIDTH_DIGITS)).upper()
        if not PERSON_ID.match(text):
            raise AnalyticsError(
                f"文件 {table.label} {table.where(index)} 列 {column}: {value!r} 不是 18 位公民身份号码"
            )
        values.append(text)
    return values
