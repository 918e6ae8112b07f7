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
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
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

from lianqing.analytics.contract import DATASETS, Dataset
from lianqing.analytics.engine.backend import Backend, DuckDBBackend
from lianqing.analytics.engine.library import (
    KEPT_TABLES,
    Rule,
    load_macros,
    load_shared_views,
    materialised_views,
    narrowed_datasets,
    views_read_by,
)
from lianqing.analytics.engine.package import (
    DatasetFile,
    duckdb_source,
    quote_identifier,
    quote_literal,
    typed_select,
)
from lianqing.analytics.errors import AnalyticsError

STATE_DIR = "_incremental"
STATE_FILE = "state.json"
STATE_FORMAT = 1
TABLES_DIR = "tables"  # kept shared tables (library.KEPT_TABLES), one Parquet file each
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
    return _datasets_named(rule.sql) | set(rule.all_datasets)


@functools.cache
def _datasets_named(sql: str) -> frozenset[str]:
    shared = dict(load_shared_views())
    texts = [sql] + [shared[name] for name in views_read_by(sql, through_narrowing=False)]
    named = {name for name in DATASETS if any(re.search(rf"\b{name}\b", text) for text in texts)}
    return frozenset(named | narrowed_datasets(sql))


@functools.cache
def _reads_package_datasets_sql(sql: str) -> bool:
    shared = dict(load_shared_views())
    texts = [sql] + [shared[name] for name in views_read_by(sql)]
    return any(re.search(r"\bpackage_datasets\b", text) for text in texts)


def _reads_package_datasets(rule: Rule) -> bool:
    return _reads_package_datasets_sql(rule.sql)


def local_views(datasets: Iterable[str]) -> frozenset[str]:
    """The shared views reading one of `datasets`, directly or through another shared view: those
    a delta run recreates over its rows (the others read the whole package, as a full run's)."""
    names = set(datasets)
    local: set[str] = set()
    for name, select in load_shared_views():  # in dependency order
        if any(re.search(rf"\b{other}\b", select) for other in names | local):
            local.add(name)
    return frozenset(local)


def library_print(rule: Rule) -> str:
    """SHA-1 of everything that defines a rule's evidence rows: its SQL, the shared views and
    macros (record keys included) and the versions of the libraries computing them."""
    return _library_print(rule.sql)


@functools.cache
def _library_print(sql: str) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(sql.encode())
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


@dataclass(frozen=True)
class Shape:
    """How a delta run reads one appended dataset: its new rows alone (row-local), or with the
    old rows of the groups they fall in (`key`), or with one old row per distinct `decided_by`
    value of those groups (witnesses); in each case only the rows meeting `only`."""

    dataset: str
    key: tuple[str, ...] = ()
    decided_by: tuple[str, ...] = ()
    only: str = ""

    @classmethod
    def witnesses_of(cls, rule: Rule) -> Shape | None:
        """The shape of a rule's witnesses: per group key and decided_by values, or per first_of
        key (None when the rule keeps none)."""
        for dataset, key in rule.first_of.items():
            return cls(dataset, key, (), rule.only.get(dataset, ""))
        for dataset in rule.decided_by:
            return cls.of(rule, dataset)
        return None

    @classmethod
    def of(cls, rule: Rule, dataset: str) -> Shape:
        return cls(
            dataset,
            rule.grouped_by.get(dataset, ()),
            rule.decided_by.get(dataset, ()),
            rule.only.get(dataset, ""),
        )


@dataclass
class RulePlan:
    mode: str
    reason: str
    datasets: tuple[str, ...] = ()  # the appended datasets of a delta run, run one after another
    # first_of datasets whose witnesses the new rows left as they were: read as the witnesses
    instead: tuple[str, ...] = ()


