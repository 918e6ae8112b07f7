"""Reading the sources of an import: which files (`resolve_inputs`), their sheets with the header
row found (sources.py detects kind and encoding), batches read ahead in a thread, and the line
numbers of rows the CSV parser could not split."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from queue import Empty, Queue
from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    pass

from lianqing.analytics.contract import DATASETS
from lianqing.analytics.errors import AnalyticsError, Message, Term
from lianqing.analytics.sources import (
    HeaderScore,
    Sheet,
    file_kind,
    read_csv,
    read_parquet,
    read_xlsx,
)

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet")


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
            problems.append(
                Message("未知的数据集 %(name)s，可用的有：%(known)s", name=name, known=list(DATASETS))
            )
            continue
        else:
            path = Path(item)
            if path.is_dir():
                found = sorted(
                    p for p in path.iterdir() if p.stem in DATASETS and p.suffix.lower() in SUFFIXES
                )
                if not found:
                    problems.append(Message("文件夹 %(folder)s 中没有以数据集命名的文件", folder=str(path)))
                pairs.extend((p.stem, p) for p in found)
                continue
            if not path.exists():
                problems.append(Message("找不到文件或文件夹 %(path)s", path=str(path)))
                continue
            if path.stem not in DATASETS:
                problems.append(Message("文件 %(file)s 无法判断数据集，请写成 数据集=文件", file=path.name))
                continue
            dataset = path.stem
        if not path.exists():
            problems.append(Message("找不到文件 %(file)s", file=str(path)))
            continue
        if path.is_dir():
            problems.append(Message("%(path)s 是文件夹，不是文件", path=str(path)))
            continue
        pairs.append((dataset, path))
    return pairs, problems


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


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


def _open_sheets(path: Path, score: HeaderScore, batch_rows: int, notes: list[str]) -> list[Sheet]:
    kind = file_kind(path)
    suffix = path.suffix.lower()
    expected = "xlsx" if suffix in (".xlsx", ".xlsm") else "parquet" if suffix == ".parquet" else "text"
    if kind != expected:
        said = {"xlsx": "Excel 工作簿（.xlsx）", "parquet": "Parquet 文件", "text": "文本 CSV 文件"}[expected]
        actual = {
            "xlsx": "Excel 工作簿",
            "parquet": "Parquet 文件",
            "text": "文本",
            "xls": "旧版 .xls 工作簿",
            "binary": "二进制文件",
        }[kind]
        raise AnalyticsError(
            "文件 %(file)s 不是%(expected)s，内容是%(actual)s",
            file=path.name,
            expected=Term(said),
            actual=Term(actual),
        )
    if kind == "xlsx":
        sheets, skipped = read_xlsx(path, score, batch_rows)
        notes.extend(
            Message("文件 %(file)s 工作表 %(sheet)s：没有可识别的表头，已跳过", file=path.name, sheet=name)
            for name in skipped
        )
        if not sheets:
            raise AnalyticsError("文件 %(file)s：没有一个工作表有可识别的表头", file=path.name)
        return sheets
    if kind == "parquet":
        return [read_parquet(path, score, batch_rows)]
    try:
        return [read_csv(path, score, batch_rows)]
    except (pa.ArrowInvalid, OSError) as error:
        raise AnalyticsError("文件 %(file)s 无法读取：%(error)s", file=path.name, error=str(error)) from error
