"""Monthly incremental scans: a scan `since` an earlier result reruns only what can change.

Every scan written to a folder leaves `_incremental/` beside hits.csv: `state.json` (a
fingerprint of each dataset file; per rule its parameters, library text and engine) and each
rule's evidence rows (`<rule>.parquet`). A later scan `since` that folder decides per rule:

- reuse: none of the rule's inputs changed, same parameters, library and engine: its old
  evidence rows are grouped again;
- delta: exactly one input grew by appended rows and nothing else changed, and the rule file
  declares itself row-local on that dataset (`incremental: {row_local: […], why: …}`): the rule
  runs with that dataset holding the new rows only, and its old evidence rows are added;
- full: anything else.

Hits are always grouped from evidence rows (results.group_hits), so hits.csv is the same bytes as
a full scan's. The calendar gives the same facts for a day whatever span it covers, and every run
gets the whole package's span, so a delta run sees the calendar a full run sees.

"Appended" is verified on the bytes, never assumed from dates or counts: a Parquet file must keep
each old row group byte for byte (its column chunks hashed) and add row groups after them; a CSV
file must keep the old file, ending in a line break, as its byte prefix.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lianqing.analytics.contract import DATASETS
from lianqing.analytics.engine.backend import Backend
from lianqing.analytics.engine.library import (
    Rule,
    load_macros,
    load_shared_views,
    narrowed_datasets,
    views_read_by,
)
from lianqing.analytics.engine.package import DatasetFile, duckdb_source, quote_literal, typed_select
from lianqing.analytics.errors import AnalyticsError

STATE_DIR = "_incremental"
STATE_FILE = "state.json"
STATE_FORMAT = 1
BLOCK = 8 << 20

REUSE, DELTA, FULL = "reuse", "delta", "full"
MODE_WORDS = {REUSE: "沿用", DELTA: "增量", FULL: "全量"}


# ---- fingerprints of dataset files ---------------------------------------------------------


def _hash_range(handle: Any, digest: Any, start: int, length: int) -> None:
    handle.seek(start)
    while length > 0:
        block = handle.read(min(BLOCK, length))
        if not block:
            break
        digest.update(block)
        length -= len(block)


def _parquet_print(path: Path) -> dict[str, Any]:
    """The schema and, per row group, its row count and a SHA-1 of its column chunks' bytes."""
    parquet = pq.ParquetFile(path)
    meta = parquet.metadata
    groups = []
    with path.open("rb") as handle:
        for index in range(meta.num_row_groups):
            group = meta.row_group(index)
            digest = hashlib.sha1(usedforsecurity=False)
            for column_index in range(group.num_columns):
                chunk = group.column(column_index)
                start = chunk.data_page_offset
                if chunk.has_dictionary_page and chunk.dictionary_page_offset:
                    start = min(start, chunk.dictionary_page_offset)
                _hash_range(handle, digest, start, chunk.total_compressed_size)
            groups.append([group.num_rows, digest.hexdigest()])
    return {
        "format": "parquet",
        "schema": parquet.schema_arrow.to_string(show_schema_metadata=False),
        "groups": groups,
    }


def _csv_print(path: Path, old: Mapping[str, Any] | None) -> dict[str, Any]:
    """Size, SHA-1 of the whole file, whether it ends with a line break, and (when an earlier
    print is given) the SHA-1 of this file's first `old["size"]` bytes, in one read."""
    digest = hashlib.sha1(usedforsecurity=False)
    prefix_size = int(old["size"]) if old and old.get("format") == "csv" else -1
    prefix_sha = None
    size = 0
    last = b""
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            if 0 <= prefix_size - size < len(block):
                head = digest.copy()
                head.update(block[: prefix_size - size])
                prefix_sha = head.hexdigest()
            digest.update(block)
            size += len(block)
            last = block[-1:]
    if prefix_size == size:
        prefix_sha = digest.hexdigest()
    return {
        "format": "csv",
        "size": size,
        "sha1": digest.hexdigest(),
        "ends_with_line": last == b"\n",
        "prefix_sha1": prefix_sha,
    }


def fingerprint(file: DatasetFile, old: Mapping[str, Any] | None = None) -> dict[str, Any]:
    found = _parquet_print(file.path) if file.format == "parquet" else _csv_print(file.path, old)
    return {**found, "rows": file.rows}