@dataclass
class Increment:
    """The decisions of a scan `since` an earlier result, and the evidence they give."""

    since: Path
    engine: str
    old: dict[str, Any]
    prints: dict[str, Any]
    changes: dict[str, Change]
    files: Mapping[str, DatasetFile] = field(default_factory=dict)
    workdir: Path = Path()  # files of this scan's delta runs, removed after it
    plans: dict[str, RulePlan] = field(default_factory=dict)
    evidence: dict[str, pa.Table] = field(default_factory=dict)
    # Each witness rule's witnesses after this scan (old ones reused, or updated by a delta run).
    witnesses: dict[str, list[Path]] = field(default_factory=dict)
    # Each appended dataset's new rows alone, written once for every run reading them.
    appended: dict[str, DatasetFile] = field(default_factory=dict)
    # Seconds of each rule's delta runs: its own query and its share of writing and registering.
    seconds: dict[str, float] = field(default_factory=dict)
    # The evidence files of the rules reused, linked into the new result as they are.
    evidence_files: dict[str, Path] = field(default_factory=dict)
    # Whether a first_of shape's witnesses hold (the same for every rule keeping them).
    held: dict[Shape, bool] = field(default_factory=dict)
    # Kept shared tables (library.KEPT_TABLES) this scan has without computing them over the
    # whole dataset: the old ones merged with the new rows' (or as they were, the dataset unchanged).
    kept: dict[str, pa.Table] = field(default_factory=dict)
    # Those unchanged: their old files, linked into the new result.
    kept_files: dict[str, Path] = field(default_factory=dict)
    # A first_of shape's witnesses grown by the new rows, when they do not hold (one file per shape).
    grown: dict[Shape, list[Path]] = field(default_factory=dict)

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
    workdir: Path,
) -> Increment:
    """Compare the package with the one scanned into `since`; decide each rule's run (writing
    into `workdir`, removed by the caller after the scan)."""
    since = Path(since)
    old = load_state(since)
    prints = fingerprints(files, old["datasets"])
    names = set(old["datasets"]) | set(prints)
    changes = {name: compare(old["datasets"].get(name), prints.get(name)) for name in names}
    increment = Increment(since, engine, old, prints, changes, files, workdir)
    merging = _plan_kept_tables(increment)
    readers: dict[str, list[str]] = {}
    for rule in rules:
        plan = increment.plans[rule.id] = _plan_rule(increment, rule, params[rule.id])
        kept = kept_tables_read([rule])
        if plan.mode == FULL and kept and kept <= set(increment.kept):
            plan.reason += "；" + _KEPT_WORDS
            for name in kept:
                readers.setdefault(name, []).append(rule.id)
        if increment.plans[rule.id].mode != FULL:
            before = old["rules"][rule.id]
            # ParquetFile, not read_table: that one imports pyarrow.dataset and pandas (~0.3 s)
            increment.evidence[rule.id] = pq.ParquetFile(since / STATE_DIR / before["evidence"]).read()
            if increment.plans[rule.id].mode == REUSE:
                increment.evidence_files[rule.id] = since / STATE_DIR / before["evidence"]
            if before.get("witnesses"):
                increment.witnesses[rule.id] = witness_parts(since / STATE_DIR / before["witnesses"])
        elif (grown := _grown_first_of(increment, rule)) is not None:
            increment.witnesses[rule.id] = grown
    for name, rule_ids in readers.items():  # a merge's seconds, shared by the rules reading the table
        for rule_id in rule_ids:
            spent = merging.get(name, 0.0) / len(rule_ids)
            increment.seconds[rule_id] = increment.seconds.get(rule_id, 0.0) + spent
    return increment


# ---- kept shared tables: sums carried from one scan to the next ----------------------------

_KEPT_WORDS = "所读的合计沿用上次扫描，只加上新记录的合计"


def kept_table_print(name: str) -> str:
    """SHA-1 of what defines a kept table's rows: views.sql (its SELECT), the macros, the library
    versions, and its key and merge (library.KEPT_TABLES)."""
    return _library_print(f"{name}\0{KEPT_TABLES[name]}")


def _plan_kept_tables(increment: Increment) -> dict[str, float]:
    """Each kept table of the earlier scan that still holds: as it was when its dataset did not
    change, merged with the new rows' own when it only grew. Any other change (or another engine,
    or a changed definition) leaves it out: a rule reading it computes it over the whole dataset.
    Returns the seconds of each merge."""
    seconds: dict[str, float] = {}
    for name, before in (increment.old.get("tables") or {}).items():
        path = increment.since / STATE_DIR / str(before.get("file", ""))
        table = KEPT_TABLES.get(name)
        if (
            table is None
            or increment.old.get("engine") != increment.engine
            or before.get("library") != kept_table_print(name)
            or not path.is_file()
        ):
            continue
        change = increment.changes.get(table.dataset, Change("same"))
        if change.kind == "same":
            increment.kept_files[name] = path
            increment.kept[name] = pq.ParquetFile(path).read()
        elif change.kind == "appended":
            appended = _appended_rows(increment, table.dataset)  # written once for every delta run
            started = time.perf_counter()
            increment.kept[name] = merge_kept_table(name, path, appended)
            seconds[name] = time.perf_counter() - started
    return seconds


