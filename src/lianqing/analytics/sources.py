"""Reading export files as batches of text: CSV (UTF-8, UTF-8-BOM, GBK, GB18030), .xlsx, .parquet.

Each reader finds the header row (below a title block if there is one), then yields Arrow
record batches whose columns are the file's headers, every value as text, with the file's
row number beside them. Files are streamed, so a 10 GB CSV never sits in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from lianqing.analytics.errors import AnalyticsError

ROW = "_row"  # the row number in the source file or sheet, 1-based, as a spreadsheet shows it
HEAD_BYTES = 1 << 20
HEADER_SEARCH_ROWS = 50
BATCH_ROWS = 500_000
# The CSV reader parses blocks ahead of us; small blocks keep that read-ahead (and so the
# memory of a 10 GB import) to a few hundred MB.
CSV_BLOCK_BYTES = 8 << 20

# header cells -> how many of them name a contract column (chooses the header row)
HeaderScore = Callable[[Sequence[str]], int]


@dataclass
class Sheet:
    """One table in a source file: a CSV, a parquet file or one worksheet."""

    file: Path
    name: str  # worksheet name, "" for CSV and parquet
    headers: list[str]
    header_row: int  # 1-based
    batches: Iterator[pa.RecordBatch]
    encoding: str = ""
    bad_rows: list[tuple[int | None, str]] = field(default_factory=list)  # rows the parser could not split


# Arrow arrays from numpy without pa.array, whose input probe imports pandas (0.3 s of an
# import that otherwise never needs it).


def int64_array(values: np.ndarray) -> pa.Array:
    data = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(data), [None, pa.py_buffer(data)])


def bool_array(values: np.ndarray) -> pa.Array:
    bits = np.packbits(np.asarray(values, dtype=bool), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])


def string_array(values: Sequence[str]) -> pa.Array:
    encoded = [value.encode() for value in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(value) for value in encoded], out=offsets[1:])
    return pa.Array.from_buffers(
        pa.large_string(), len(encoded), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    ).cast(pa.string())


def valid_mask(array: pa.Array) -> np.ndarray:
    """Which slots of `array` hold a value, from its validity bitmap."""
    if not array.null_count:
        return np.ones(len(array), dtype=bool)
    bits = np.unpackbits(np.frombuffer(array.buffers()[0], dtype=np.uint8), bitorder="little")
    return bits[array.offset : array.offset + len(array)].astype(bool)


def file_kind(path: Path) -> str:
    """What the bytes say the file is: xlsx, parquet or text (whatever its name says)."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if b"\x00" in head:
        return "binary"
    return "text"