def fingerprints(files: Mapping[str, DatasetFile], old: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every dataset's fingerprint, two files at a time (hashing releases the GIL)."""
    old = old or {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = {name: pool.submit(fingerprint, file, old.get(name)) for name, file in files.items()}
        return {name: future.result() for name, future in sorted(done.items())}


@dataclass(frozen=True)
class Change:
    """How a dataset differs from the earlier scan's: same, appended (with the old row count and the
    old row groups' count or file size) or changed (with why)."""

    kind: str  # "same", "appended", "changed", "added", "removed"
    old_rows: int = 0
    old_groups: int = 0
    old_size: int = 0  # bytes of the old CSV file
    why: str = ""


def compare(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> Change:
    if old is None and new is None:
        return Change("same")
    if old is None:
        return Change("added", why="上次扫描时没有该数据集")
    if new is None:
        return Change("removed", why="本次数据包没有该数据集")
    if old.get("format") != new.get("format"):
        return Change("changed", why="文件格式变了")
    if new["format"] == "parquet":
        if old["schema"] != new["schema"]:
            return Change("changed", why="列或列类型变了")
        kept = len(old["groups"])
        if new["groups"] == old["groups"]:
            return Change("same")
        if new["groups"][:kept] == old["groups"]:
            return Change("appended", old_rows=int(old["rows"]), old_groups=kept)
        return Change("changed", why="已有的记录有改动、删除或重排")
    if new["sha1"] == old["sha1"]:
        return Change("same")
    if new.get("prefix_sha1") == old["sha1"] and old["ends_with_line"] and new["rows"] > old["rows"]:
        return Change("appended", old_rows=int(old["rows"]), old_size=int(old["size"]))
    return Change("changed", why="已有的记录有改动、删除或重排")


# ---- what a rule reads, and whether its last result still holds ----------------------------


def datasets_read_by(rule: Rule) -> frozenset[str]:
    """The datasets a rule reads: those its SQL or the shared views it reads name, and those it
    declares. A narrowing view (library.NARROWING_VIEWS) counts as the dataset it narrows: the
    registers it narrows by do not change the rule's evidence."""
    shared = dict(load_shared_views())
    texts = [rule.sql] + [shared[name] for name in views_read_by(rule.sql, through_narrowing=False)]
    named = {name for name in DATASETS if any(re.search(rf"\b{name}\b", text) for text in texts)}
    return frozenset(named | narrowed_datasets(rule.sql) | set(rule.all_datasets))


def _reads_package_datasets(rule: Rule) -> bool:
    shared = dict(load_shared_views())
    texts = [rule.sql] + [shared[name] for name in views_read_by(rule.sql)]
    return any(re.search(r"\bpackage_datasets\b", text) for text in texts)


def library_print(rule: Rule) -> str:
    """SHA-1 of everything that defines a rule's evidence rows: its SQL, the shared views and
    macros (record keys included) and the versions of the libraries computing them."""
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(rule.sql.encode())
    for name, select in load_shared_views():
        digest.update(f"\0{name}\0{select}".encode())
    for macro in load_macros():
        digest.update(f"\0{macro.name}{macro.args}{macro.body}".encode())
    for package in ("duckdb", "pyarrow", "chinese_calendar", "pyspark"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"\0{package}={metadata.version(package)}".encode())
    return digest.hexdigest()


def params_print(params: Mapping[str, Any]) -> str:
    return json.dumps(params, sort_keys=True, default=str, ensure_ascii=False)


@dataclass
class RulePlan:
    mode: str
    reason: str
    dataset: str = ""  # the appended dataset of a delta run
    key: tuple[str, ...] = ()  # a group-local rule's group key on it (else the rule is row-local)


@dataclass
class Increment:
    """The decisions of a scan `since` an earlier result, and the evidence they give."""

    since: Path
    engine: str
    old: dict[str, Any]
    prints: dict[str, Any]
    changes: dict[str, Change]
    plans: dict[str, RulePlan] = field(default_factory=dict)
    evidence: dict[str, pa.Table] = field(default_factory=dict)

    def needs_full_run(self, rule_id: str) -> bool:
        return self.plans[rule_id].mode == FULL

    def describe(self) -> dict[str, Any]:
        return {
            "since": str(self.since),
            "datasets": {name: change.kind for name, change in sorted(self.changes.items())},
            "rules": {
                rule_id: {"mode": plan.mode, "reason": plan.reason}
                for rule_id, plan in sorted(self.plans.items())
            },
        }


def load_state(result: Path) -> dict[str, Any]:
    path = result / STATE_DIR / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnalyticsError(
            "结果文件夹 %(folder)s 没有可供增量扫描的记录，请先对上月数据包做一次完整扫描并输出到该文件夹",
            folder=str(result),
        ) from None
    except (OSError, ValueError) as error:
        raise AnalyticsError("无法读取 %(file)s：%(error)s", file=str(path), error=str(error)) from None
    if state.get("format") != STATE_FORMAT:
        raise AnalyticsError("%(file)s 的版本不受支持，请重新做一次完整扫描", file=str(path))
    return dict(state)


def plan_increment(
    since: str | Path,
    files: Mapping[str, DatasetFile],
    rules: Iterable[Rule],
    params: Mapping[str, Mapping[str, Any]],
    engine: str,
) -> Increment:
    """Compare the package with the one scanned into `since`; decide each rule's run."""
    since = Path(since)
    old = load_state(since)
    prints = fingerprints(files, old["datasets"])
    names = set(old["datasets"]) | set(prints)
    changes = {name: compare(old["datasets"].get(name), prints.get(name)) for name in names}
    increment = Increment(since, engine, old, prints, changes)
    for rule in rules:
        increment.plans[rule.id] = _plan_rule(increment, rule, params[rule.id])
        if increment.plans[rule.id].mode != FULL:
            evidence_path = since / STATE_DIR / old["rules"][rule.id]["evidence"]
            increment.evidence[rule.id] = pq.read_table(evidence_path)
    return increment


def _plan_rule(increment: Increment, rule: Rule, params: Mapping[str, Any]) -> RulePlan:
    before = increment.old["rules"].get(rule.id)
    if before is None:
        return RulePlan(FULL, "上次扫描没有运行本规则")
    if increment.old.get("engine") != increment.engine:
        return RulePlan(FULL, "上次扫描用的是另一个引擎")
    if before["library"] != library_print(rule):
        return RulePlan(FULL, "规则或共用定义、计算库版本变了")
    if before["params"] != params_print(params):
        return RulePlan(FULL, "参数或视为今天的日期变了")
    if not (increment.since / STATE_DIR / before["evidence"]).is_file():
        return RulePlan(FULL, "上次扫描的中间结果缺失")
    if _reads_package_datasets(rule) and set(increment.old["datasets"]) != set(increment.prints):
        return RulePlan(FULL, "数据包包含的数据集变了")
    moved = {
        name: increment.changes[name]
        for name in sorted(datasets_read_by(rule))
        if name in increment.changes and increment.changes[name].kind != "same"
    }
    if not moved:
        return RulePlan(REUSE, "输入数据未变")
    titles = "、".join(DATASETS[name].title for name in moved)
    broken = [name for name, change in moved.items() if change.kind != "appended"]
    if broken:
        name = broken[0]
        return RulePlan(FULL, f"{DATASETS[name].title}：{moved[name].why}")
    if len(moved) > 1:
        return RulePlan(FULL, f"{titles}都新增了记录")
    (name,) = moved
    new_rows = increment.prints[name]["rows"] - moved[name].old_rows
    if name in rule.grouped_by:
        return RulePlan(
            DELTA,
            f"{titles}新增 {new_rows:,} 条记录，只重算它们所在的组",
            dataset=name,
            key=rule.grouped_by[name],
        )
    if name not in rule.row_local:
        return RulePlan(FULL, f"{titles}新增了记录，本规则要看全部历史记录")
    return RulePlan(DELTA, f"{titles}新增 {new_rows:,} 条记录，只算新记录", dataset=name)


# ---- delta runs ----------------------------------------------------------------------------


def write_delta_file(file: DatasetFile, change: Change, folder: Path) -> DatasetFile:
    """The appended rows of `file` alone, as a file of the same format in `folder`."""
    target = folder / file.path.name
    if file.format == "parquet":
        parquet = pq.ParquetFile(file.path)
        with pq.ParquetWriter(target, parquet.schema_arrow, compression="zstd") as writer:
            for index in range(change.old_groups, parquet.metadata.num_row_groups):
                writer.write_table(parquet.read_row_group(index))
    else:
        # The appended lines are the bytes after the old file, verified to be this one's prefix.
        with file.path.open("rb") as source, target.open("wb") as sink:
            sink.write(source.readline())  # the header
            source.seek(change.old_size)
            shutil.copyfileobj(source, sink, BLOCK)
    return replace(file, path=target, rows=file.rows - change.old_rows)


PrepareBackend = Callable[[Backend, Mapping[str, DatasetFile], list[Rule]], Any]


def run_deltas(
    increment: Increment,
    files: Mapping[str, DatasetFile],
    rules: Iterable[Rule],
    params: Mapping[str, Mapping[str, Any]],
    open_backend: Callable[[], Backend],
    prepare: PrepareBackend,
) -> None:
    """Run each delta rule on its dataset's appended rows, one backend per appended dataset (one
    at a time: Spark backends share a session), and add the old evidence rows."""
    runs: dict[tuple[str, tuple[str, ...]], list[Rule]] = {}
    for rule in rules:
        plan = increment.plans[rule.id]
        if plan.mode == DELTA:
            runs.setdefault((plan.dataset, plan.key), []).append(rule)
    for (name, key), delta_rules in sorted(runs.items()):
        with tempfile.TemporaryDirectory(prefix="lianqing-delta-") as folder:
            delta_files = dict(files)
            delta_files[name] = write_delta_file(files[name], increment.changes[name], Path(folder))
            redone: pa.Array | None = None
            if key:
                delta_files[name], redone = write_group_file(
                    files[name], delta_files[name], key, Path(folder)
                )
            backend = open_backend()
            try:
                prepare(backend, delta_files, delta_rules)
                for rule in delta_rules:
                    old = increment.evidence[rule.id]
                    if redone is not None and old.num_rows:
                        old = old.filter(pc.invert(pc.is_in(old.column("record_id"), value_set=redone)))
                    increment.evidence[rule.id] = _union(old, backend.execute(rule.sql, params[rule.id]))
            finally:
                backend.close()


def write_group_file(
    file: DatasetFile, appended: DatasetFile, key: tuple[str, ...], folder: Path
) -> tuple[DatasetFile, pa.Array]:
    """Every row (old and new) of the groups the appended rows fall in, contract-typed, as a
    Parquet file; and the record keys of those rows, whose old evidence is computed again."""
    dataset = file.dataset
    target = folder / f"{dataset.name}.groups.parquet"
    whole = typed_select(dataset, duckdb_source(file.path), set(file.columns))
    new = typed_select(dataset, duckdb_source(appended.path), set(appended.columns))
    same_group = " AND ".join(f"({part}) IS NOT DISTINCT FROM n.{_alias(i)}" for i, part in enumerate(key))
    new_keys = ", ".join(f"{part} AS {_alias(i)}" for i, part in enumerate(key))
    record_key = f"{dataset.name}_key({', '.join(dataset.key)})"
    with duckdb.connect() as connection:
        connection.execute("SET enable_progress_bar = false")
        for macro in load_macros():
            connection.execute(f"CREATE MACRO {macro.name}({', '.join(macro.args)}) AS {macro.body}")
        connection.execute(
            f"CREATE TABLE groups AS SELECT * FROM ({whole}) AS w"
            f" WHERE EXISTS (SELECT 1 FROM (SELECT DISTINCT {new_keys} FROM ({new})) AS n WHERE {same_group})"
        ).fetchall()
        connection.execute(f"COPY groups TO {quote_literal(str(target))} (FORMAT parquet)").fetchall()
        keys = connection.sql(f"SELECT {record_key} AS record_id FROM groups").to_arrow_table()
    columns = {column.name: column.sql_type for column in dataset.columns}
    redone = keys.column("record_id").combine_chunks()
    return DatasetFile(dataset, target, columns, len(redone)), redone


def _alias(index: int) -> str:
    return f"_group_{index}"


def _union(old: pa.Table, new: pa.Table) -> pa.Table:
    if new.num_rows == 0:
        return old
    if old.num_rows == 0:
        return new
    return pa.concat_tables([old, new.cast(old.schema)])


# ---- saving a result's state ---------------------------------------------------------------


def save_state(
    out: Path,
    *,
    engine: str,
    prints: Mapping[str, Any],
    evidence: Mapping[str, pa.Table],
    rules: Iterable[Rule],
    params: Mapping[str, Mapping[str, Any]],
) -> None:
    """Write `_incremental/` for a later scan `since` this result (replacing an earlier one only
    once the new one is complete)."""
    final = out / STATE_DIR
    staging = out / f"{STATE_DIR}.new"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    state: dict[str, Any] = {"format": STATE_FORMAT, "engine": engine, "datasets": dict(prints), "rules": {}}
    for rule in rules:
        if rule.id not in evidence:
            continue  # skipped: a later scan runs it in full
        name = f"{rule.id}.parquet"
        pq.write_table(evidence[rule.id], staging / name, compression="zstd")
        state["rules"][rule.id] = {
            "library": library_print(rule),
            "params": params_print(params[rule.id]),
            "evidence": name,
        }
    (staging / STATE_FILE).write_text(
        json.dumps(state, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    shutil.rmtree(final, ignore_errors=True)
    staging.rename(final)
