"""The source records behind a hit, read from its package's Parquet files with DuckDB.

A record id is `dataset:key`, compound keys joined with '|' in the order of the dataset's key
columns in contract.py (dates as YYYY-MM-DD). Every value from a hit or a user goes in as a bound
parameter; only dataset and column names from the contract are spelled into the SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import duckdb

from lianqing.analytics.contract import DATASETS, Dataset

MAX_RECORDS_PER_DATASET = 200


class HitLike(Protocol):
    """What the evidence readers need of a hit: the engine's `Hit` and the leads model both fit."""

    rule_id: str
    subject_id: str
    subject_name: str
    amount: Decimal | None
    record_ids: str  # `dataset:key` ids joined by ';'


def split_record_ids(record_ids: str) -> list[str]:
    return [record_id for record_id in record_ids.split(";") if record_id]


@dataclass(frozen=True)
class DatasetRecords:
    name: str
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]

    @property
    def table(self) -> list[list[Any]]:
        return [[row.get(column) for column in self.columns] for row in self.rows]


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def key_sql(dataset: Dataset) -> str:
    return "concat_ws('|', " + ", ".join(f"CAST({quote(c)} AS VARCHAR)" for c in dataset.key) + ")"


def parse_record_ids(record_ids: Iterable[str]) -> dict[str, list[str]]:
    """{dataset: [key, …]} in first-seen order; ids of unknown datasets are dropped."""
    keys: dict[str, list[str]] = defaultdict(list)
    for record_id in record_ids:
        name, _, key = record_id.partition(":")
        if name in DATASETS and key and key not in keys[name]:
            keys[name].append(key)
    return dict(keys)


def plain(value: Any) -> Any:
    """A JSON- and template-friendly value."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class PackageReader:
    """Parameterised reads of one package folder (one DuckDB connection; use as a context manager)."""

    def __init__(self, package_path: str | Path) -> None:
        self.path = Path(package_path)
        self.connection = duckdb.connect()

    def __enter__(self) -> PackageReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.connection.close()

    def has(self, dataset: str) -> bool:
        return (self.path / f"{dataset}.parquet").is_file()

    def file(self, dataset: str) -> str:
        return str(self.path / f"{dataset}.parquet")

    def query(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        cursor = self.connection.execute(sql, params)
        names = [column[0] for column in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def rows_by_key(self, dataset_name: str, keys: list[str]) -> list[dict[str, Any]]:
        if not keys or not self.has(dataset_name):
            return []
        dataset = DATASETS[dataset_name]
        return self.query(
            f"SELECT * FROM read_parquet(?) WHERE {key_sql(dataset)} IN (SELECT unnest(?::VARCHAR[])) "
            f"ORDER BY {key_sql(dataset)} LIMIT {MAX_RECORDS_PER_DATASET}",
            [self.file(dataset_name), keys],
        )

    def rows_where_in(
        self, dataset_name: str, column: str, values: Iterable[str], limit: int = 500
    ) -> list[dict[str, Any]]:
        """Rows whose `column` (a contract column) is one of `values`."""
        wanted = sorted({value for value in values if value})
        dataset = DATASETS[dataset_name]
        if not wanted or not self.has(dataset_name) or column not in dataset.column_names:
            return []
        return self.query(
            f"SELECT * FROM read_parquet(?) WHERE {quote(column)} IN (SELECT unnest(?::VARCHAR[])) LIMIT {int(limit)}",
            [self.file(dataset_name), wanted],
        )

    def records(self, record_ids: Iterable[str]) -> list[DatasetRecords]:
        """The records behind `record_ids`, grouped by dataset in contract order."""
        keys = parse_record_ids(record_ids)
        found = []
        for name, dataset in DATASETS.items():
            if name not in keys:
                continue
            rows = [{k: plain(v) for k, v in row.items()} for row in self.rows_by_key(name, keys[name])]
            columns = [c for c in dataset.column_names if any(row.get(c) not in (None, "") for row in rows)]
            found.append(DatasetRecords(name, dataset.title, columns, rows))
        return found


def hit_records(package_path: str | Path, record_ids: Iterable[str]) -> list[DatasetRecords]:
    with PackageReader(package_path) as reader:
        return reader.records(record_ids)