def merge_kept_table(name: str, old_path: Path, appended: DatasetFile) -> pa.Table:
    """The kept table `name` over old and new rows: its SELECT over the new rows alone, merged by
    key with the old table's rows (sum of sums, min of mins: exact on DECIMAL and integers)."""
    table = KEPT_TABLES[name]
    select = dict(load_shared_views())[name]
    schema = pq.ParquetFile(old_path).schema_arrow
    keys = ", ".join(quote_identifier(column) for column in table.key)
    merged = ", ".join(
        f"{how}({quote_identifier(column)}) AS {quote_identifier(column)}" for column, how in table.merged
    )
    rows = typed_select(appended.dataset, duckdb_source(appended.path), set(appended.columns))
    with _connect() as connection:
        # The SELECT reads the dataset by its name: here, its new rows only.
        connection.execute(f"CREATE TEMP VIEW {table.dataset} AS {rows}")
        found = connection.sql(
            f"SELECT {keys}, {merged} FROM (SELECT * FROM read_parquet({quote_literal(str(old_path))})"
            f" UNION ALL BY NAME ({select})) GROUP BY {keys}"
        ).to_arrow_table()
    return found.select(schema.names).cast(schema)


def kept_tables_read(rules: Iterable[Rule]) -> set[str]:
    """The kept tables the rules read (directly or through shared views)."""
    return set().union(*(views_read_by(rule.sql) for rule in rules)) & set(KEPT_TABLES)


def tables_to_keep(
    increment: Increment | None, made: Iterable[str], backend: Backend
) -> dict[str, pa.Table | Path]:
    """What the result's state keeps of each kept table: this scan's (merged, or as computed by
    `backend` for the `made` ones), else the earlier scan's unchanged file."""
    kept: dict[str, pa.Table | Path] = dict(increment.kept_files) if increment is not None else {}
    for name in made:
        if name not in kept:
            known = increment.kept.get(name) if increment is not None else None
            kept[name] = known if known is not None else backend.execute(f"SELECT * FROM {name}")
    return kept


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
    witnesses = before.get("witnesses") or ""
    if not (increment.since / STATE_DIR / before["evidence"]).is_file() or (
        Shape.witnesses_of(rule) and not witness_parts(increment.since / STATE_DIR / witnesses)
    ):
        return RulePlan(FULL, "上次扫描的中间结果缺失")
    if _reads_package_datasets(rule) and set(increment.old["datasets"]) != set(increment.prints):
        return RulePlan(FULL, "数据包包含的数据集变了")
    moved = {
        name: increment.changes[name]
        for name in sorted(datasets_read_by(rule))
        if name in increment.changes and increment.changes[name].kind != "same"
    }
    broken = [name for name, change in moved.items() if change.kind != "appended"]
    if broken:
        name = broken[0]
        return RulePlan(FULL, f"{DATASETS[name].title}：{moved[name].why}")
    instead = tuple(name for name in rule.first_of if name in moved and _witnesses_hold(increment, rule))
    for name in instead:
        del moved[name]
    if not moved:
        return RulePlan(
            REUSE, "输入数据未变" if not instead else "新增记录不改变本规则所看的数据", instead=instead
        )
    titles = "、".join(DATASETS[name].title for name in moved)
    new_rows = sum(increment.prints[name]["rows"] - change.old_rows for name, change in moved.items())
    if len(moved) > 1:
        # Row-local on each: every new evidence row pairs a new row of one of them with rows of
        # the others, so one run per dataset, its new rows against the others' whole files.
        if set(moved) <= set(rule.row_local):
            return RulePlan(
                DELTA,
                f"{titles}新增 {new_rows:,} 条记录，逐一只算新记录",
                datasets=tuple(moved),
                instead=instead,
            )
        return RulePlan(FULL, f"{titles}都新增了记录")
    (name,) = moved
    if name in rule.decided_by:
        reason = f"{titles}新增 {new_rows:,} 条记录，只重算判断依据变了的组"
    elif name in rule.grouped_by:
        reason = f"{titles}新增 {new_rows:,} 条记录，只重算它们所在的组"
    elif name in rule.row_local:
        reason = f"{titles}新增 {new_rows:,} 条记录，只算新记录"
    else:
        return RulePlan(FULL, f"{titles}新增了记录，本规则要看全部历史记录")
    return RulePlan(DELTA, reason, datasets=(name,), instead=instead)


