"""Writing an imported package: one Parquet file per dataset (encoded in a thread of its own) and
the rejects file."""

from __future__ import annotations

import csv
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:
    pass

from lianqing.analytics.contract import Dataset

MANIFEST = "_manifest.json"
REJECTS = "_rejects.csv"
REJECT_HEADER = ("file", "sheet", "row", "column", "value", "reason")


class _PackageWriter:
    """Open Parquet writers (one per dataset) and the rejects file of one import.

    Batches are gathered into row groups of about `ROW_GROUP_ROWS` (fewer, larger groups encode
    faster), which are encoded and compressed in a thread of their own while the next batches
    are normalised; at most `WRITE_AHEAD` groups wait for it, which bounds the memory.
    """

    ROW_GROUP_ROWS = 1 << 18
    WRITE_AHEAD = 1

    def __init__(self, out: Path) -> None:
        self.out = out
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.rows: dict[str, int] = {}
        self._rejects_handle = (out / REJECTS).open("w", encoding="utf-8", newline="")
        self.rejects = csv.writer(self._rejects_handle)
        self.rejects.writerow(REJECT_HEADER)
        self._gathered: dict[str, list[pa.Table]] = {}
        self._encoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lianqing-import-writer")
        self._pending: deque[Future[None]] = deque()

    def open(self, dataset: Dataset) -> None:
        if dataset.name not in self.writers:
            for stale in (self.out / f"{dataset.name}.csv",):
                stale.unlink(missing_ok=True)  # a package holds one copy of each dataset
            self.writers[dataset.name] = pq.ParquetWriter(
                self.out / f"{dataset.name}.parquet", dataset.arrow_schema(), compression="zstd"
            )
            self.rows[dataset.name] = 0
            self._gathered[dataset.name] = []

    def write(self, dataset: Dataset, table: pa.Table) -> None:
        gathered = self._gathered[dataset.name]
        gathered.append(table)
        self.rows[dataset.name] += table.num_rows
        if sum(t.num_rows for t in gathered) >= self.ROW_GROUP_ROWS:
            self._flush(dataset.name)

    def _flush(self, name: str) -> None:
        gathered = self._gathered[name]
        if not gathered:
            return
        group = pa.concat_tables(gathered)
        gathered.clear()
        self._pending.append(self._encoder.submit(self.writers[name].write_table, group, len(group) or None))
        while len(self._pending) > self.WRITE_AHEAD:
            self._pending.popleft().result()  # raises what the write raised

    def close(self) -> None:
        try:
            for name in self.writers:
                self._flush(name)
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._encoder.shutdown(wait=True)
            for writer in self.writers.values():
                writer.close()
            self._rejects_handle.close()
