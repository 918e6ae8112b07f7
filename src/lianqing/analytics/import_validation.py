"""Validation of a batch: each column takes Arrow's fast path when clean (import_fastpath.py),
the others are normalised together in one DuckDB query (normalize.py); rows that fail go to the
rejects, and ids that fail their check are counted (kept for rule B10)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    import duckdb

from lianqing.analytics import idcodes
from lianqing.analytics.contract import Dataset, IdKind
from lianqing.analytics.import_fastpath import _arrow_fast_path
from lianqing.analytics.normalize import EMPTY_REASON, column_sql, reason_sql
from lianqing.analytics.sources import (
    ROW,
    bool_array,
    string_array,
)


class _Database:
    """The DuckDB connection, opened when a batch first needs SQL: tidy files never do, and
    importing duckdb costs a noticeable part of a small import."""

    def __init__(self, threads: int | None) -> None:
        self.threads = threads
        self._connection: duckdb.DuckDBPyConnection | None = None

    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._connection is None:
            import duckdb

            self._connection = duckdb.connect()
            if self.threads:
                self._connection.execute(f"SET threads = {int(self.threads)}")
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()


class _Normaliser:
    """Turns batches of a source's text columns into contract-typed tables plus rejects.

    Each column takes Arrow's fast path when all its values in the batch are clean; the
    others are normalised together in one DuckDB query (normalize.py).
    """

    def __init__(self, database: _Database, dataset: Dataset, columns: Mapping[str, str]):
        # columns: contract column -> source column name (c0, c1, …)
        self.database = database
        self.dataset = dataset
        self.columns = dict(columns)
        self._sql: dict[tuple[str, ...], str] = {}

    def _sql_for(self, names: tuple[str, ...]) -> str:
        if names not in self._sql:
            inner = [f'"{ROW}"']
            outer = [f'"{ROW}"']
            for name in names:
                column, source = self.dataset.column(name), self.columns[name]
                is_key = name in self.dataset.key
                sql = column_sql(column, f'"{source}"', is_key=is_key)
                inner.append(f'{sql.value} AS "{name}", "{source}" AS "__raw_{name}"')
                outer.append(f'"{name}"')
                reason = reason_sql(column, f'"__raw_{name}"', f'"{name}"', is_key=is_key)
                outer.append(f'{reason} AS "__reason_{name}"')
            self._sql[names] = f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM batch)"
        return self._sql[names]

    def run(self, batch: pa.RecordBatch) -> tuple[pa.Table, pa.Table, list[tuple[int, str, str]], int]:
        """(kept rows in the contract schema, rejected raw rows, [(row, column, reason)], rows with invalid ids)."""
        values: dict[str, pa.ChunkedArray | pa.Array] = {}
        reasons: dict[str, pa.ChunkedArray | pa.Array] = {}
        slow: list[str] = []
        for name, source in self.columns.items():
            fast = _arrow_fast_path(self.dataset.column(name), batch.column(source))
            if fast is None:
                slow.append(name)
                continue
            values[name] = fast
            if name in self.dataset.key and fast.null_count:
                reasons[name] = pc.if_else(pc.is_null(fast), EMPTY_REASON, pa.scalar(None, pa.string()))
        if slow:
            connection = self.database.connection()
            connection.register("batch", batch)
            try:
                result = connection.sql(self._sql_for(tuple(slow))).to_arrow_table()
            finally:
                connection.unregister("batch")
            for name in slow:
                values[name] = result[name]
                reasons[name] = result[f"__reason_{name}"]
        rows = batch.column(ROW)
        bad: pa.ChunkedArray | pa.Array = bool_array(np.zeros(batch.num_rows, dtype=bool))
        problems: list[tuple[int, str, str]] = []
        for name, reason in reasons.items():
            has_reason = pc.is_valid(reason)
            if not pc.any(has_reason).as_py():
                continue
            bad = pc.or_(bad, has_reason)
            problems.extend(
                zip(
                    pc.filter(rows, has_reason).to_pylist(),
                    [name] * int(pc.sum(has_reason).as_py()),
                    pc.filter(reason, has_reason).to_pylist(),
                    strict=True,
                )
            )
        keep = pc.invert(bad)
        kept_rows = int(pc.sum(keep).as_py() or 0)
        everything = kept_rows == batch.num_rows  # the usual case: no copy
        arrays = [
            (values[column.name] if everything else pc.filter(values[column.name], keep)).cast(
                column.arrow_type, safe=False
            )
            if column.name in values
            else pa.nulls(kept_rows, column.arrow_type)
            for column in self.dataset.columns
        ]
        table = pa.Table.from_arrays(
            [a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a for a in arrays],
            schema=self.dataset.arrow_schema(),
        )
        rejected_raw = pa.Table.from_batches([batch]).filter(bad)
        return table, rejected_raw, problems, _invalid_id_rows(self.dataset, table)


def _invalid_id_rows(dataset: Dataset, table: pa.Table) -> int:
    """Rows whose person ids or USCCs fail their check (kept: rule B10 reports them).

    Each distinct value is checked once per batch, person ids vectorised (idcodes).
    """
    bad: pa.ChunkedArray | pa.Array | None = None
    for column in dataset.columns:
        kind = column.id_kind
        if kind not in (IdKind.PERSON, IdKind.USCC, IdKind.PERSON_OR_USCC):
            continue
        distinct = pc.unique(table[column.name])
        if kind is IdKind.USCC:
            invalid = [v for v in distinct.to_pylist() if v and not idcodes.is_valid_uscc(v)]
        else:
            invalid = idcodes.invalid_person_ids(distinct)
            if kind is IdKind.PERSON_OR_USCC:
                invalid = [v for v in invalid if not idcodes.is_valid_uscc(v)]
        if invalid:
            hit = pc.is_in(table[column.name], value_set=string_array(invalid))  # false, never null, on nulls
            bad = hit if bad is None else pc.or_(bad, hit)
    return 0 if bad is None else int(pc.sum(bad).as_py() or 0)