def _grown_first_of(increment: Increment, rule: Rule) -> list[Path] | None:
    """A first_of rule's witnesses after this scan when its dataset only grew and they do not
    hold: per key the smaller record of the old witness and the new rows, read from those alone
    (at 10M persons the whole file's ~9.7M benefits against ~1.8M witnesses and a month's rows).
    None when they must be computed from the whole file."""
    shape = Shape.witnesses_of(rule)
    if shape is None or not rule.first_of or shape.dataset not in increment.files:
        return None
    change = increment.changes.get(shape.dataset)
    before = witness_parts(
        increment.since / STATE_DIR / (increment.old["rules"].get(rule.id, {}).get("witnesses") or "")
    )
    if change is None or change.kind != "appended" or not before or increment.held.get(shape) is not False:
        return None
    if shape not in increment.grown:
        dataset = increment.files[shape.dataset].dataset
        target = increment.workdir / f"{rule.id}.grown.witnesses.parquet"
        columns = ", ".join(quote_identifier(column.name) for column in dataset.columns)
        rows = (
            f"SELECT * FROM ({_keyed(shape, dataset, before)}) UNION ALL BY NAME"
            f" SELECT * FROM ({_keyed(shape, dataset, _appended_rows(increment, shape.dataset))})"
        )
        with _connect() as connection:
            connection.execute(
                f"COPY (SELECT {columns} FROM ({rows}) QUALIFY row_number() OVER"
                f" (PARTITION BY {', '.join(_alias(i) for i in range(len(shape.key)))} ORDER BY _record) = 1)"
                f" TO {quote_literal(str(target))} (FORMAT parquet, COMPRESSION zstd)"
            )
        increment.grown[shape] = [target]
    return increment.grown[shape]


def _witnesses_hold(increment: Increment, rule: Rule) -> bool:
    """Whether the rows appended to a first_of dataset add no key and no smaller record key to
    the rule's witnesses (so that the dataset is, for the rule, what it was)."""
    shape = Shape.witnesses_of(rule)
    before = witness_parts(
        increment.since / STATE_DIR / (increment.old["rules"][rule.id].get("witnesses") or "")
    )
    if shape is None or not before:
        return False
    if shape in increment.held:  # the witnesses of a shape are the dataset's, whichever rule kept them
        return increment.held[shape]
    file = increment.files[shape.dataset]
    keys = [_alias(i) for i in range(len(shape.key))]
    seen = _keyed(shape, file.dataset, before)
    new = _keyed(shape, file.dataset, _appended_rows(increment, shape.dataset))
    # Per key, the new rows' smallest record against the witness's: a hash join of two grouped
    # tables (a NOT EXISTS with `<=` beside the keys ran as a far slower join at 10M persons).
    grouped = ", ".join(keys)
    with _connect() as connection:
        found = connection.execute(
            f"SELECT count(*) FROM (SELECT {grouped}, min(_record) AS first FROM ({new}) GROUP BY ALL) AS n"
            f" LEFT JOIN (SELECT {grouped}, min(_record) AS first FROM ({seen}) GROUP BY ALL) AS w"
            f" ON {_same(keys, 'w', 'n')} WHERE w.first IS NULL OR w.first > n.first"
        ).fetchall()
    increment.held[shape] = found == [(0,)]
    return found == [(0,)]


# ---- delta runs ----------------------------------------------------------------------------


def write_delta_file(file: DatasetFile, change: Change, folder: Path) -> DatasetFile:
    """The appended rows of `file` alone, as a file of the same format in `folder`."""
    target = folder / file.path.name
    if file.format == "parquet":
        parquet = pq.ParquetFile(file.path)
        # Uncompressed: a file of this scan's work folder, read once or twice, not kept.
        with pq.ParquetWriter(target, parquet.schema_arrow, compression="none") as writer:
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


def _appended_rows(increment: Increment, name: str) -> DatasetFile:
    """The appended rows of dataset `name`, written once per scan into its work folder."""
    if name not in increment.appended:
        folder = increment.workdir / f"appended-{name}"
        folder.mkdir(exist_ok=True)
        increment.appended[name] = write_delta_file(increment.files[name], increment.changes[name], folder)
    return increment.appended[name]


DeltaRun = tuple[Shape, tuple[str, ...], list[Rule]]


def delta_runs(increment: Increment, rules: Iterable[Rule]) -> list[DeltaRun]:
    """The delta runs of a scan: per shape of appended rows (and first_of datasets read as their
    witnesses), the rules reading them so."""
    runs: dict[tuple[Shape, tuple[str, ...]], list[Rule]] = {}
    for rule in rules:
        plan = increment.plans[rule.id]
        if plan.mode == DELTA:
            for name in plan.datasets:
                runs.setdefault((Shape.of(rule, name), plan.instead), []).append(rule)
    return [
        (shape, instead, found)
        for (shape, instead), found in sorted(runs.items(), key=lambda item: repr(item[0]))
    ]