def detect_encoding(head: bytes) -> str:
    """utf-8 (with or without BOM) or gb18030 (a superset of GBK), judged on the file's first bytes."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    cut = head.rfind(b"\n")
    sample = head if cut < 0 else head[: cut + 1]
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise AnalyticsError("无法识别文件编码")
    return str(best.encoding)


def _best_header(rows: list[list[str]], score: HeaderScore) -> int:
    """Index of the row that names most contract columns; -1 when none names any."""
    best, best_score = -1, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        value = score(row)
        if value > best_score:
            best, best_score = index, value
    return best


def _no_header(path: Path, sheet: str = "") -> AnalyticsError:
    if sheet:
        return AnalyticsError(
            "文件 %(file)s 工作表 %(sheet)s：找不到可识别的表头", file=path.name, sheet=sheet
        )
    return AnalyticsError("文件 %(file)s：找不到可识别的表头", file=path.name)


def read_csv(path: Path, score: HeaderScore, batch_rows: int = BATCH_ROWS) -> Sheet:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    try:
        encoding = detect_encoding(head)
    except AnalyticsError as error:
        raise AnalyticsError(f"文件 {path.name}: {error}") from error
    text = head.decode(encoding, errors="replace")
    if len(head) == HEAD_BYTES:  # drop a possibly cut last line
        text = text[: text.rfind("\n") + 1] or text
    first_lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = (
        "\t"
        if first_lines
        and max(line.count("\t") for line in first_lines) > max(line.count(",") for line in first_lines)
        else ","
    )
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header_index = _best_header(rows, score)
    if header_index < 0:
        raise _no_header(path)
    headers = [cell.strip() for cell in rows[header_index]]
    names = [f"c{i}" for i in range(len(headers))]
    sheet = Sheet(path, "", headers, header_index + 1, iter(()), encoding)

    def on_bad_row(row: pacsv.InvalidRow) -> str:
        number = None if row.number is None else row.number
        sheet.bad_rows.append((number, row.text))
        return "skip"

    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(
            skip_rows=header_index + 1,
            column_names=names,
            encoding="utf8" if encoding in ("utf-8", "utf-8-sig", "ascii") else encoding,
            block_size=CSV_BLOCK_BYTES,
        ),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_bad_row),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            null_values=[""],  # an empty field is a missing value, whatever its type
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    sheet.batches = _numbered(reader, first_row=header_index + 2)
    return sheet


def _numbered(batches: Iterator[pa.RecordBatch], first_row: int) -> Iterator[pa.RecordBatch]:
    """The reader's batches (one per block, about 100k rows) with the row-number column added."""
    next_row = first_row
    for batch in batches:
        if not batch.num_rows:
            continue
        numbers = int64_array(np.arange(next_row, next_row + batch.num_rows))
        next_row += batch.num_rows
        yield pa.RecordBatch.from_arrays([*batch.columns, numbers], names=[*batch.schema.names, ROW])


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_xlsx(path: Path, score: HeaderScore, batch_rows: int = BATCH_ROWS) -> tuple[list[Sheet], list[str]]:
    """Every worksheet with a recognisable header; the names of the sheets without one."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own types for damaged workbooks
        raise AnalyticsError(
            "文件 %(file)s 不是有效的 Excel 工作簿：%(error)s", file=path.name, error=str(error)
        ) from error
    sheets: list[Sheet] = []
    skipped: list[str] = []
    for name in workbook.sheet_names:
        rows = [[_cell_text(cell) for cell in row] for row in workbook.get_sheet_by_name(name).to_python()]
        header_index = _best_header(rows, score)
        if header_index < 0:
            if any(any(row) for row in rows):
                skipped.append(name)
            continue
        headers = rows[header_index]
        data = rows[header_index + 1 :]
        sheets.append(
            Sheet(
                path,
                name,
                headers,
                header_index + 1,
                _xlsx_batches(data, headers, header_index + 2, batch_rows),
            )
        )
    return sheets, skipped


def _xlsx_batches(
    rows: list[list[str]], headers: list[str], first_row: int, batch_rows: int
) -> Iterator[pa.RecordBatch]:
    width = len(headers)
    for start in range(0, len(rows), batch_rows):
        chunk = list(rows[start : start + batch_rows])
        numbers = [first_row + start + i for i, row in enumerate(chunk) if any(row)]
        chunk = [row for row in chunk if any(row)]
        if not chunk:
            continue
        columns = {
            f"c{i}": pa.array([(row[i] or None) if i < len(row) else None for row in chunk], pa.string())
            for i in range(width)
        }
        columns[ROW] = pa.array(numbers, pa.int64())
        yield pa.RecordBatch.from_pydict(columns)


def read_parquet(path: Path, score: HeaderScore, batch_rows: int = BATCH_ROWS) -> Sheet:
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise AnalyticsError(
            "文件 %(file)s 不是有效的 Parquet 文件：%(error)s", file=path.name, error=str(error)
        ) from error
    headers = list(parquet.schema_arrow.names)
    if score(headers) == 0:
        raise _no_header(path)

    def batches() -> Iterator[pa.RecordBatch]:
        next_row = 2
        for batch in parquet.iter_batches(batch_size=batch_rows):
            columns = {f"c{i}": _as_text(batch.column(i)) for i in range(batch.num_columns)}
            columns[ROW] = int64_array(np.arange(next_row, next_row + batch.num_rows))
            next_row += batch.num_rows
            yield pa.RecordBatch.from_pydict(columns)

    return Sheet(path, "", headers, 1, batches())


def _as_text(array: pa.Array) -> pa.Array:
    if pa.types.is_boolean(array.type):
        import pyarrow.compute as pc

        return pc.if_else(array, "1", "0")
    if pa.types.is_timestamp(array.type):
        import pyarrow.compute as pc

        seconds = array.cast(pa.timestamp("s", array.type.tz), safe=False)  # %S shows fractions otherwise
        return pc.strftime(seconds, format="%Y-%m-%d %H:%M:%S")
    return array.cast(pa.string())
