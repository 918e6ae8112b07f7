"""Import real exports into a standard data package (DATA-CONTRACT.md).

`import_package` maps each source's headers onto the contract, normalises values in DuckDB
(normalize.py), writes `<dataset>.parquet` with the contract's exact Arrow types, every row it
cannot take to `_rejects.csv`, and what it did to `_manifest.json`. Problems that are the
user's (a file that is not what its name says, an unknown header, a missing required column)
are collected, not raised: every good row of every good file is still imported, and the
caller decides the exit code from `ImportResult.problems`.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from queue import Empty, Queue
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

if TYPE_CHECKING:
    import duckdb

from lianqing.analytics import idcodes
from lianqing.analytics.contract import DATASETS, Column, ColumnType, Dataset, IdKind
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.headers import AliasTable, header_key, load_aliases
from lianqing.analytics.import_extras import (
    DERIVED_COLUMNS,
    DERIVED_ID,
    ExtraColumns,
    derived_id_prefix,
    with_derived_ids,
)
from lianqing.analytics.normalize import EMPTY_REASON, column_sql, reason_sql
from lianqing.analytics.sources import (
    BATCH_ROWS,
    ROW,
    HeaderScore,
    Sheet,
    bool_array,
    file_kind,
    read_csv,
    read_parquet,
    read_xlsx,
    string_array,
    valid_mask,
)

MANIFEST = "_manifest.json"
REJECTS = "_rejects.csv"
REJECT_HEADER = ("file", "sheet", "row", "column", "value", "reason")
SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet")


@dataclass
class SourceReport:
    """What became of one source table (a CSV, a parquet file or one worksheet)."""

    file: str
    dataset: str
    sheet: str = ""
    sha256: str = ""
    encoding: str = ""
    header_row: int = 0
    rows_read: int = 0
    rows_kept: int = 0
    rows_rejected: int = 0
    rows_with_invalid_ids: int = 0
    mapping: dict[str, str] = field(default_factory=dict)  # header as written -> contract column
    unknown_headers: list[str] = field(default_factory=list)  # kept as text in `extra_file`
    extra_file: str = ""  # _extra/<dataset>-<n>.parquet, relative to the package
    derived_columns: list[str] = field(default_factory=list)  # made from file, sheet and row


@dataclass
class ImportResult:
    out: Path
    sources: list[SourceReport]
    problems: list[str]  # the user's mistakes: the command exits non-zero when there are any
    notes: list[str]  # worth saying, not wrong (a notes sheet skipped, invalid IDs kept)
    rows: dict[str, int]  # dataset -> rows written

    @property
    def ok(self) -> bool:
        return not self.problems


def resolve_inputs(items: Iterable[str | tuple[str, str | Path]]) -> tuple[list[tuple[str, Path]], list[str]]:
    """`DATASET=FILE`, a `<dataset>.csv|xlsx|parquet` file, or a folder of such files → (dataset, path)."""
    pairs: list[tuple[str, Path]] = []
    problems: list[str] = []
    for item in items:
        if isinstance(item, tuple):
            dataset, path = item[0], Path(item[1])
        elif "=" in item and item.split("=", 1)[0] in DATASETS:
            name, _, text = item.partition("=")
            dataset, path = name, Path(text)
        elif "=" in item:
            name = item.split("=", 1)[0]
            problems.append(f"未知数据集 {name} (unknown dataset {name}; known: {', '.join(DATASETS)})")
            continue
        else:
            path = Path(item)
            if path.is_dir():
                found = sorted(
                    p for p in path.iterdir() if p.stem in DATASETS and p.suffix.lower() in SUFFIXES
                )
                if not found:
                    problems.append(
                        f"文件夹 {path} 中没有以数据集命名的文件 (folder {path} has no <dataset>.csv|xlsx|parquet)"
                    )
                pairs.extend((p.stem, p) for p in found)
                continue
            if not path.exists():
                problems.append(f"找不到文件或文件夹 {path} (file or folder {path} does not exist)")
                continue
            if path.stem not in DATASETS:
                problems.append(
                    f"文件 {path.name} 无法判断数据集, 请写成 数据集=文件 (file {path.name}: name the dataset as DATASET=FILE)"
                )
                continue
            dataset = path.stem
        if not path.exists():
            problems.append(f"找不到文件 {path} (file {path} does not exist)")
            continue
        if path.is_dir():
            problems.append(f"{path} 是文件夹, 不是文件 (is a folder, not a file)")
            continue
        pairs.append((dataset, path))
    return pairs, problems


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


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


_ID_PATTERNS = {
    IdKind.PERSON: "^[0-9]{17}[0-9X]$",
    IdKind.PERSON_OR_USCC: "^([0-9]{17}[0-9X]|[0-9A-Z]{18})$",
    IdKind.USCC: "^[0-9A-Z]+$",
    IdKind.REGION: "^[0-9]+$",
}
_PERIOD_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])$"


def _byte_table(chars: bytes) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(chars)] = True
    return table


# Bytes that may begin a character utf8_trim_whitespace strips: ASCII controls and space, and
# the lead bytes of U+0085/U+00A0 (C2), U+1680 (E1), U+2000-U+205F (E2) and U+3000 (E3).
_SPACE_LEAD = _byte_table(bytes([*range(0x21), 0x7F, 0xC2, 0xE1, 0xE2, 0xE3]))
_WIDE_SPACE_LEAD = _byte_table(b"\xc2\xe1\xe2\xe3")


@dataclass(frozen=True)
class _Strings:
    """The non-null values of a string array as numpy views: offsets (n+1) and the bytes between them."""

    starts: np.ndarray
    ends: np.ndarray
    data: np.ndarray  # the bytes of every non-null value, back to back

    @property
    def lengths(self) -> np.ndarray:
        return self.ends - self.starts


def _strings(raw: pa.ChunkedArray | pa.Array) -> _Strings | None:
    """Byte views of `raw`, or None when they cannot stand for the values (no value, odd layout)."""
    chunks = raw.chunks if isinstance(raw, pa.ChunkedArray) else [raw]
    if len(chunks) != 1 or chunks[0].type != pa.string() or len(chunks[0]) == chunks[0].null_count:
        return None
    array = chunks[0]
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[array.offset : array.offset + len(array) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, np.uint8)
    starts, ends = offsets[:-1], offsets[1:]
    if array.null_count:
        valid = valid_mask(array)
        if (ends[~valid] != starts[~valid]).any():  # a null slot holding bytes: let Arrow judge
            return None
        starts, ends = starts[valid], ends[valid]
    return _Strings(starts, ends, data[offsets[0] : offsets[-1]])


def _nothing_to_trim(values: _Strings) -> bool:
    """True when no value is empty or starts or ends with a character utf8_trim_whitespace strips.

    A cheap, conservative test on the first byte and the last three: a False sends the column
    through Arrow's own trim.
    """
    lengths = values.lengths
    if not len(lengths) or (lengths == 0).any():
        return False
    base = values.starts[0]
    starts, ends = values.starts - base, values.ends - base
    if np.take(_SPACE_LEAD, np.take(values.data, starts)).any():
        return False
    last = np.take(values.data, ends - 1)
    if np.take(_SPACE_LEAD, last).any():
        return False
    wide = last >= 0x80  # ends in a multi-byte character: its lead byte is 2 or 3 bytes back
    if wide.any():
        ends, starts = ends[wide], starts[wide]
        for back in (2, 3):
            lead = np.take(values.data, np.maximum(ends - back, starts))  # a short value: its own first byte
            if np.take(_WIDE_SPACE_LEAD, lead).any():
                return False
    return True


def _are_digits(block: np.ndarray) -> bool:
    return bool(((block - ord("0")) < 10).all())  # uint8 wraps below "0"


def _are_upper_alnum(block: np.ndarray) -> bool:
    return bool((((block - ord("0")) < 10) | ((block - ord("A")) < 26)).all())


def _ids_look_clean(kind: IdKind | None, values: _Strings) -> bool:
    """True when every value matches `_ID_PATTERNS[kind]` (so needs no trim), judged on the bytes.

    False means: ask Arrow's trim and regular expression.
    """
    lengths = values.lengths
    if kind is IdKind.PERSON:
        if not (lengths == 18).all():
            return False
        block = values.data.reshape(-1, 18)
        last = block[:, 17]
        return _are_digits(block[:, :17]) and bool((((last - ord("0")) < 10) | (last == ord("X"))).all())
    if kind is IdKind.PERSON_OR_USCC:
        return bool((lengths == 18).all()) and _are_upper_alnum(values.data)
    if kind is IdKind.USCC:
        return bool((lengths > 0).all()) and _are_upper_alnum(values.data)
    if kind is IdKind.REGION:
        return bool((lengths > 0).all()) and _are_digits(values.data)
    return False


def _periods_look_clean(values: _Strings) -> bool:
    """True when every value matches `_PERIOD_PATTERN` (YYYY-MM), judged on the bytes."""
    if not (values.lengths == 7).all():
        return False
    block = values.data.reshape(-1, 7)
    tens, units = block[:, 5], block[:, 6]
    month = ((tens == ord("0")) & (units >= ord("1")) & (units <= ord("9"))) | (
        (tens == ord("1")) & (units >= ord("0")) & (units <= ord("2"))
    )
    return _are_digits(block[:, :4]) and bool((block[:, 4] == ord("-")).all() and month.all())


def _arrow_fast_path(column: Column, raw: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array | None:
    """The column in its contract type when every value is already clean, else None.

    Tidy exports (and CSV copies of packages) never reach SQL: Arrow's strict casts accept
    only canonical text (2023-05-01, 1234.50, true), so anything else falls to normalize.py.
    Text columns and periods are first judged on their bytes (numpy), which is much cheaper
    than Arrow's trim and regular expressions; whatever that test cannot vouch for goes the
    Arrow way, so the outcome is the same.
    """
    if column.type is ColumnType.STRING:
        pattern = _ID_PATTERNS.get(column.id_kind)
        values = _strings(raw)
        if values is not None and (
            _ids_look_clean(column.id_kind, values) if pattern else _nothing_to_trim(values)
        ):
            return raw
        text = pc.utf8_trim_whitespace(raw)
        clean = (
            pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
            if pc.any(pc.equal(text, "")).as_py()
            else text
        )
        if pattern and not pc.all(pc.match_substring_regex(clean, pattern), skip_nulls=True).as_py():
            return None
        return clean
    if column.type is ColumnType.PERIOD:
        values = _strings(raw)
        if values is not None and _periods_look_clean(values):
            return raw
        return (
            raw if pc.all(pc.match_substring_regex(raw, _PERIOD_PATTERN), skip_nulls=True).as_py() else None
        )
    try:  # empty fields are already null; anything with spaces or another form fails the cast
        return pc.cast(raw, column.arrow_type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


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


def _where(report: SourceReport) -> str:
    return f"文件 {report.file}" + (f" 工作表 {report.sheet}" if report.sheet else "")


def _where_en(report: SourceReport) -> str:
    return f"file {report.file}" + (f" sheet {report.sheet}" if report.sheet else "")


def _import_sheet(
    sheet: Sheet,
    dataset: Dataset,
    aliases: Mapping[str, str],
    writer: _PackageWriter,
    database: _Database,
    report: SourceReport,
    problems: list[str],
    notes: list[str],
) -> None:
    columns: dict[str, str] = {}  # contract column -> c<i>
    header_of: dict[str, str] = {}
    unknown: dict[str, str] = {}  # header as written -> c<i>, kept in _extra/
    for index, header in enumerate(sheet.headers):
        if not header.strip():
            continue
        column = aliases.get(header_key(header))
        if column is None:
            report.unknown_headers.append(header)
            unknown.setdefault(header, f"c{index}")
        elif column in columns:
            problems.append(
                f"{_where(report)} 列 {header}: 与列 {header_of[column]} 都对应 {column}, 只导入了前者 "
                f"({_where_en(report)} column {header}: maps to {column} like {header_of[column]}; the first is used)"
            )
        else:
            columns[column] = f"c{index}"
            header_of[column] = header
    report.mapping = {header_of[c]: c for c in columns}
    batches = sheet.batches
    for column in DERIVED_COLUMNS:
        if column in dataset.key and column not in columns:
            columns[column] = DERIVED_ID
            header_of[column] = "（按文件、工作表和行号生成）"
            report.derived_columns.append(column)
            anchors = [
                columns[c.name]
                for c in dataset.columns
                if c.required and c.type is ColumnType.STRING and c.name in columns and c.name != column
            ]
            batches = with_derived_ids(batches, derived_id_prefix(report.file, report.sheet), anchors)
    missing = [c for c in dataset.required_columns if c not in columns]
    if missing:
        problems.append(
            f"{_where(report)}: 缺少数据集 {dataset.name} 的必需列 {', '.join(missing)}, 该表未导入 "
            f"({_where_en(report)}: dataset {dataset.name} needs column(s) {', '.join(missing)}; table not imported)"
        )
        return
    notes.extend(
        f"{_where(report)}: 没有记录编号列, 已按 文件-工作表-行号 生成 {column}, "
        f"如 {derived_id_prefix(report.file, report.sheet)}{sheet.header_row + 1}"
        for column in report.derived_columns
    )
    writer.open(dataset)
    normaliser = _Normaliser(database, dataset, columns)
    raw_of = dict(columns.items())
    extra = None
    if unknown:
        extra = ExtraColumns(
            writer.out, dataset.name, unknown, {c: columns[c] for c in dataset.key if c in columns}
        )
        report.extra_file = extra.relative_path
        notes.append(
            f"{_where(report)}: 列 {'、'.join(unknown)} 不在数据规范中, 未参与碰撞, 已原样保留在 {extra.relative_path}"
        )
    try:
        for batch in _read_ahead(batches):
            if extra is not None:
                extra.write(batch)
            report.rows_read += batch.num_rows
            kept, rejected_raw, row_problems, invalid_ids = normaliser.run(batch)
            writer.write(dataset, kept)
            report.rows_kept += kept.num_rows
            report.rows_rejected += rejected_raw.num_rows
            report.rows_with_invalid_ids += invalid_ids
            if row_problems:
                raw = {row: index for index, row in enumerate(rejected_raw[ROW].to_pylist())}
                for row, column, reason in row_problems:
                    value = rejected_raw[raw_of[column]][raw[row]].as_py()
                    writer.rejects.writerow(
                        (report.file, report.sheet, row, header_of[column], value, reason)
                    )
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        problems.append(
            f"{_where(report)} 第 {report.rows_read + sheet.header_row + 1} 行附近无法读取, 其后的行未导入: {error} "
            f"({_where_en(report)}: unreadable near row {report.rows_read + sheet.header_row + 1}; later rows not imported)"
        )
    finally:
        if extra is not None:
            extra.close()
    lines = _line_numbers(sheet, {text for _, text in sheet.bad_rows})
    for _, text in sheet.bad_rows:
        report.rows_read += 1
        report.rows_rejected += 1
        row_number: object = lines[text].pop(0) if lines.get(text) else ""
        writer.rejects.writerow(
            (report.file, report.sheet, row_number, "", text, "列数与表头不符 (wrong number of fields)")
        )


_DONE = object()


def _read_ahead(batches: Iterator[pa.RecordBatch], depth: int = 2) -> Iterator[pa.RecordBatch]:
    """Read (parse, transcode) the next batches in a thread while this one is normalised and written.

    Arrow and DuckDB release the GIL, so the two cores both work; `depth` bounds the memory.
    """
    queue: Queue[object] = Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                if stop.is_set():
                    return
                queue.put(batch)
        except BaseException as error:  # handed to the consumer, which raises it
            queue.put(error)
        queue.put(_DONE)

    thread = threading.Thread(target=produce, name="lianqing-import-reader", daemon=True)
    thread.start()
    try:
        while (item := queue.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while thread.is_alive():  # unblock a producer waiting on a full queue
            with contextlib.suppress(Empty):
                queue.get(timeout=0.1)


LOCATE_LIMIT = 2 << 30  # past this, rows the CSV parser could not split are reported without a number


def _line_numbers(sheet: Sheet, texts: set[str]) -> dict[str, list[int]]:
    """Line numbers of rows the parser skipped (it reads in parallel and does not know them)."""
    found: dict[str, list[int]] = {}
    if not texts or sheet.file.stat().st_size > LOCATE_LIMIT:
        return found
    with sheet.file.open(encoding=sheet.encoding or "utf-8", errors="replace", newline="") as handle:
        for number, line in enumerate(handle, 1):
            text = line.rstrip("\r\n")
            if number > sheet.header_row and text in texts:
                found.setdefault(text, []).append(number)
    return found


def import_package(
    inputs: Iterable[str | tuple[str, str | Path]],
    out: str | Path,
    *,
    mapping_file: str | Path | None = None,
    batch_rows: int = BATCH_ROWS,
    threads: int | None = None,
) -> ImportResult:
    """Import `inputs` (see `resolve_inputs`) into the package folder `out`.

    Raises AnalyticsError only when nothing can be done (no inputs, unusable mapping file, the
    output folder cannot be written); per-file problems are in the result.
    """
    out = Path(out)
    aliases_table: AliasTable = load_aliases(Path(mapping_file) if mapping_file else None)
    pairs, problems = resolve_inputs(inputs)
    if not pairs and problems:
        raise AnalyticsError("; ".join(problems))
    if not pairs:
        raise AnalyticsError("没有要导入的文件 (nothing to import)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AnalyticsError(f"无法创建输出文件夹 {out}: {error} (cannot create output folder)") from error
    database = _Database(threads)
    writer = _PackageWriter(out)
    hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lianqing-import-hash")
    reports: list[SourceReport] = []
    notes: list[str] = []
    try:
        for dataset_name, path in pairs:
            dataset = DATASETS[dataset_name]
            aliases = aliases_table.mapping_for(dataset)

            def score(cells: Sequence[str], aliases: Mapping[str, str] = aliases) -> int:
                return len({aliases[key] for key in map(header_key, cells) if key in aliases})

            hashing = hasher.submit(sha256_of, path)  # on the other core, while the file is imported
            try:
                sheets = _open_sheets(path, score, batch_rows, notes)
            except AnalyticsError as error:
                problems.append(str(error))
                reports.append(SourceReport(file=path.name, dataset=dataset_name, sha256=hashing.result()))
                continue
            for sheet in sheets:
                report = SourceReport(
                    file=path.name,
                    dataset=dataset_name,
                    sheet=sheet.name,
                    encoding=sheet.encoding,
                    header_row=sheet.header_row,
                )
                _import_sheet(sheet, dataset, aliases, writer, database, report, problems, notes)
                report.sha256 = hashing.result()
                reports.append(report)
                if report.rows_with_invalid_ids:
                    notes.append(
                        f"{_where(report)}: {report.rows_with_invalid_ids} 行的证件号码未通过校验, 已保留供规则 B10 核查 "
                        f"({_where_en(report)}: {report.rows_with_invalid_ids} rows with invalid ID numbers kept for rule B10)"
                    )
    finally:
        try:
            writer.close()  # raises what a background write raised
        finally:
            database.close()
            hasher.shutdown(wait=True)
    manifest = {
        "format": 1,
        "kind": "imported",
        "datasets": writer.rows,
        "sources": [asdict(report) for report in reports],
        "problems": problems,
        "notes": notes,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return ImportResult(out, reports, problems, notes, dict(writer.rows))


def _open_sheets(path: Path, score: HeaderScore, batch_rows: int, notes: list[str]) -> list[Sheet]:
    kind = file_kind(path)
    suffix = path.suffix.lower()
    expected = "xlsx" if suffix in (".xlsx", ".xlsm") else "parquet" if suffix == ".parquet" else "text"
    if kind != expected:
        said = {"xlsx": "Excel 工作簿 (.xlsx)", "parquet": "Parquet 文件", "text": "文本 CSV 文件"}[expected]
        actual = {
            "xlsx": "Excel 工作簿",
            "parquet": "Parquet 文件",
            "text": "文本",
            "xls": "旧版 .xls 工作簿",
            "binary": "二进制文件",
        }[kind]
        raise AnalyticsError(
            f"文件 {path.name} 不是{said}, 内容是{actual} (file {path.name} is not a {expected} file: its content is {kind})"
        )
    if kind == "xlsx":
        sheets, skipped = read_xlsx(path, score, batch_rows)
        notes.extend(
            f"文件 {path.name} 工作表 {name}: 没有可识别的表头, 已跳过 (sheet {name} has no recognisable header; skipped)"
            for name in skipped
        )
        if not sheets:
            raise AnalyticsError(
                f"文件 {path.name}: 没有一个工作表有可识别的表头 (file {path.name}: no sheet has a recognisable header)"
            )
        return sheets
    if kind == "parquet":
        return [read_parquet(path, score, batch_rows)]
    try:
        return [read_csv(path, score, batch_rows)]
    except (pa.ArrowInvalid, OSError) as error:
        raise AnalyticsError(
            f"文件 {path.name} 无法读取: {error} (file {path.name} cannot be read)"
        ) from error