def replaced_datasets(run: DeltaRun) -> frozenset[str]:
    """The datasets a delta run reads other rows of than the package's."""
    shape, instead, _ = run
    return frozenset({shape.dataset, *instead})


def views_beside(runs: Iterable[DeltaRun]) -> set[str]:
    """The shared views delta runs read from the whole package (those not over their own rows)."""
    needed: set[str] = set()
    for run in runs:
        local = local_views(replaced_datasets(run))
        for rule in run[2]:
            needed |= views_read_by(rule.sql) - local
    return needed


def _prepare_schema(
    backend: DuckDBBackend, schema: str, replaced: Mapping[str, DatasetFile], rules: list[Rule]
) -> None:
    """In `schema` of a backend prepared for the package: the replaced datasets and the shared
    views reading them, over the delta run's rows; then `schema` first on the search path, so that
    the rules read them there and everything else from the package, computed once."""
    backend.create_schema(schema)
    backend.use_schema(schema)  # a CREATE TABLE reads names by the search path (a view by its schema)
    for name, file in replaced.items():
        backend.register_dataset(DATASETS[name], file, as_name=f"{schema}.{name}")
    needed = local_views(replaced) & set().union(*(views_read_by(rule.sql) for rule in rules))
    tables = materialised_views()
    for name, select in load_shared_views():
        if name in needed:
            if name in tables:
                backend.create_table(f"{schema}.{name}", select)
            else:
                backend.create_view(f"{schema}.{name}", select)


def run_deltas(
    increment: Increment,
    files: Mapping[str, DatasetFile],
    rules: Iterable[Rule],
    params: Mapping[str, Mapping[str, Any]],
    open_backend: Callable[[], Backend],
    prepare: PrepareBackend,
    workdir: Path,
    shared: DuckDBBackend | None = None,
) -> None:
    """Run each delta rule on its appended datasets' new rows (with the old rows its shape asks
    for) and add the old evidence rows. With `shared` (a DuckDB backend prepared for the package,
    views_beside included) every run reads its rows from a schema of its own in it; else one
    backend per run (one at a time: Spark backends share a session). Updated witnesses are
    written into `workdir`, which must outlive the scan."""
    for number, (shape, instead, delta_rules) in enumerate(delta_runs(increment, rules)):
        started = time.perf_counter()
        own = 0.0
        with tempfile.TemporaryDirectory(prefix="lianqing-delta-") as folder:
            name = shape.dataset
            appended = _appended_rows(increment, name)
            witnesses = None
            if shape.decided_by:
                # Rules of one shape read the same witnesses (the rows are the dataset's, whatever the rule).
                witnesses = increment.witnesses[delta_rules[0].id]
            kept_path = workdir / f"{number}.{name}.witnesses.parquet"  # the witnesses it adds
            delta, redone, kept = write_shape_file(
                shape, files[name], appended, Path(folder), witnesses, kept_path
            )
            if kept is not None:
                for rule in delta_rules:
                    increment.witnesses[rule.id] = kept
            replaced = {name: delta}
            for other in instead:  # the same witnesses for every rule of the run (they are the dataset's)
                # first_of witnesses are written once, by a full run: one file
                (witnessed,) = increment.witnesses[delta_rules[0].id]
                replaced[other] = replace(files[other], path=witnessed, columns=_typed_columns(files[other]))
            backend: Backend
            if shared is not None:
                backend = shared
                _prepare_schema(shared, f"delta_{number}", replaced, delta_rules)
            else:
                backend = open_backend()
            try:
                if shared is None:
                    prepare(backend, {**files, **replaced}, delta_rules)
                for rule in delta_rules:
                    rule_started = time.perf_counter()
                    old = increment.evidence[rule.id]
                    if redone is not None and len(redone) and old.num_rows:
                        old = old.filter(pc.invert(pc.is_in(old.column("record_id"), value_set=redone)))
                    increment.evidence[rule.id] = _union(old, backend.execute(rule.sql, params[rule.id]))
                    spent = time.perf_counter() - rule_started
                    increment.seconds[rule.id] = increment.seconds.get(rule.id, 0.0) + spent
                    own += spent
            finally:
                if shared is None:
                    backend.close()
                else:
                    shared.use_schema(None)
        share = (time.perf_counter() - started - own) / len(delta_rules)
        for rule in delta_rules:
            increment.seconds[rule.id] += share


