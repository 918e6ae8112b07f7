"""`lianqing import ocds=FILE.jsonl`: OCDS compiled releases into the package's ocds_* datasets.

One JSON object per line (a compiled release, or a record whose `compiledRelease` is one), plain
or gzip. Each release is flattened into the six datasets of contract.py (`ocds_processes`,
`ocds_bids`, `ocds_bid_tenderers`, `ocds_awards`, `ocds_award_suppliers`, `ocds_award_items`),
keeping what the R rules read, as the release has it: a field of another JSON type than OCDS
says (an amount written as text, a numeric id) is left empty, which is what Cardinal does with
it. A line that is not JSON, not an object, or has no text `ocid`, or repeats an earlier ocid, is
reported (line and reason, in `_rejects.csv`) and skipped, as Cardinal skips it; an empty line is
skipped silently.

Speed: the file is cut into blocks at line ends; two threads read each block with Arrow's JSON
reader and flatten it with Arrow compute (ocds_native.py) while this thread writes Parquet. A
block holding anything that reader would take otherwise than msgspec (a bad line, a field of
another type, a repeated ocid) is halved until the lines around it go through msgspec line by
line, which names every bad line. Everything is written into a temporary folder beside the
package and moved in only when the whole file went through, so an interrupted import leaves
nothing half-imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import os
import re
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import msgspec
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lianqing.analytics.contract import DATASETS, OCDS_DATASET_NAMES
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.ocds_native import native_tables

REJECTS = "_rejects.csv"
REJECT_HEADER = ("file", "sheet", "row", "column", "value", "reason")
BLOCK_BYTES = 8 << 20
_DECODER = msgspec.json.Decoder()
_RFC3339 = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$")
_DAY_US = 86_400_000_000


@dataclass
class OcdsImportResult:
    out: Path
    releases: int = 0
    lines: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def releases_per_second(self) -> float:
        return self.releases / self.seconds if self.seconds else 0.0


def parse_rfc3339(text: str) -> dt.datetime | None:
    """An RFC 3339 date-time with its offset (as chrono's parse_from_rfc3339 reads it), else None."""
    match = _RFC3339.match(text)
    if match is None:
        return None
    day, clock, fraction, offset = match.groups()
    offset = "+00:00" if offset in ("Z", "z") else offset
    micro = (fraction or "")[:6].ljust(6, "0")
    try:
        return dt.datetime.fromisoformat(f"{day}T{clock}.{micro}{offset}")
    except ValueError:
        return None


def whole_days(start: str, end: str) -> int | None:
    """(end - start) in whole days, truncated toward zero; None unless both are RFC 3339."""
    first, last = parse_rfc3339(start), parse_rfc3339(end)
    if first is None or last is None:
        return None
    micros = (last - first) // dt.timedelta(microseconds=1)
    days = abs(micros) // _DAY_US
    return days if micros >= 0 else -days


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


class _Columns:
    """Column lists of the six datasets for one block."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, list[Any]]] = {
            name: {column: [] for column in DATASETS[name].column_names} for name in OCDS_DATASET_NAMES
        }

    def tables(self) -> dict[str, pa.Table]:
        return {
            name: pa.table(
                {
                    column: pa.array(values, DATASETS[name].column(column).arrow_type)
                    for column, values in data.items()
                }
            )
            for name, data in self.data.items()
        }


def _flatten(release: dict[str, Any], ocid: str, line: int, out: _Columns) -> None:
    processes = out.data["ocds_processes"]
    buyer = release.get("buyer")
    buyer = buyer if isinstance(buyer, dict) else {}
    tender = release.get("tender")
    tender = tender if isinstance(tender, dict) else {}
    entity = tender.get("procuringEntity")
    entity = entity if isinstance(entity, dict) else {}
    period = tender.get("tenderPeriod")
    period = period if isinstance(period, dict) else {}
    start, end = _text(period.get("startDate")), _text(period.get("endDate"))
    tenderers = tender.get("numberOfTenderers")
    awards = release.get("awards")
    bids = release.get("bids")
    details = bids.get("details") if isinstance(bids, dict) else None
    processes["ocid"].append(ocid)
    processes["line"].append(line)
    processes["buyer_id"].append(_text(buyer.get("id")))
    processes["buyer_name"].append(_text(buyer.get("name")))
    processes["procuring_entity_id"].append(_text(entity.get("id")))
    processes["procuring_entity_name"].append(_text(entity.get("name")))
    processes["tender_status"].append(_text(tender.get("status")))
    processes["procurement_method"].append(_text(tender.get("procurementMethod")))
    processes["procurement_method_details"].append(_text(tender.get("procurementMethodDetails")))
    processes["tender_period_start"].append(start)
    processes["tender_period_end"].append(end)
    processes["submission_days"].append(whole_days(start, end) if start and end else None)
    processes["number_of_tenderers"].append(
        tenderers
        if isinstance(tenderers, int) and not isinstance(tenderers, bool) and 0 <= tenderers < 2**63
        else None
    )
    processes["has_awards"].append(isinstance(awards, list))
    processes["has_bid_details"].append(isinstance(details, list))
    processes["title"].append(_text(tender.get("title")))
    if isinstance(details, list):
        _flatten_bids(details, ocid, out)
    if isinstance(awards, list):
        _flatten_awards(awards, ocid, out)


def _flatten_bids(details: list[Any], ocid: str, out: _Columns) -> None:
    bids, tenderers = out.data["ocds_bids"], out.data["ocds_bid_tenderers"]
    for index, bid in enumerate(details):
        if not isinstance(bid, dict):
            continue
        value = bid.get("value")
        value = value if isinstance(value, dict) else {}
        people = bid.get("tenderers")
        bids["ocid"].append(ocid)
        bids["bid_index"].append(index)
        bids["bid_id"].append(_text(bid.get("id")))
        bids["status"].append(_text(bid.get("status")))
        bids["amount"].append(_number(value.get("amount")))
        bids["currency"].append(_text(value.get("currency")))
        bids["date"].append(_text(bid.get("date")))
        bids["tenderer_count"].append(len(people) if isinstance(people, list) else None)
        if isinstance(people, list):
            for position, person in enumerate(people):
                if isinstance(person, dict):
                    tenderers["ocid"].append(ocid)
                    tenderers["bid_index"].append(index)
                    tenderers["tenderer_index"].append(position)
                    tenderers["tenderer_id"].append(_text(person.get("id")))
                    tenderers["tenderer_name"].append(_text(person.get("name")))


def _flatten_awards(awards: list[Any], ocid: str, out: _Columns) -> None:
    rows, suppliers, items = (
        out.data["ocds_awards"],
        out.data["ocds_award_suppliers"],
        out.data["ocds_award_items"],
    )
    for index, award in enumerate(awards):
        if not isinstance(award, dict):
            continue
        people, things = award.get("suppliers"), award.get("items")
        rows["ocid"].append(ocid)
        rows["award_index"].append(index)
        rows["award_id"].append(_text(award.get("id")))
        rows["status"].append(_text(award.get("status")))
        rows["supplier_count"].append(len(people) if isinstance(people, list) else None)
        rows["has_items"].append(isinstance(things, list))
        if isinstance(people, list):
            for position, person in enumerate(people):
                if isinstance(person, dict):
                    suppliers["ocid"].append(ocid)
                    suppliers["award_index"].append(index)
                    suppliers["supplier_index"].append(position)
                    suppliers["supplier_id"].append(_text(person.get("id")))
                    suppliers["supplier_name"].append(_text(person.get("name")))
        if isinstance(things, list):
            for position, thing in enumerate(things):
                classification = thing.get("classification") if isinstance(thing, dict) else None
                if isinstance(classification, dict):
                    items["ocid"].append(ocid)
                    items["award_index"].append(index)
                    items["item_index"].append(position)
                    items["classification_id"].append(_text(classification.get("id")))
                    items["classification_scheme"].append(_text(classification.get("scheme")))


# The fast path: msgspec decodes straight into these typed structs, skipping every field the R
# rules do not read. A release with a field of another type (a numeric id, an amount in text, a
# bid that is not an object...) fails validation and goes through the lenient path above
# instead, which reads it field by field: both give the same rows.
class _Named(msgspec.Struct):
    id: str | None = None
    name: str | None = None


class _Period(msgspec.Struct):
    startDate: str | None = None  # noqa: N815 (OCDS field names)
    endDate: str | None = None  # noqa: N815


class _Value(msgspec.Struct):
    amount: float | None = None
    currency: str | None = None


class _Tender(msgspec.Struct):
    status: str | None = None
    title: str | None = None
    procurementMethod: str | None = None  # noqa: N815
    procurementMethodDetails: str | None = None  # noqa: N815
    procuringEntity: _Named | None = None  # noqa: N815
    tenderPeriod: _Period | None = None  # noqa: N815
    numberOfTenderers: int | None = None  # noqa: N815


class _Bid(msgspec.Struct):
    id: str | None = None
    status: str | None = None
    date: str | None = None
    value: _Value | None = None
    tenderers: list[_Named] | None = None


class _Bids(msgspec.Struct):
    details: list[_Bid] | None = None


class _Classification(msgspec.Struct):
    id: str | None = None
    scheme: str | None = None


class _Item(msgspec.Struct):
    classification: _Classification | None = None


class _Award(msgspec.Struct):
    id: str | None = None
    status: str | None = None
    suppliers: list[_Named] | None = None
    items: list[_Item] | None = None


class _Release(msgspec.Struct):
    ocid: str | None = None
    buyer: _Named | None = None
    tender: _Tender | None = None
    bids: _Bids | None = None
    awards: list[_Award] | None = None


class _Line(_Release):
    compiledRelease: _Release | None = None  # noqa: N815 (a record)


_TYPED = msgspec.json.Decoder(_Line)
_NO_TENDER = _Tender()
_NO_NAME = _Named()


def _flatten_typed(release: _Release, ocid: str, line: int, out: _Columns) -> None:
    """The rows of a release that decoded into the typed structs (as _flatten would give them)."""
    processes = out.data["ocds_processes"]
    buyer = release.buyer or _NO_NAME
    tender = release.tender or _NO_TENDER
    entity = tender.procuringEntity or _NO_NAME
    start = end = None
    if tender.tenderPeriod is not None:
        start, end = tender.tenderPeriod.startDate, tender.tenderPeriod.endDate
    tenderers = tender.numberOfTenderers
    details = release.bids.details if release.bids is not None else None
    processes["ocid"].append(ocid)
    processes["line"].append(line)
    processes["buyer_id"].append(buyer.id)
    processes["buyer_name"].append(buyer.name)
    processes["procuring_entity_id"].append(entity.id)
    processes["procuring_entity_name"].append(entity.name)
    processes["tender_status"].append(tender.status)
    processes["procurement_method"].append(tender.procurementMethod)
    processes["procurement_method_details"].append(tender.procurementMethodDetails)
    processes["tender_period_start"].append(start)
    processes["tender_period_end"].append(end)
    processes["submission_days"].append(whole_days(start, end) if start and end else None)
    processes["number_of_tenderers"].append(
        tenderers if tenderers is not None and 0 <= tenderers < 2**63 else None
    )
    processes["has_awards"].append(release.awards is not None)
    processes["has_bid_details"].append(details is not None)
    processes["title"].append(tender.title)
    if details is not None:
        bids, people = out.data["ocds_bids"], out.data["ocds_bid_tenderers"]
        for index, bid in enumerate(details):
            value = bid.value
            bids["ocid"].append(ocid)
            bids["bid_index"].append(index)
            bids["bid_id"].append(bid.id)
            bids["status"].append(bid.status)
            bids["amount"].append(value.amount if value is not None else None)
            bids["currency"].append(value.currency if value is not None else None)
            bids["date"].append(bid.date)
            if bid.tenderers is None:
                bids["tenderer_count"].append(None)
                continue
            bids["tenderer_count"].append(len(bid.tenderers))
            for position, person in enumerate(bid.tenderers):
                people["ocid"].append(ocid)
                people["bid_index"].append(index)
                people["tenderer_index"].append(position)
                people["tenderer_id"].append(person.id)
                people["tenderer_name"].append(person.name)
    if release.awards is not None:
        rows, suppliers, items = (
            out.data["ocds_awards"],
            out.data["ocds_award_suppliers"],
            out.data["ocds_award_items"],
        )
        for index, award in enumerate(release.awards):
            rows["ocid"].append(ocid)
            rows["award_index"].append(index)
            rows["award_id"].append(award.id)
            rows["status"].append(award.status)
            rows["supplier_count"].append(len(award.suppliers) if award.suppliers is not None else None)
            rows["has_items"].append(award.items is not None)
            for position, person in enumerate(award.suppliers or ()):
                suppliers["ocid"].append(ocid)
                suppliers["award_index"].append(index)
                suppliers["supplier_index"].append(position)
                suppliers["supplier_id"].append(person.id)
                suppliers["supplier_name"].append(person.name)
            for position, thing in enumerate(award.items or ()):
                if thing.classification is not None:
                    items["ocid"].append(ocid)
                    items["award_index"].append(index)
                    items["item_index"].append(position)
                    items["classification_id"].append(thing.classification.id)
                    items["classification_scheme"].append(thing.classification.scheme)


@dataclass
class _Block:
    tables: dict[str, pa.Table]
    rejected: list[tuple[int, str]]  # (line within the block, from 1; reason)
    lines: int
    releases: int


def flatten_block(block: bytes) -> _Block:
    """Decode and flatten one block of whole lines (line numbers relative to the block).

    Arrow's JSON reader takes the whole block when it can (ocds_native.py); a block it cannot
    take exactly as the line-by-line path would goes through that path.
    """
    native = native_tables(block)
    return _native_block(native) if native is not None else flatten_block_by_line(block)


SMALL_BLOCK_LINES = 64


def flatten_parts(block: bytes) -> list[_Block]:
    """flatten_block, but a block Arrow cannot take is halved, and the half it cannot take halved
    again, down to a few lines: one bad line sends only the lines around it through the slower
    line-by-line path. When both halves fail the trouble is all over the block (a publisher
    writing numeric ids, say), and the block goes line by line at once.
    The parts follow each other: line numbers and repeated ocids are settled as between blocks.
    """
    native = native_tables(block)
    if native is not None:
        return [_native_block(native)]
    return _halves(block)


def _halves(block: bytes) -> list[_Block]:
    middle = block.find(b"\n", len(block) // 2) + 1
    if middle in (0, len(block)) or block.count(b"\n", 0, middle) < SMALL_BLOCK_LINES:
        return [flatten_block_by_line(block)]
    first, second = block[:middle], block[middle:]
    first_native, second_native = native_tables(first), native_tables(second)
    if first_native is None and second_native is None:
        return [flatten_block_by_line(block)]
    head = [_native_block(first_native)] if first_native is not None else _halves(first)
    tail = [_native_block(second_native)] if second_native is not None else _halves(second)
    return head + tail


def _native_block(native: tuple[dict[str, pa.Table], int]) -> _Block:
    tables, releases = native
    return _Block(tables, [], releases, releases)  # one release on every line


def _by_line_parts(block: bytes) -> list[_Block]:
    return [flatten_block_by_line(block)]


def flatten_block_by_line(block: bytes) -> _Block:
    """Decode and flatten one block line by line with msgspec (every bad line named)."""
    out = _Columns()
    rejected: list[tuple[int, str]] = []
    seen: set[str] = set()
    lines = block.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    releases = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            typed = _TYPED.decode(raw)
        except UnicodeDecodeError as error:  # msgspec reads text as UTF-8 only
            rejected.append((number, f"不是 UTF-8 编码的文本：第 {error.start + 1} 个字节无法识别"))
            continue
        except msgspec.ValidationError:
            typed = None  # some field of another type: the lenient path below
        except msgspec.DecodeError as error:
            rejected.append((number, f"不是有效的 JSON: {error}"))
            continue
        if typed is not None:
            fast = typed.compiledRelease or typed
            if fast.ocid is None:
                rejected.append((number, "缺少 ocid 或 ocid 不是文本"))
            elif fast.ocid in seen:
                rejected.append(
                    (
                        number,
                        f"ocid {fast.ocid} 重复，只保留第一条",
                    )
                )
            else:
                seen.add(fast.ocid)
                _flatten_typed(fast, fast.ocid, number, out)
                releases += 1
            continue
        try:
            value = _DECODER.decode(raw)
        except msgspec.DecodeError as error:
            rejected.append((number, f"不是有效的 JSON: {error}"))
            continue
        if not isinstance(value, dict):
            rejected.append((number, "不是 JSON 对象"))
            continue
        compiled = value.get("compiledRelease")
        release = compiled if isinstance(compiled, dict) else value
        ocid = release.get("ocid")
        if not isinstance(ocid, str):
            rejected.append((number, "缺少 ocid 或 ocid 不是文本"))
            continue
        if ocid in seen:
            rejected.append((number, f"ocid {ocid} 重复，只保留第一条"))
            continue
        seen.add(ocid)
        _flatten(release, ocid, number, out)
        releases += 1
    return _Block(out.tables(), rejected, len(lines), releases)


def _blocks(handle: IO[bytes], block_bytes: int) -> Iterator[bytes]:
    rest = b""
    while True:
        chunk = handle.read(block_bytes)
        if not chunk:
            if rest:
                yield rest
            return
        chunk = rest + chunk
        cut = chunk.rfind(b"\n")
        if cut < 0:
            rest = chunk
            continue
        rest = chunk[cut + 1 :]
        yield chunk[: cut + 1]


def _open(path: Path) -> IO[bytes]:  # a gzip or a plain binary reader
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _temporary_folder(out: Path) -> Path:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{out.name}.ocds-", dir=out.parent))
    except OSError as error:
        raise AnalyticsError(f"无法创建输出文件夹 {out}: {error}") from error


def import_ocds(
    path: str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    block_bytes: int = BLOCK_BYTES,
    line_by_line: bool = False,
) -> OcdsImportResult:
    """Import the OCDS file at `path` into the package folder `out` (created, or added to).

    `line_by_line` skips Arrow's block reader (the slower path, which must give the same tables).

    Raises AnalyticsError when the file cannot be read or the package written; bad lines are
    reported in the result and in `_rejects.csv`, not raised.
    """
    source, out = Path(path), Path(out)
    if not source.is_file():
        raise AnalyticsError(f"找不到文件 {source}")
    started = time.perf_counter()
    result = OcdsImportResult(out=out)
    staging = _temporary_folder(out)
    writers = {
        name: pq.ParquetWriter(staging / f"{name}.parquet", DATASETS[name].arrow_schema(), compression="zstd")
        for name in OCDS_DATASET_NAMES
    }
    result.rows = dict.fromkeys(OCDS_DATASET_NAMES, 0)
    seen: set[str] = set()
    count = workers if workers is not None else min(2, os.cpu_count() or 1)
    flatten = _by_line_parts if line_by_line else flatten_parts
    try:
        with _open(source) as handle:
            blocks = _blocks(handle, block_bytes)
            if count > 1:
                # threads, not processes: Arrow's reader and Parquet writer run without the GIL,
                # and a block's tables need no copying between processes
                with ThreadPoolExecutor(count) as pool:
                    pending: deque[Future[list[_Block]]] = deque()
                    for raw in blocks:
                        pending.append(pool.submit(flatten, raw))
                        if len(pending) > count:  # a few blocks in memory, not the file
                            _take_all(pending.popleft().result(), result, writers, seen)
                    while pending:
                        _take_all(pending.popleft().result(), result, writers, seen)
            else:
                for raw in blocks:
                    _take_all(flatten(raw), result, writers, seen)
        for writer in writers.values():
            writer.close()
        _write_rejects(staging / REJECTS, source.name, result.rejected)
        _move_in(staging, out)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise AnalyticsError(f"无法读取或写入: {error}") from error
    finally:
        for writer in writers.values():
            if writer.is_open:
                writer.close()
        shutil.rmtree(staging, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result


def _take_all(
    blocks: list[_Block], result: OcdsImportResult, writers: dict[str, pq.ParquetWriter], seen: set[str]
) -> None:
    for block in blocks:
        _take(block, result, writers, seen)


def _take(
    block: _Block, result: OcdsImportResult, writers: dict[str, pq.ParquetWriter], seen: set[str]
) -> None:
    offset = result.lines
    result.rejected.extend((offset + line, reason) for line, reason in block.rejected)
    processes = block.tables["ocds_processes"]
    ocids = processes.column("ocid").to_pylist()
    repeated = {ocid for ocid in ocids if ocid in seen}
    seen.update(ocids)
    tables = dict(block.tables)
    tables["ocds_processes"] = processes.set_column(
        processes.schema.get_field_index("line"), "line", pc.add(processes.column("line"), offset)
    )
    if repeated:  # an ocid an earlier block already had: the first one is kept
        lines = dict(zip(ocids, tables["ocds_processes"].column("line").to_pylist(), strict=True))
        for ocid in sorted(repeated, key=lines.__getitem__):
            result.rejected.append((lines[ocid], f"ocid {ocid} 重复，只保留第一条"))
        keep = pa.array(sorted(repeated), pa.string())
        tables = {
            name: table.filter(pc.invert(pc.is_in(table.column("ocid"), keep)))
            for name, table in tables.items()
        }
    for name, table in tables.items():
        if table.num_rows:
            writers[name].write_table(table)
            result.rows[name] += table.num_rows
    result.releases += tables["ocds_processes"].num_rows
    result.lines += block.lines
    result.rejected.sort()


def _write_rejects(path: Path, file_name: str, rejected: list[tuple[int, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(REJECT_HEADER)
        writer.writerows((file_name, "", line, "", "", reason) for line, reason in rejected)


def _move_in(staging: Path, out: Path) -> None:
    """Move the finished files into `out`: the folder itself when `out` is new, else file by file."""
    if not out.exists():
        staging.rename(out)
        return
    if not out.is_dir():
        raise AnalyticsError(f"{out} 不是文件夹")
    for name in OCDS_DATASET_NAMES:
        (out / f"{name}.csv").unlink(missing_ok=True)  # a package holds one copy of each dataset
    for item in staging.iterdir():
        os.replace(item, out / item.name)
