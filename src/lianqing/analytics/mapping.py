"""Map a department's export onto a contract dataset: detect the header row and encoding, propose
a contract column for each source column, and write the mapping file the importer reads.

The proposal looks at the header first (the alias table, as the importer does), then at the
header's likeness to the contract's names, then at the values: 18 characters with a valid check
digit are a 公民身份号码, a valid GB 32100 code a 统一社会信用代码, dates, amounts, periods,
region codes. The mapping file is the importer's own shape (`datasets: {dataset: {column:
[header]}}`), so `lianqing import DATASET=FILE --mapping FILE.yaml` imports the next month's
export exactly as the wizard did.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from lianqing.analytics.contract import COLUMN_TITLES, DATASET_COLUMN_TITLES, ColumnType, Dataset, IdKind
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.headers import AliasTable, header_key, load_aliases
from lianqing.analytics.idcodes import is_valid_person_id, is_valid_uscc
from lianqing.analytics.sources import HEAD_BYTES, HEADER_SEARCH_ROWS, _cell_text, detect_encoding, file_kind

SAMPLE_ROWS = 200
SIMILAR_HEADER = 0.5  # the least header likeness that proposes a column
VALUE_SHARE = 0.8  # the share of a column's filled cells that must look like a kind of value

_DATE = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$|^\d{8}$")
_TIMESTAMP = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]\d{1,2}:\d{2}(:\d{2})?$")
_PERIOD = re.compile(r"^\d{4}[-/.年]\d{1,2}月?$|^\d{6}$")
_AMOUNT = re.compile(r"^[-+]?[¥￥]?\d{1,3}(,\d{3})*(\.\d+)?$|^[-+]?[¥￥]?\d+(\.\d+)?$")
_INTEGER = re.compile(r"^[-+]?\d+$")
_REGION = re.compile(r"^[1-8]\d{5}(\d{3}(\d{3})?)?$")
_BOOLEAN = frozenset({"是", "否", "0", "1", "y", "n", "true", "false"})


@dataclass(frozen=True)
class Sample:
    """The first rows of an export as text, below the header row the detector chose."""

    file: str
    kind: str  # xlsx or text
    encoding: str  # "" for xlsx
    sheet: str
    header_row: int  # 1-based
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Proposal:
    header: str
    column: str  # "" when no contract column fits (the importer keeps it aside)
    reason: str  # alias, header, values or ""
    examples: list[str]


def _header_row(rows: Sequence[Sequence[str]], table: Mapping[str, str]) -> int:
    """The header's index: the row naming most contract columns; without any, the first row that is
    as wide as the table and all text (the junk above a header is a title or a note, one or two
    cells wide)."""
    best, best_score = -1, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = sum(1 for cell in row if cell and header_key(cell) in table)
        if score > best_score:
            best, best_score = index, score
    if best >= 0:
        return best
    widths = [sum(1 for cell in row if cell) for row in rows[:HEADER_SEARCH_ROWS]]
    widest = max(widths, default=0)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [cell for cell in row if cell]
        if widest >= 2 and len(cells) >= 0.8 * widest and not any(_looks_like_value(cell) for cell in cells):
            return index
    raise AnalyticsError("找不到表头行：前 50 行中没有一行像列名")


def _looks_like_value(cell: str) -> bool:
    return bool(_AMOUNT.match(cell) or _DATE.match(cell) or _TIMESTAMP.match(cell) or len(cell) >= 15)


def _text_rows(path: Path) -> tuple[list[list[str]], str]:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    encoding = detect_encoding(head)
    text = head.decode(encoding, errors="replace")
    if len(head) == HEAD_BYTES:
        text = text[: text.rfind("\n") + 1] or text
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = (
        "\t" if lines and max(x.count("\t") for x in lines) > max(x.count(",") for x in lines) else ","
    )
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return rows, encoding


def _xlsx_rows(path: Path) -> tuple[list[list[str]], str]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own types for damaged workbooks
        raise AnalyticsError("不是有效的 Excel 工作簿：%(error)s", error=str(error)) from error
    for name in workbook.sheet_names:
        rows = [[_cell_text(cell) for cell in row] for row in workbook.get_sheet_by_name(name).to_python()]
        if any(any(row) for row in rows):
            return rows, name
    raise AnalyticsError("工作簿中没有数据")


def read_sample(
    path: Path, dataset: Dataset, aliases: AliasTable | None = None, *, shown_name: str = ""
) -> Sample:
    """The export's header and first rows; AnalyticsError naming the file (as `shown_name`, the
    name the user gave it, when given) when it cannot be read."""
    kind = file_kind(path)
    table = (aliases or load_aliases()).mapping_for(dataset)
    try:
        if kind == "xlsx":
            rows, sheet = _xlsx_rows(path)
            encoding = ""
        elif kind == "text":
            rows, encoding = _text_rows(path)
            sheet = ""
        else:
            raise AnalyticsError("无法识别的文件格式，请上传 .csv（UTF-8 或 GBK）或 .xlsx 文件")
        index = _header_row(rows, table)
    except AnalyticsError as error:
        raise AnalyticsError(
            "文件 %(file)s：%(problem)s", file=shown_name or path.name, problem=error.message
        ) from error
    headers = rows[index]
    width = len(headers)
    data = [(row + [""] * width)[:width] for row in rows[index + 1 : index + 1 + SAMPLE_ROWS] if any(row)]
    return Sample(path.name, kind, encoding, sheet, index + 1, headers, data)


def _value_kind(values: Sequence[str]) -> str:
    """What most of a column's filled cells look like: person_id, uscc, region, timestamp, date,
    period, amount, integer, boolean or '' (text)."""
    filled = [value for value in values if value]
    if not filled:
        return ""
    tests = (
        ("person_id", lambda v: len(v) == 18 and is_valid_person_id(v.upper())),
        ("uscc", lambda v: len(v) == 18 and is_valid_uscc(v.upper())),
        ("timestamp", lambda v: bool(_TIMESTAMP.match(v))),
        ("date", lambda v: bool(_DATE.match(v)) and _plausible_date(v)),
        ("period", lambda v: bool(_PERIOD.match(v))),
        ("region", lambda v: bool(_REGION.match(v))),
        ("boolean", lambda v: v.lower() in _BOOLEAN),
        ("integer", lambda v: bool(_INTEGER.match(v))),
        ("amount", lambda v: bool(_AMOUNT.match(v))),
    )
    for kind, test in tests:
        if sum(1 for value in filled if test(value)) >= VALUE_SHARE * len(filled):
            return kind
    return ""


def _plausible_date(value: str) -> bool:
    digits = re.findall(r"\d+", value)
    if len(digits) == 1:
        digits = [value[:4], value[4:6], value[6:8]]
    try:
        dt.date(int(digits[0]), int(digits[1]), int(digits[2]))
    except (ValueError, IndexError):
        return False
    return True


def _fits(kind: str, dataset: Dataset, column: str) -> bool:
    """Whether values of `kind` can fill the contract column."""
    spec = next(c for c in dataset.columns if c.name == column)
    if kind == "person_id":
        return spec.id_kind in (IdKind.PERSON, IdKind.PERSON_OR_USCC)
    if kind == "uscc":
        return spec.id_kind in (IdKind.USCC, IdKind.PERSON_OR_USCC) or column.endswith("uscc")
    if kind == "region":
        return spec.id_kind is IdKind.REGION or spec.type in (ColumnType.INTEGER, ColumnType.STRING)
    wanted = {
        "timestamp": (ColumnType.TIMESTAMP,),
        "date": (ColumnType.DATE, ColumnType.TIMESTAMP),
        "period": (ColumnType.PERIOD, ColumnType.STRING),
        "amount": (ColumnType.AMOUNT, ColumnType.QUANTITY, ColumnType.FLOAT),
        "integer": (
            ColumnType.INTEGER,
            ColumnType.AMOUNT,
            ColumnType.QUANTITY,
            ColumnType.FLOAT,
            ColumnType.STRING,
        ),
        "boolean": (ColumnType.BOOLEAN, ColumnType.STRING),
        "": (ColumnType.STRING,),
    }
    return spec.type in wanted.get(kind, ())


def _names_of(dataset: Dataset, column: str, aliases: AliasTable) -> list[str]:
    names = [column, COLUMN_TITLES.get(column, ""), DATASET_COLUMN_TITLES.get((dataset.name, column), "")]
    names += aliases.datasets.get(dataset.name, {}).get(column, []) + aliases.columns.get(column, [])
    return [header_key(name) for name in names if name]


def _likeness(header: str, names: Sequence[str]) -> float:
    key = header_key(header)
    return max((difflib.SequenceMatcher(None, key, name).ratio() for name in names), default=0.0)


def propose(sample: Sample, dataset: Dataset, aliases: AliasTable | None = None) -> list[Proposal]:
    """One proposal per source column; each contract column is proposed at most once."""
    aliases = aliases or load_aliases()
    table = aliases.mapping_for(dataset)
    columns = [[row[i] for row in sample.rows] for i in range(len(sample.headers))]
    kinds = [_value_kind(values) for values in columns]
    chosen: dict[int, tuple[str, str]] = {}
    taken: set[str] = set()
    for index, header in enumerate(sample.headers):  # 1. the alias table, as the importer reads it
        column = table.get(header_key(header)) if header else None
        if column and column not in taken:
            chosen[index], taken = (column, "alias"), taken | {column}
    candidates: list[tuple[float, int, str, str]] = []
    for index, header in enumerate(sample.headers):
        if index in chosen:
            continue
        for column in dataset.column_names:
            if column in taken or not _fits(kinds[index], dataset, column):
                continue
            likeness = _likeness(header, _names_of(dataset, column, aliases)) if header else 0.0
            if likeness >= SIMILAR_HEADER:  # 2. the header is like the column's names
                candidates.append((1 + likeness, index, column, "header"))
            elif kinds[index] in ("person_id", "uscc", "timestamp", "date", "period", "amount"):
                # 3. the values say what the column is: an id, a date, a sum
                candidates.append((0.5 + likeness, index, column, "values"))
    for _score, index, column, reason in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if index not in chosen and column not in taken:
            chosen[index], taken = (column, reason), taken | {column}
    return [
        Proposal(
            header=header,
            column=chosen.get(index, ("", ""))[0],
            reason=chosen.get(index, ("", ""))[1],
            examples=[value for value in columns[index] if value][:3],
        )
        for index, header in enumerate(sample.headers)
    ]


def mapping_document(dataset: Dataset, choices: Mapping[str, str], *, department: str = "") -> str:
    """The importer's mapping file (YAML) for `choices` (source header -> contract column)."""
    unknown = sorted(set(choices.values()) - set(dataset.column_names) - {""})
    if unknown:
        raise AnalyticsError(f"数据集 {dataset.name} 没有这些列：{'、'.join(unknown)}")
    columns: dict[str, list[str]] = {}
    for header, column in choices.items():
        if column and header:
            columns.setdefault(column, []).append(header)
    body = yaml.safe_dump({"datasets": {dataset.name: columns}}, allow_unicode=True, sort_keys=False)
    comment = (
        f"# {department}：{dataset.title}（{dataset.name}）的表头映射，供 lianqing import --mapping 使用\n"
    )
    return comment + body