_DATABASES: dict[int, duckdb.DuckDBPyConnection] = {}


def _connect() -> duckdb.DuckDBPyConnection:
    """A cursor on an in-memory DuckDB kept per process with the macros (creating them costs
    ~0.1 s a connection): its own tables are TEMP, gone when the cursor closes."""
    pid = os.getpid()
    if pid not in _DATABASES:
        database = duckdb.connect()
        database.execute("SET enable_progress_bar = false")
        for macro in load_macros():
            database.execute(f"CREATE MACRO {macro.name}({', '.join(macro.args)}) AS {macro.body}")
        _DATABASES[pid] = database
    cursor = _DATABASES[pid].cursor()
    cursor.execute("SET enable_progress_bar = false")
    return cursor


def _rows_sql(file: DatasetFile, shape: Shape) -> str:
    """The file's rows, contract-typed, those meeting the shape's condition."""
    typed = typed_select(file.dataset, duckdb_source(file.path), set(file.columns))
    return f"SELECT * FROM ({typed}) AS r" + (f" WHERE {shape.only}" if shape.only else "")


def _keyed(shape: Shape, dataset: Dataset, source: DatasetFile | list[Path]) -> str:
    """Rows of a dataset file (or of a witnesses file, already typed and filtered) with their
    record key (_record), group key (_group_N) and decided_by values (_by_N) as columns."""
    if isinstance(source, DatasetFile):
        rows = f"({_rows_sql(source, shape)})"
    else:
        rows = f"read_parquet([{', '.join(quote_literal(str(part)) for part in source)}])"
    parts = [f"{dataset.name}_key({', '.join(f'r.{column}' for column in dataset.key)}) AS _record"]
    parts += [f"{part} AS {_alias(i)}" for i, part in enumerate(shape.key)]
    parts += [f"{part} AS _by_{i}" for i, part in enumerate(shape.decided_by)]
    return f"SELECT *, {', '.join(parts)} FROM {rows} AS r"


