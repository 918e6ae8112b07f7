"""A data package on disk: which datasets it holds, checked against the contract.

Checking happens once, in DuckDB, whatever engine runs the rules: required columns must be
there and every value must convert to its contract type. The rules then read each dataset
through a view that CASTs every contract column (not TRY_CAST: a value that does not convert
is an error, never a silent NULL), so CSV and Parquet packages behave the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from lianqing.analytics.contract import DATASETS, ColumnType, Dataset, column_title
from lianqing.analytics.errors import AnalyticsError, Term

PERIOD_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])$"


@dataclass(frozen=True)
class DatasetFile:
    dataset: Dataset
    path: Path
    columns: dict[str, str]  # column name in the file -> its DuckDB type there
    rows: int

    @property
    def format(self) -> str:
        return self.path.suffix.lstrip(".").lower()


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_source(path: Path) -> str:
    """A DuckDB table function reading one dataset file (CSV as text: the view casts it)."""
    if path.suffix.lower() == ".parquet":
        return f"read_parquet({quote_literal(str(path))})"
    return (
        f"read_csv({quote_literal(str(path))}, header = true, delim = ',', quote = '\"', "
        "all_varchar = true, encoding = 'utf-8')"
    )


def typed_select(
    dataset: Dataset, source: str | None, present: set[str], only: frozenset[str] | None = None
) -> str:
    """SELECT casting every contract column (those named in `only`, when given) to its type;
    absent columns (or all, when `source` is None) become typed NULLs."""
    columns = []
    for column in dataset.columns:
        if only is not None and column.name not in only:
            continue
        name = quote_identifier(column.name)
        value = name if source is not None and column.name in present else "NULL"
        columns.append(f"CAST({value} AS {column.sql_type}) AS {name}")
    if source is None:
        return f"SELECT {', '.join(columns)} LIMIT 0"
    return f"SELECT {', '.join(columns)} FROM {source}"


def has_contract_type(file_type: str, sql_type: str) -> bool:
    """Whether a column of DuckDB type `file_type` already has the contract's `sql_type`."""
    return file_type.replace(" ", "") == sql_type.replace(" ", "")


def find_dataset_files(package: Path) -> dict[str, Path]:
    if not package.is_dir():
        raise AnalyticsError(f"数据包 {package} 不存在或不是文件夹")
    found: dict[str, Path] = {}
    for name in DATASETS:
        for suffix in (".parquet", ".csv"):  # Parquet wins when both are there
            path = package / f"{name}{suffix}"
            if path.is_file():
                found[name] = path
                break
    return found


def inspect_package(package: Path) -> dict[str, DatasetFile]:
    """Every dataset file of the package, checked; raises AnalyticsError naming file and column."""
    files: dict[str, DatasetFile] = {}
    with duckdb.connect() as connection:
        connection.execute("SET enable_progress_bar = false")
        for name, path in find_dataset_files(package).items():
            files[name] = _inspect_file(connection, DATASETS[name], path)
    return files


# What a person calls a value of each column type (a refusal names the type it expected).
TYPE_WORDS: dict[ColumnType, str] = {
    ColumnType.STRING: "文本",
    ColumnType.DATE: "日期",
    ColumnType.TIMESTAMP: "时间",
    ColumnType.PERIOD: "YYYY-MM 格式的月份",
    ColumnType.AMOUNT: "金额",
    ColumnType.INTEGER: "整数",
    ColumnType.FLOAT: "数值",
    ColumnType.QUANTITY: "数量",
    ColumnType.BOOLEAN: "是/否",
}


def _inspect_file(connection: duckdb.DuckDBPyConnection, dataset: Dataset, path: Path) -> DatasetFile:
    source = duckdb_source(path)
    try:
        described = connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        rows = connection.execute(f"SELECT count(*) FROM {source}").fetchone()
    except duckdb.Error as error:
        raise AnalyticsError("文件 %(file)s 无法读取：%(error)s", file=path.name, error=str(error)) from None
    columns = {str(row[0]): str(row[1]) for row in described}
    missing = [column for column in dataset.required_columns if column not in columns]
    if missing:
        raise AnalyticsError(
            "文件 %(file)s 缺少必需列 %(columns)s",
            file=path.name,
            columns=[Term(column_title(dataset.name, column)) for column in missing],
        )
    for column in dataset.columns:
        if column.name in columns:
            _check_column(
                connection,
                path,
                source,
                (dataset.name, column.name),
                columns[column.name],
                column.sql_type,
                column.type,
            )
    return DatasetFile(dataset, path, columns, int(rows[0]) if rows else 0)


def _check_column(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    source: str,
    dataset_column: tuple[str, str],
    file_type: str,
    sql_type: str,
    contract_type: ColumnType,
) -> None:
    """Raise when a value of the column does not convert to the contract type."""
    dataset, name = dataset_column
    column = quote_identifier(name)
    if contract_type == ColumnType.PERIOD:
        bad = f"{column} IS NOT NULL AND NOT regexp_matches(CAST({column} AS VARCHAR), '{PERIOD_PATTERN}')"
        expected = "YYYY-MM 格式的月份"
    elif not has_contract_type(file_type, sql_type):
        bad = f"{column} IS NOT NULL AND TRY_CAST({column} AS {sql_type}) IS NULL"
        expected = TYPE_WORDS[contract_type]
    else:
        return
    query = (
        f"SELECT CAST({column} AS VARCHAR), line FROM "
        f"(SELECT {column}, row_number() OVER () + 1 AS line FROM {source}) WHERE {bad} LIMIT 1"
    )
    try:
        # A parallel scan finds whether any value is bad; only then is the file numbered
        # (row_number over the whole file is a single-threaded window) to name the first one.
        any_bad = connection.execute(f"SELECT count(*) FROM {source} WHERE {bad}").fetchone()
        first_bad = connection.execute(query).fetchone() if any_bad and any_bad[0] else None
    except duckdb.Error:
        raise AnalyticsError(
            "文件 %(file)s 列“%(column)s”：类型 %(actual)s 无法转换为 %(expected)s",
            file=path.name,
            column=Term(column_title(dataset, name)),
            actual=str(file_type),
            expected=Term(expected),
        ) from None
    if first_bad is not None:
        value, line = first_bad
        template = (
            "文件 %(file)s 第 %(row)s 行 列“%(column)s”：值“%(value)s”不是 %(expected)s"
            if path.suffix.lower() == ".csv"
            else "文件 %(file)s 第 %(row)s 条记录 列“%(column)s”：值“%(value)s”不是 %(expected)s"
        )
        raise AnalyticsError(
            template,
            file=path.name,
            row=line if path.suffix.lower() == ".csv" else line - 1,
            column=Term(column_title(dataset, name)),
            value=str(value),
            expected=Term(expected),
        )
