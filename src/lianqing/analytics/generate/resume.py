"""Resumable generation: each chunk of a package is written as its own part, then assembled.

A large package (100 million people) takes many minutes; a killed run must not start again
from nothing. Each chunk goes into `_parts/part-NNNNN.tmp/`, is renamed to `part-NNNNN/` when
its files are closed, and then the generator's state (random generator, ID allocator, counters,
fund totals) is pickled with the chunk's number. A restart loads that state and goes on from
the next chunk; a half-written chunk is dropped and redone. At the end each dataset file of the
package is assembled from the parts by copying their row groups in order, so the package is the
contract's folder of `<name>.parquet`, and is the same whether or not the run was interrupted.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from lianqing.analytics.contract import DATASETS
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.generate.sink import PackageSink

WORK = "_parts"
CHECKPOINT = "checkpoint.pickle"
ROWS = "rows.json"
ASSEMBLED = "assembled.json"
# Bytes a person takes in a package (measured: 50 MB for 1M persons with zstd), with room for
# the parts and the dataset being assembled beside them.
BYTES_PER_PERSON = 80
BYTES_MARGIN = 200 * 2**20


def needed_bytes(persons: int) -> int:
    return persons * BYTES_PER_PERSON + BYTES_MARGIN


def check_free_space(out: Path, persons: int) -> None:
    """Refuse before writing anything when the disk under `out` cannot hold the package."""
    work = out / WORK
    already = sum(path.stat().st_size for path in work.rglob("*") if path.is_file()) if work.exists() else 0
    needed = max(0, needed_bytes(persons) - already)
    free = shutil.disk_usage(out).free
    if free < needed:
        raise AnalyticsError(
            "磁盘空间不足：生成 %(persons)s 人的数据包约需 %(needed)s GB，%(folder)s 所在磁盘只剩 %(free)s GB",
            persons=f"{persons:,}",
            needed=f"{needed / 2**30:.1f}",
            folder=str(out),
            free=f"{free / 2**30:.1f}",
        )


class Checkpoints:
    """The work folder of one package: its finished parts and the state after the last one."""

    def __init__(self, out: Path, key: dict[str, Any]) -> None:
        self.out = out
        self.work = out / WORK
        self.key = key

    def resume(self) -> tuple[int, Any]:
        """(chunks already finished, what `save` stored with the last) — (0, None) for a fresh run.

        A work folder left by a run with other settings (persons, seed, chunk size) is discarded."""
        path = self.work / CHECKPOINT
        if path.exists():
            with path.open("rb") as handle:
                saved = pickle.load(handle)  # noqa: S301 - our own file, written by save()
            if saved["key"] == self.key:
                self._drop_parts_after(saved["done"])
                return int(saved["done"]), saved["payload"]
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        return 0, None

    def _drop_parts_after(self, done: int) -> None:
        for part in self.work.glob("part-*"):
            if part.suffix == ".tmp" or int(part.name.removeprefix("part-")) > done:
                shutil.rmtree(part)

    def part(self, number: int) -> PackageSink:
        folder = self.work / f"part-{number:05d}.tmp"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        return PackageSink(folder)

    def finish(self, number: int, sink: PackageSink, payload: Any) -> None:
        """Close chunk `number`'s files, then record it and the state to go on from, atomically."""
        sink.close()
        (sink.out / ROWS).write_text(json.dumps(sink.rows, ensure_ascii=False), encoding="utf-8")
        sink.out.rename(self.work / f"part-{number:05d}")
        temporary = self.work / f"{CHECKPOINT}.tmp"
        with temporary.open("wb") as handle:
            pickle.dump({"key": self.key, "done": number, "payload": payload}, handle, protocol=5)
        os.replace(temporary, self.work / CHECKPOINT)

    def _parts(self) -> list[Path]:
        return sorted(self.work.glob("part-[0-9][0-9][0-9][0-9][0-9]"))

    def rows(self) -> dict[str, int]:
        """Rows per dataset over all parts, datasets in the order they were first written."""
        total: dict[str, int] = {}
        for part in self._parts():
            for name, count in json.loads((part / ROWS).read_text(encoding="utf-8")).items():
                total[name] = total.get(name, 0) + count
        return total

    def assemble(self) -> None:
        """Each dataset's parts into `<name>.parquet` of the package, row group by row group;
        a dataset's parts are deleted once its file is complete, so the disk holds the package
        about once."""
        done_path = self.work / ASSEMBLED
        assembled: list[str] = json.loads(done_path.read_text(encoding="utf-8")) if done_path.exists() else []
        for name in self.rows():
            if name in assembled:
                continue
            schema = DATASETS[name].arrow_schema()
            with pq.ParquetWriter(self.out / f"{name}.parquet", schema, compression="zstd") as writer:
                for group in _row_groups(self._parts(), name):
                    writer.write_table(group.cast(schema))  # Parquet keeps seconds as milliseconds
            assembled.append(name)
            done_path.write_text(json.dumps(assembled), encoding="utf-8")
            for part in self._parts():
                (part / f"{name}.parquet").unlink(missing_ok=True)

    def remove(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


def _row_groups(parts: list[Path], name: str) -> Iterator[pa.Table]:
    for part in parts:
        path = part / f"{name}.parquet"
        if path.exists():
            file = pq.ParquetFile(path)
            for index in range(file.num_row_groups):
                yield file.read_row_group(index)
