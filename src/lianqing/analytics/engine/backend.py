"""The backend interface the engine runs rules through, and its DuckDB implementation.

Rules, shared views and dataset views are written once in DuckDB SQL; a backend registers
them and runs them, carrying any dialect difference itself (see spark.py).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from lianqing.analytics.contract import Dataset
from lianqing.analytics.engine.library import Macro, used_column_names
from lianqing.analytics.engine.package import (
    DatasetFile,
    duckdb_source,
    has_contract_type,
    quote_literal,
    typed_select,
)
from lianqing.analytics.errors import AnalyticsError

# Share of the machine's memory DuckDB may hold by default; the rest is for Python, Arrow results
# and whoever else works on the machine. Larger joins spill to the temp folder.
MEMORY_SHARE = 0.5


def default_memory_limit() -> str:
    """Half of physical memory, or LIANQING_DUCKDB_MEMORY (a DuckDB size such as '8GB')."""
    configured = os.environ.get("LIANQING_DUCKDB_MEMORY", "").strip()
    if configured:
        return configured
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{int(total * MEMORY_SHARE) // 2**20}MB"


def _needs_casting(dataset: Dataset, file: DatasetFile) -> bool:
    """Whether a contract column must be parsed (CSV) or cast from its type in the file.

    Every column counts, not only those the rules use: finding those parses the library with
    sqlglot (~0.2 s), and a Parquet file with a column of another type is rare.
    """
    if file.format != "parquet":
        return True
    return any(
        not has_contract_type(file.columns[column.name], column.sql_type)
        for column in dataset.columns
        if column.name in file.columns
    )


class Backend(Protocol):
    name: str

    def register_dataset(
        self, dataset: Dataset, file: DatasetFile | None, as_name: str | None = None
    ) -> None:
        """Make `dataset` (or `as_name`) a view of contract-typed columns (empty when the package lacks it)."""

    def register_table(self, name: str, table: pa.Table) -> None:
        """Make a small engine-built table (calendar, package_datasets) queryable as `name`."""

    def create_macros(self, macros: tuple[Macro, ...]) -> None: ...

    def create_view(self, name: str, select_sql: str) -> None:
        """Create a view from a DuckDB-dialect SELECT."""

    def create_table(self, name: str, select_sql: str) -> None:
        """Compute a DuckDB-dialect SELECT once and keep its rows as `name` for the scan."""

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        """Run a DuckDB-dialect SELECT with named parameters ($name) bound by the driver."""

    def close(self) -> None: ...


class DuckDBBackend:
    name = "duckdb"

    def __init__(
        self,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        spill_dir: Path | None = None,
        spill_shown: Path | None = None,
        materialize: bool = True,
    ) -> None:
        self.materialize = materialize
        self.memory_limit = memory_limit or default_memory_limit()
        # Spill under the given folder (the scan's output folder, so a full disk is named and
        # the spill goes with the result), else under a temp folder of its own; removed at close.
        self.own_spill = spill_dir is None
        self.spill_dir = spill_dir or Path(tempfile.mkdtemp(prefix="lianqing-duckdb-"))
        self.spill_shown = spill_shown or self.spill_dir  # the folder a message names
        self.connection = duckdb.connect()
        # Rows come back unordered; the engine sorts the output itself.
        self.connection.execute("SET preserve_insertion_order = false")
        # A rule taking over 2 s would otherwise draw DuckDB's progress bar on the CLI's stderr.
        self.connection.execute("SET enable_progress_bar = false")
        self.connection.execute(f"SET temp_directory = {quote_literal(str(self.spill_dir))}")
        if threads:
            self.connection.execute(f"SET threads = {int(threads)}")
        try:
            self.connection.execute(f"SET memory_limit = {quote_literal(self.memory_limit)}")
        except duckdb.Error:
            self.close()
            raise AnalyticsError(
                "内存上限 %(limit)s 无法识别，应如 8GB、512MB", limit=self.memory_limit
            ) from None

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """DuckDB's errors about memory and the spill folder as messages for a person."""
        try:
            yield
        except duckdb.OutOfMemoryException:
            raise AnalyticsError(
                "扫描内存不足：内存上限 %(limit)s 已用尽，%(folder)s 处也无法再写入溢出数据；"
                "请调高内存上限或腾出磁盘空间",
                limit=self.memory_limit,
                folder=str(self.spill_shown),
            ) from None
        except duckdb.IOException:
            raise AnalyticsError(
                "扫描无法在 %(folder)s 写入溢出数据：磁盘已满或该文件夹不可写", folder=str(self.spill_shown)
            ) from None

    def register_dataset(
        self, dataset: Dataset, file: DatasetFile | None, as_name: str | None = None
    ) -> None:
        name = as_name or dataset.name
        source = duckdb_source(file.path) if file is not None else None
        present = set(file.columns) if file is not None else set()
        if self.materialize and file is not None and _needs_casting(dataset, file):
            # Decode and cast such a file once into DuckDB's columnar memory (spilling to disk
            # when short), keeping the columns the library refers to: a dozen rules read
            # benefits, none of them pays for parsing or casting again.
            select_sql = typed_select(dataset, source, present, only=used_column_names())
            with self._translated():
                self.connection.execute(f"CREATE OR REPLACE TABLE {name} AS {select_sql}")
        else:
            # A Parquet file already in contract types is read in place: each rule decodes
            # only its columns and row groups, which costs less than copying the whole file
            # into memory first (measured at 10M persons: 8 s and 3.5 GiB saved).
            self.create_view(name, typed_select(dataset, source, present))

    def register_table(self, name: str, table: pa.Table) -> None:
        self.connection.register(f"_{name}_arrow", table)
        self.connection.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _{name}_arrow")
        self.connection.unregister(f"_{name}_arrow")

    def create_macros(self, macros: tuple[Macro, ...]) -> None:
        for macro in macros:
            args = ", ".join(macro.args)
            self.connection.execute(f"CREATE OR REPLACE MACRO {macro.name}({args}) AS {macro.body}")

    def create_schema(self, name: str) -> None:
        self.connection.execute(f"CREATE SCHEMA IF NOT EXISTS {name}")

    def use_schema(self, name: str | None) -> None:
        """Unqualified names read `name`'s tables and views first, then the main schema's
        (a view binds its own schema's names first, so the main schema's views stay as they are)."""
        self.connection.execute(f"SET search_path = {quote_literal(f'{name},main' if name else 'main')}")

    def create_view(self, name: str, select_sql: str) -> None:
        self.connection.execute(f"CREATE OR REPLACE VIEW {name} AS {select_sql}")

    def create_table(self, name: str, select_sql: str) -> None:
        with self._translated():
            self.connection.execute(f"CREATE OR REPLACE TABLE {name} AS {select_sql}")

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        with self._translated():
            return self.connection.sql(sql, params=dict(params) if params else None).to_arrow_table()

    def close(self) -> None:
        self.connection.close()
        if self.own_spill:
            shutil.rmtree(self.spill_dir, ignore_errors=True)
