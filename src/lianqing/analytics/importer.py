"""Import real exports into a standard data package (DATA-CONTRACT.md).

`import_package` maps each source's headers onto the contract, normalises values in DuckDB
(normalize.py), writes `<dataset>.parquet` with the contract's exact Arrow types, every row it
cannot take to `_rejects.csv`, and what it did to `_manifest.json`. Problems that are the
user's (a file that is not what its name says, an unknown header, a missing required column)
are collected, not raised: every good row of every good file is still imported, and the
caller decides the exit code from `ImportResult.problems`.

The pieces, one job each: `import_reading` (which files, their sheets and header rows, batches
read ahead; sources.py detects kind and encoding), `headers` (header mapping), `import_validation`
and `import_fastpath` (typed values and rejects), `import_writing` (Parquet and the rejects file).
This module runs each sheet through them and writes the manifest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    pass

from lianqing.analytics.contract import DATASETS, ColumnType, Dataset, column_title
from lianqing.analytics.errors import AnalyticsError, Message, Term
from lianqing.analytics.headers import AliasTable, header_key, load_aliases
from lianqing.analytics.import_extras import (
    DERIVED_COLUMNS,
    DERIVED_ID,
    ExtraColumns,
    derived_id_prefix,
    with_derived_ids,
)
from lianqing.analytics.import_fastpath import (
    _ID_PATTERNS,
    _PERIOD_PATTERN,
    _ids_look_clean,
    _nothing_to_trim,
    _periods_look_clean,
    _strings,
)
from lianqing.analytics.import_reading import (
    SUFFIXES,
    _line_numbers,
    _open_sheets,
    _read_ahead,
    resolve_inputs,
    sha256_of,
)
from lianqing.analytics.import_validation import _Database, _Normaliser
from lianqing.analytics.import_writing import MANIFEST, REJECT_HEADER, REJECTS, _PackageWriter
from lianqing.analytics.normalize import WRONG_FIELDS_REASON
from lianqing.analytics.sources import (
    BATCH_ROWS,
    ROW,
    Sheet,
)

# The importer's public names, and the parts of its pieces that callers and tests use by this path.
__all__ = [
    "MANIFEST",
    "REJECTS",
    "REJECT_HEADER",
    "SUFFIXES",
    "_ID_PATTERNS",
    "_PERIOD_PATTERN",
    "ImportResult",
    "SourceReport",
    "_ids_look_clean",
    "_nothing_to_trim",
    "_periods_look_clean",
    "_strings",
    "import_package",
    "resolve_inputs",
    "sha256_of",
]


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


def _where(report: SourceReport) -> Message:
    if report.sheet:
        return Message("文件 %(file)s 工作表 %(sheet)s", file=report.file, sheet=report.sheet)
    return Message("文件 %(file)s", file=report.file)


def _title(dataset: Dataset, column: str) -> Term:
    return Term(column_title(dataset.name, column))


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
                Message(
                    "%(where)s 列 %(header)s：与列 %(other)s 都对应“%(column)s”，只导入了前者",
                    where=_where(report),
                    header=header,
                    other=header_of[column],
                    column=_title(dataset, column),
                )
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
            Message(
                "%(where)s：缺少“%(dataset)s”的必需列 %(columns)s，该表未导入",
                where=_where(report),
                dataset=Term(dataset.title),
                columns=[_title(dataset, column) for column in missing],
            )
        )
        return
    notes.extend(
        Message(
            "%(where)s：没有“%(column)s”列，已按文件、工作表和行号生成，如 %(example)s",
            where=_where(report),
            column=_title(dataset, column),
            example=f"{derived_id_prefix(report.file, report.sheet)}{sheet.header_row + 1}",
        )
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
            Message(
                "%(where)s：列 %(columns)s 不在数据规范中，未参与碰撞，已原样保留在 %(file)s",
                where=_where(report),
                columns=list(unknown),
                file=extra.relative_path,
            )
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
            Message(
                "%(where)s 第 %(row)s 行附近无法读取，其后的行未导入：%(error)s",
                where=_where(report),
                row=report.rows_read + sheet.header_row + 1,
                error=str(error),
            )
        )
    finally:
        if extra is not None:
            extra.close()
    lines = _line_numbers(sheet, {text for _, text in sheet.bad_rows})
    for _, text in sheet.bad_rows:
        report.rows_read += 1
        report.rows_rejected += 1
        row_number: object = lines[text].pop(0) if lines.get(text) else ""
        writer.rejects.writerow((report.file, report.sheet, row_number, "", text, WRONG_FIELDS_REASON))


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
        raise AnalyticsError(
            problems[0] if len(problems) == 1 else Message("%(problems)s", problems=problems)
        )
    if not pairs:
        raise AnalyticsError("没有要导入的文件")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AnalyticsError(
            "无法创建输出文件夹 %(folder)s：%(error)s", folder=str(out), error=str(error)
        ) from error
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
                problems.append(error.message)
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
                        Message(
                            "%(where)s：%(rows)s 行的证件号码未通过校验，已保留供规则 B10 核查",
                            where=_where(report),
                            rows=report.rows_with_invalid_ids,
                        )
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