def mapping_choices(document: str, dataset: Dataset) -> dict[str, str]:
    """Source header -> contract column, read back from a mapping file of `mapping_document`."""
    data = yaml.safe_load(document) or {}
    columns = (data.get("datasets") or {}).get(dataset.name) or {}
    return {str(header): str(column) for column, headers in columns.items() for header in headers or []}


@dataclass(frozen=True)
class Preview:
    """What importing the export with a mapping would do; nothing of it is kept."""

    rows_read: int
    rows_kept: int
    rejects: list[dict[str, str]]  # the first rejected rows: row, column, value, reason
    rows_rejected: int
    problems: list[str]  # what stops the import (a required column not mapped …)
    unmapped: list[str]  # source headers the importer would keep aside


def preview(path: Path, dataset: Dataset, document: str, *, limit: int = 50) -> Preview:
    """Import `path` as `dataset` with the mapping `document` into a scratch folder, and report."""
    import shutil
    import tempfile

    from lianqing.analytics.importer import REJECTS, import_package

    scratch = Path(tempfile.mkdtemp(prefix="mapping-preview-"))
    try:
        mapping_file = scratch / "mapping.yaml"
        mapping_file.write_text(document, encoding="utf-8")
        result = import_package([(dataset.name, path)], scratch / "package", mapping_file=mapping_file)
        rejects_file = scratch / "package" / REJECTS
        rejects: list[dict[str, str]] = []
        if rejects_file.is_file():
            with rejects_file.open(encoding="utf-8", newline="") as handle:
                for number, row in enumerate(csv.DictReader(handle)):
                    if number >= limit:
                        break
                    rejects.append(row)
        return Preview(
            rows_read=sum(source.rows_read for source in result.sources),
            rows_kept=sum(source.rows_kept for source in result.sources),
            rejects=rejects,
            rows_rejected=sum(source.rows_rejected for source in result.sources),
            problems=list(result.problems),
            unmapped=[header for source in result.sources for header in source.unknown_headers],
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
