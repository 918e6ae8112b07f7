"""Writing generated columns as contract-typed Parquet, one writer per dataset, in chunks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from lianqing.analytics.contract import DATASETS, ColumnType

CENTS = pa.decimal128(18, 2)


def amounts(cents: np.ndarray | list[int], arrow_type: pa.DataType = CENTS) -> pa.Array:
    """decimal128(18,2) from integer cents (or another scale from integer units of it), without a
    Python object per value."""
    values = np.asarray(cents, dtype=np.int64)
    pairs = np.empty((len(values), 2), dtype=np.int64)
    pairs[:, 0] = values
    pairs[:, 1] = np.where(values < 0, -1, 0)  # sign extension to 128 bits
    return pa.Array.from_buffers(arrow_type, len(values), [None, pa.py_buffer(pairs.tobytes())])


def _column(values: Any, column_type: ColumnType, arrow_type: pa.DataType) -> pa.Array:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    if column_type is ColumnType.AMOUNT:
        return amounts(values)
    if column_type is ColumnType.QUANTITY and isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        return amounts(values, arrow_type)  # integer ten-thousandths of a 亩 or a litre
    if column_type is ColumnType.DATE and isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        return pa.array(values.astype(np.int32), pa.int32()).view(pa.date32())
    if column_type is ColumnType.TIMESTAMP and isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        return pa.array(values.astype(np.int64), pa.int64()).view(arrow_type)
    if isinstance(values, np.ndarray) and values.dtype.kind == "U":
        return pa.array(values.tolist(), arrow_type)
    return pa.array(values, arrow_type)


class PackageSink:
    """Parquet writers for a package folder; every table goes in with the contract schema."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.rows: dict[str, int] = {}

    def write(self, dataset_name: str, columns: Mapping[str, Any]) -> None:
        dataset = DATASETS[dataset_name]
        lengths = {len(v) for v in columns.values()}
        if lengths == {0}:
            return
        (length,) = lengths
        arrays = [
            _column(columns[c.name], c.type, c.arrow_type)
            if c.name in columns
            else pa.nulls(length, c.arrow_type)
            for c in dataset.columns
        ]
        table = pa.Table.from_arrays(arrays, schema=dataset.arrow_schema())
        if dataset_name not in self.writers:
            self.writers[dataset_name] = pq.ParquetWriter(
                self.out / f"{dataset_name}.parquet", dataset.arrow_schema(), compression="zstd"
            )
            self.rows[dataset_name] = 0
        self.writers[dataset_name].write_table(table)
        self.rows[dataset_name] += table.num_rows

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()
