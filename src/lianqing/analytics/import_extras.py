"""What a real export brings beyond the contract, kept rather than refused.

- Columns the contract does not know (备注, 经办人 …) are written as text, with the source row
  and the record's key, to `_extra/<dataset>-<n>.parquet` beside the package's datasets, and the
  manifest names them: nothing the department sent is lost, and a rule never reads them.
- A source without a `record_id` column (many 补贴 ledgers have none) gets one made from the
  file, the sheet and the row: the same file imported again gives the same ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lianqing.analytics.sources import ROW

EXTRA_FOLDER = "_extra"
DERIVED_ID = "__derived_record_id"
DERIVED_COLUMNS = ("record_id",)  # key columns that may be made up when a source lacks them
_UNSAFE = re.compile(r"[;|:\s]+")  # record ids are joined by ';', compound keys by '|'


def derived_id_prefix(file: str, sheet: str) -> str:
    stem = Path(file).stem
    parts = [stem, sheet] if sheet else [stem]
    return _UNSAFE.sub("_", "-".join(parts)) + "-"


def with_derived_ids(
    batches: Iterator[pa.RecordBatch], prefix: str, anchors: Sequence[str]
) -> Iterator[pa.RecordBatch]:
    """Each batch with a DERIVED_ID column `<file>-<sheet>-<row>` from its row numbers.

    A row empty in every `anchors` column (a 合计 line, a signature line) gets no id, so it is
    rejected with its row number as a row without a key would be.
    """
    for batch in batches:
        ids = pc.binary_join_element_wise(
            pa.scalar(prefix), pc.cast(batch.column(ROW), pa.string()), pa.scalar("")
        )
        if anchors:
            blank = [_blank(batch.column(anchor)) for anchor in anchors]
            empty = blank[0]
            for more in blank[1:]:
                empty = pc.and_(empty, more)
            ids = pc.if_else(empty, pa.scalar(None, pa.string()), ids)
        yield pa.RecordBatch.from_arrays([*batch.columns, ids], names=[*batch.schema.names, DERIVED_ID])


def _blank(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    text = pc.utf8_trim_whitespace(pc.cast(values, pa.string()))
    return pc.fill_null(pc.equal(text, ""), True)


class ExtraColumns:
    """The unknown columns of one source table, written as text next to the package."""

    def __init__(
        self, out: Path, dataset: str, unknown: Mapping[str, str], key_sources: Mapping[str, str]
    ) -> None:
        # unknown: header as written -> batch column; key_sources: key column -> batch column
        self.unknown = dict(unknown)
        self.key_sources = dict(key_sources)
        folder = out / EXTRA_FOLDER
        folder.mkdir(exist_ok=True)
        number = 1 + sum(1 for _ in folder.glob(f"{dataset}-*.parquet"))
        self.path = folder / f"{dataset}-{number}.parquet"
        self.names = [ROW, *self.key_sources, *self.unknown]
        schema = pa.schema([(ROW, pa.int64()), *((name, pa.string()) for name in self.names[1:])])
        self._writer = pq.ParquetWriter(self.path, schema, compression="zstd")

    @property
    def relative_path(self) -> str:
        return f"{EXTRA_FOLDER}/{self.path.name}"

    def write(self, batch: pa.RecordBatch) -> None:
        sources = [*self.key_sources.values(), *self.unknown.values()]
        arrays = [pc.cast(batch.column(ROW), pa.int64())]
        arrays += [pc.cast(batch.column(source), pa.string()) for source in sources]
        self._writer.write_table(pa.Table.from_arrays(arrays, names=self.names))

    def close(self) -> None:
        self._writer.close()