def _same(columns: Iterable[str], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{c} IS NOT DISTINCT FROM {right}.{c}" for c in columns)


def _within(connection: duckdb.DuckDBPyConnection, table: str, groups: list[str]) -> str:
    """A condition on `w`'s group columns every row of a group of `table` meets: each between
    the table's smallest and largest value (or NULL). Redundant beside the exact match, it is
    written with literals so that DuckDB skips the row groups whose statistics lie outside (a
    month's rows are row groups of their own: a new month's periods skip the old ones)."""
    parts = ["TRUE"]
    for group in groups:
        ((low, high, kind),) = connection.execute(
            f"SELECT CAST(min({group}) AS VARCHAR), CAST(max({group}) AS VARCHAR), typeof(min({group}))"
            f" FROM {table}"
        ).fetchall()
        if low is not None and high is not None:
            bounds = f"CAST({quote_literal(low)} AS {kind}) AND CAST({quote_literal(high)} AS {kind})"
            parts.append(f"(w.{group} BETWEEN {bounds} OR w.{group} IS NULL)")
    return " AND ".join(parts)


def _count(connection: duckdb.DuckDBPyConnection, table: str) -> int:
    ((found,),) = connection.execute(f"SELECT count(*) FROM {table}").fetchall()  # a finished statement
    return int(found)


def write_shape_file(
    shape: Shape,
    file: DatasetFile,
    appended: DatasetFile,
    folder: Path,
    witnesses: list[Path] | None,
    witnesses_out: Path,
) -> tuple[DatasetFile, pa.Array | None, list[Path] | None]:
    """The rows a delta run of `shape` reads, as a contract-typed Parquet file; the record keys
    of its old rows (their old evidence is computed again); and, for a witness shape, the
    witnesses after this scan (the old ones, and those the new rows add, written to `witnesses_out`).

    Row-local: the new rows. Group-local: every row, old and new, of the groups the new rows
    fall in. Witnesses: the new rows, the old witnesses of the groups they fall in, and every old
    row of a group whose distinct decided_by values the new rows add to (its verdict may change).
    """
    dataset = file.dataset
    target = folder / f"{dataset.name}.delta.parquet"
    groups = [_alias(i) for i in range(len(shape.key))]
    values = groups + [f"_by_{i}" for i in range(len(shape.decided_by))]
    record_key = f"{dataset.name}_key({', '.join(f'r.{column}' for column in dataset.key)})"
    columns = ", ".join(quote_identifier(column.name) for column in dataset.columns)

    def whole_rows_of(table: str) -> str:
        # Every row of the whole file in a group of `table` (a full read: only when needed).
        return (
            f"SELECT * FROM ({_keyed(shape, dataset, file)}) AS w"
            f" WHERE {_within(connection, table, groups)}"
            f" AND EXISTS (SELECT 1 FROM {table} AS t WHERE {_same(groups, 'w', 't')})"
        )

    redone: pa.Table | None = None
    kept: list[Path] = []
    with _connect() as connection:
        connection.execute(f"CREATE TEMP TABLE new AS {_keyed(shape, dataset, appended)}")
        if shape.key:
            connection.execute(f"CREATE TEMP TABLE touched AS SELECT DISTINCT {', '.join(groups)} FROM new")
        if not shape.key:
            connection.execute(f"CREATE TEMP VIEW delta AS SELECT {columns} FROM new")
        elif not shape.decided_by:
            # The whole file's rows in the touched groups, counted on their key columns alone (a
            # narrow read): when they are the new rows only (a new month's groups), those are the delta.
            in_touched = (
                f"(SELECT 1 FROM ({_keyed(shape, dataset, file)}) AS w"
                f" WHERE {_within(connection, 'touched', groups)}"
                f" AND EXISTS (SELECT 1 FROM touched AS t WHERE {_same(groups, 'w', 't')}))"
            )
            if _count(connection, "touched") and _count(connection, in_touched) > _count(connection, "new"):
                connection.execute(
                    f"CREATE TEMP VIEW delta AS SELECT {columns} FROM ({whole_rows_of('touched')})"
                )
            else:  # no old row in the new rows' groups (or no new row meets the condition)
                connection.execute(f"CREATE TEMP VIEW delta AS SELECT {columns} FROM new")
        else:
            # The old witnesses' keys and values, narrow; their whole rows only where needed.
            connection.execute(f"CREATE TEMP VIEW seen_rows AS {_keyed(shape, dataset, witnesses or [])}")
            connection.execute(f"CREATE TEMP TABLE seen AS SELECT {', '.join(values)} FROM seen_rows")
            # Groups seen before whose distinct values the new rows add to.
            connection.execute(
                f"CREATE TEMP TABLE added AS SELECT * FROM new AS n"
                f" WHERE NOT EXISTS (SELECT 1 FROM seen AS w WHERE {_same(values, 'w', 'n')})"
            )
            connection.execute(
                f"CREATE TEMP TABLE changed AS SELECT DISTINCT {', '.join(groups)} FROM added AS n"
                f" WHERE EXISTS (SELECT 1 FROM seen AS w WHERE {_same(groups, 'w', 'n')})"
            )
            parts = [
                f"SELECT {columns} FROM new",
                f"SELECT {columns} FROM seen_rows AS w"
                f" WHERE EXISTS (SELECT 1 FROM touched AS t WHERE {_same(groups, 'w', 't')})"
                f" AND NOT EXISTS (SELECT 1 FROM changed AS c WHERE {_same(groups, 'w', 'c')})",
            ]
            if _count(connection, "changed"):
                connection.execute("CREATE TEMP TABLE new_keys AS SELECT DISTINCT _record FROM new")
                parts.append(
                    f"SELECT {columns} FROM ({whole_rows_of('changed')})"
                    " WHERE _record NOT IN (SELECT _record FROM new_keys)"
                )
            connection.execute(f"CREATE TEMP VIEW delta AS {' UNION ALL '.join(parts)}")
            kept = list(witnesses or [])
            if _count(connection, "added"):  # old witnesses stay as they are; new ones beside them
                connection.execute(
                    f"COPY (SELECT {columns} FROM added"
                    f" QUALIFY row_number() OVER (PARTITION BY {', '.join(values)} ORDER BY _record) = 1)"
                    f" TO {quote_literal(str(witnesses_out))} (FORMAT parquet, COMPRESSION zstd)"
                )
                kept.append(witnesses_out)
        # Written once, then read back for its record keys (the file is small, its sources not).
        connection.execute(
            f"COPY delta TO {quote_literal(str(target))} (FORMAT parquet, COMPRESSION uncompressed)"
        )
        written = f"read_parquet({quote_literal(str(target))})"
        if shape.key:
            redone = connection.sql(f"SELECT {record_key} AS record_id FROM {written} AS r").to_arrow_table()
        rows = _count(connection, written)
    types = _typed_columns(file)
    keys = redone.column("record_id").combine_chunks() if redone is not None else None
    return DatasetFile(dataset, target, types, rows), keys, (kept if shape.decided_by else None)


def _typed_columns(file: DatasetFile) -> dict[str, str]:
    return {column.name: column.sql_type for column in file.dataset.columns}


def witness_parts(folder: Path) -> list[Path]:
    """A witnesses folder's files, oldest first ([] when there is none)."""
    if not folder.name or not folder.is_dir():
        return []
    return sorted(folder.glob("part-*.parquet"), key=lambda part: int(part.stem.split("-")[1]))


def _keep_file(source: Path, target: Path) -> None:
    """`source` at `target`: a hard link when both are on one file system (no bytes copied)."""
    try:
        target.hardlink_to(source)
    except OSError:
        shutil.copyfile(source, target)


def write_witnesses(file: DatasetFile, shape: Shape, target: Path) -> None:
    """One row of `file` per distinct group key and decided_by values (the smallest record key's),
    contract-typed: what a later delta run of a witness shape starts from."""
    values = [_alias(i) for i in range(len(shape.key))] + [f"_by_{i}" for i in range(len(shape.decided_by))]
    columns = ", ".join(quote_identifier(column.name) for column in file.dataset.columns)
    dataset = file.dataset
    # row_number() over a window, not arg_min(struct_pack(…)) in a hash aggregate: that one took
    # ~20% less CPU for B08's at 1M and 10M persons but twice the scan's peak memory at 10M
    # (2.5 GB against 1.2 GB), and the window spills where memory runs short.
    with _connect() as connection:
        connection.execute(
            f"COPY (SELECT {columns} FROM ({_keyed(shape, dataset, file)})"
            f" QUALIFY row_number() OVER (PARTITION BY {', '.join(values)} ORDER BY _record) = 1)"
            f" TO {quote_literal(str(target))} (FORMAT parquet, COMPRESSION zstd)"
        )


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
    files: Mapping[str, DatasetFile],
    witnesses: Mapping[str, list[Path]] | None = None,
    evidence_files: Mapping[str, Path] | None = None,
    tables: Mapping[str, pa.Table | Path] | None = None,
) -> None:
    """Write `_incremental/` for a later scan `since` this result (replacing an earlier one only
    once the new one is complete). A witness rule's witnesses are those of `witnesses` (reused or
    updated by this scan), else taken from the package's `files`. A rule's evidence in
    `evidence_files` (reused as it was) is linked, not written again; so is a kept table of
    `tables` given as a file (unchanged), one given as a table is written."""
    witnesses = witnesses or {}
    evidence_files = evidence_files or {}
    # Rules of one shape keep the same witnesses (the dataset's): computed once, linked for the others.
    computed: dict[Shape, Path] = {}
    final = out / STATE_DIR
    staging = out / f"{STATE_DIR}.new"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    state: dict[str, Any] = {"format": STATE_FORMAT, "engine": engine, "datasets": dict(prints), "rules": {}}
    for rule in rules:
        if rule.id not in evidence:
            continue  # skipped: a later scan runs it in full
        name = f"{rule.id}.parquet"
        if rule.id in evidence_files:
            _keep_file(evidence_files[rule.id], staging / name)
        else:
            pq.write_table(evidence[rule.id], staging / name, compression="zstd")
        state["rules"][rule.id] = {
            "library": library_print(rule),
            "params": params_print(params[rule.id]),
            "evidence": name,
        }
        shape = Shape.witnesses_of(rule)
        if shape is not None:
            kept = f"{rule.id}.witnesses"
            (staging / kept).mkdir()
            if rule.id in witnesses:
                for index, part in enumerate(witnesses[rule.id]):
                    _keep_file(part, staging / kept / f"part-{index}.parquet")
            elif shape in computed:
                _keep_file(computed[shape], staging / kept / "part-0.parquet")
            else:
                computed[shape] = staging / kept / "part-0.parquet"
                write_witnesses(files[shape.dataset], shape, computed[shape])
            state["rules"][rule.id]["witnesses"] = kept
    if tables:
        (staging / TABLES_DIR).mkdir()
        state["tables"] = {}
        for name, table in sorted(tables.items()):
            target = staging / TABLES_DIR / f"{name}.parquet"
            if isinstance(table, Path):
                _keep_file(table, target)
            else:
                pq.write_table(table, target, compression="zstd")
            state["tables"][name] = {
                "library": kept_table_print(name),
                "file": f"{TABLES_DIR}/{name}.parquet",
            }
    (staging / STATE_FILE).write_text(
        json.dumps(state, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    shutil.rmtree(final, ignore_errors=True)
    staging.rename(final)
