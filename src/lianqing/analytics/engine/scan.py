"""`scan`: run (part of) the rule library over a data package."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from lianqing.analytics.contract import DATASETS
from lianqing.analytics.engine.backend import Backend, DuckDBBackend
from lianqing.analytics.engine.calendar import calendar_table
from lianqing.analytics.engine.incremental import (
    FULL,
    Increment,
    delta_runs,
    fingerprints,
    kept_tables_read,
    plan_increment,
    run_deltas,
    save_state,
    tables_to_keep,
    views_beside,
)
from lianqing.analytics.engine.library import (
    Rule,
    load_library,
    load_macros,
    load_shared_views,
    materialised_views,
    views_read_by,
)
from lianqing.analytics.engine.package import DatasetFile, inspect_package
from lianqing.analytics.engine.params import check_params, parse_date, resolve_params, split_overrides, today
from lianqing.analytics.engine.results import Hit, ResultFolder, group_hits, hits_table
from lianqing.analytics.errors import AnalyticsError, Message, Term
from lianqing.analytics.workdays import unknown_years

ENGINES: tuple[str, ...] = ("duckdb", "spark")

ProgressCallback = Callable[[str, int, int], None]
CancelCheck = Callable[[], bool]


class ScanCancelledError(AnalyticsError):
    """The caller's cancel check returned True between two rules."""


@dataclass
class RuleReport:
    rule_id: str
    name: str
    rows_scanned: int = 0
    hits: int = 0
    seconds: float = 0.0
    skipped: bool = False
    reason: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    mode: str = FULL  # incremental.REUSE / DELTA / FULL: how its evidence was obtained
    mode_reason: str = ""


@dataclass
class ScanResult:
    hits: list[Hit]
    summary: dict[str, Any]
    reports: list[RuleReport]

    def hits_arrow(self) -> pa.Table:
        return hits_table(self.hits)


def list_rules() -> list[Rule]:
    """The rule library, sorted by id."""
    return list(load_library())


def check_scan_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """`RULE.name` overrides checked against the library (names, types, ranges), typed."""
    return check_params(params, {rule.id: rule for rule in load_library()})


def get_rule(rule_id: str) -> Rule:
    rules = {rule.id: rule for rule in load_library()}
    try:
        return rules[rule_id.strip().upper()]
    except KeyError:
        raise AnalyticsError(
            "没有规则 %(rule)s，可用的规则有：%(known)s", rule=rule_id, known=list(rules)
        ) from None


def select_rules(rule_ids: Iterable[str] | None) -> list[Rule]:
    if rule_ids is None:
        return list_rules()
    chosen = [get_rule(rule_id) for rule_id in rule_ids if rule_id.strip()]
    if not chosen:
        raise AnalyticsError("未选择任何规则")
    return sorted({rule.id: rule for rule in chosen}.values(), key=lambda rule: rule.id)


def make_backend(
    engine: str,
    spark_master: str,
    *,
    memory_limit: str | None = None,
    spill_dir: Path | None = None,
    spill_shown: Path | None = None,
) -> Backend:
    if engine == "duckdb":
        return DuckDBBackend(memory_limit=memory_limit, spill_dir=spill_dir, spill_shown=spill_shown)
    if engine == "spark":
        from lianqing.analytics.engine.spark import SparkBackend

        return SparkBackend(master=spark_master)
    raise AnalyticsError("未知的引擎 %(engine)s，可选：%(known)s", engine=engine, known=list(ENGINES))


def _missing_datasets(rule: Rule, files: Mapping[str, DatasetFile]) -> list[str]:
    return rule.missing_datasets(set(files))


def rule_rows(rule: Rule, files: Mapping[str, DatasetFile]) -> int:
    """Rows of the package a rule reads (0 when it will be skipped): the unit of progress."""
    if _missing_datasets(rule, files):
        return 0
    return sum(files[name].rows for name in rule.all_datasets if name in files)


def _dated_span(backend: Backend) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of the records the calendar rules look at."""
    span = backend.execute(
        "SELECT min(day) AS first_day, max(day) AS last_day FROM ("
        " SELECT date AS day FROM expenses"
        " UNION ALL SELECT CAST(start_time AS DATE) FROM vehicle_trips"
        " UNION ALL SELECT CAST(time AS DATE) FROM transactions"
        " UNION ALL SELECT CAST(time AS DATE) FROM card_payments) AS dated"
    ).to_pylist()[0]
    return span["first_day"], span["last_day"]


def _package_span(files: Mapping[str, DatasetFile]) -> tuple[dt.date | None, dt.date | None]:
    """The dated span of the whole package (a delta run's calendar must cover it, as a full run's)."""
    backend = DuckDBBackend(materialize=False)
    try:
        for name, dataset in DATASETS.items():
            backend.register_dataset(dataset, files.get(name))
        return _dated_span(backend)
    finally:
        backend.close()


def _prepare(
    backend: Backend,
    files: Mapping[str, DatasetFile],
    rules: Iterable[Rule] = (),
    span: tuple[dt.date | None, dt.date | None] | None = None,
    views: Iterable[str] = (),
    kept: Mapping[str, pa.Table] | None = None,
) -> list[int]:
    """Register the package; return the records' years the holiday calendar does not cover.

    Only the shared definitions `rules` (those that will run) read are created, and `views`
    besides (those delta runs read from the package). A definition views.sql writes `CREATE TABLE` is
    materialised once here, so the rules reading it share one computation; one of `kept` (an
    incremental scan's kept tables, incremental.py) is taken as it is given."""
    for name, dataset in DATASETS.items():
        backend.register_dataset(dataset, files.get(name))
    backend.register_table("package_datasets", pa.table({"name": pa.array(sorted(files), pa.string())}))
    first, last = span if span is not None else _dated_span(backend)
    backend.register_table("calendar", calendar_table(first, last))
    backend.create_macros(load_macros())
    needed: set[str] = set(views)
    for rule in rules:
        needed |= views_read_by(rule.sql)
    shared = materialised_views() & needed
    for name, select_sql in load_shared_views():
        if name in shared and kept and name in kept:
            backend.register_table(name, kept[name])
        elif name in shared:
            backend.create_table(name, select_sql)
        elif name in needed:
            backend.create_view(name, select_sql)
    return unknown_years(first, last) if first and last else []


def scan(
    *,
    package: str | Path,
    out: str | Path | None = None,
    rules: Iterable[str] | None = None,
    params: Mapping[str, Any] | None = None,
    as_of: dt.date | str | None = None,
    engine: str = "duckdb",
    spark_master: str = "local[2]",
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
    since: str | Path | None = None,
    memory_limit: str | None = None,
    temp_dir: str | Path | None = None,
) -> ScanResult:
    """Run the chosen rules (all by default) over the package at `package`.

    `params` maps "RULE.param" to a value (text or typed); `as_of` fixes "today" for the rules
    that use it. `progress(rule_id, index, total)` is called as each rule starts (index from 1);
    `cancel()` is checked before each rule and ends the scan with ScanCancelledError. When `out` is
    given, hits.csv and summary.json are written there, with what a later scan `since` this
    result needs (incremental.py): the folder is complete or absent (see ResultFolder), and DuckDB
    spills into it unless `temp_dir` names another folder. `memory_limit` (a DuckDB size, '8GB')
    caps DuckDB's memory, half the machine's by default. `since`, an earlier result folder, reuses
    that scan's work for each rule whose inputs only grew or did not change.
    """
    started = time.perf_counter()
    chosen = select_rules(rules)
    scan_day = parse_date(as_of, field="as_of") if as_of is not None else today()
    overrides = split_overrides(params or {}, {rule.id: rule for rule in load_library()})
    bound = {rule.id: resolve_params(rule, overrides.get(rule.id, {}), as_of=scan_day) for rule in chosen}
    files = inspect_package(Path(package))
    if engine not in ENGINES:
        raise AnalyticsError("未知的引擎 %(engine)s，可选：%(known)s", engine=engine, known=list(ENGINES))

    folder = ResultFolder(Path(out)) if out is not None else None
    # DuckDB spills into the hidden result folder, so messages name the result folder itself.
    spill_dir, spill_shown = (folder.spill, folder.out) if folder is not None else (None, None)
    if temp_dir is not None:
        spill_dir = spill_shown = Path(temp_dir) / f"lianqing-spill-{os.getpid()}"

    def open_backend() -> Backend:
        return make_backend(
            engine, spark_master, memory_limit=memory_limit, spill_dir=spill_dir, spill_shown=spill_shown
        )

    runnable = [rule for rule in chosen if not _missing_datasets(rule, files)]
    increment: Increment | None = None
    hits: list[Hit] = []
    reports: list[RuleReport] = []
    evidences: dict[str, pa.Table] = {}
    backend: Backend | None = None
    # Witnesses a delta run updates, kept until the result is committed.
    workdir = Path(tempfile.mkdtemp(prefix="lianqing-increment-"))
    try:
        if since is not None:
            increment = plan_increment(since, files, runnable, bound, engine, workdir)
        # DuckDB runs the delta runs in the scan's backend, each over its rows in a schema of its
        # own; another engine in a backend per run, before the scan's (Spark has one session).
        shared = engine == "duckdb"
        if increment is not None and not shared:
            span = _package_span(files)
            run_deltas(
                increment,
                files,
                runnable,
                bound,
                open_backend,
                lambda delta_backend, delta_files, delta_rules: _prepare(
                    delta_backend, delta_files, delta_rules, span
                ),
                workdir,
            )
        backend = open_backend()
        runs = delta_runs(increment, runnable) if increment is not None and shared else []
        full_rules = [rule for rule in runnable if increment is None or increment.needs_full_run(rule.id)]
        uncovered_years = _prepare(
            backend,
            files,
            full_rules,
            views=views_beside(runs),
            kept=increment.kept if increment is not None else None,
        )
        # The kept tables (sums a later scan adds its new rows to), before the backend closes; only
        # a result folder keeps them.
        tables = (
            tables_to_keep(increment, kept_tables_read(full_rules), backend) if folder is not None else {}
        )
        if increment is not None and runs and isinstance(backend, DuckDBBackend):
            run_deltas(increment, files, runnable, bound, open_backend, _prepare, workdir, shared=backend)
        for index, rule in enumerate(chosen, start=1):
            if cancel is not None and cancel():
                raise ScanCancelledError("扫描已取消")
            if progress is not None:
                progress(rule.id, index, len(chosen))
            report = RuleReport(rule.id, rule.name, params=bound[rule.id])
            reports.append(report)
            missing = _missing_datasets(rule, files)
            if missing:
                report.skipped = True
                report.reason = Message(
                    "缺少数据集 %(datasets)s",
                    datasets=[Term(DATASETS[name].title) if name in DATASETS else name for name in missing],
                )
                continue
            report.rows_scanned = rule_rows(rule, files)
            rule_started = time.perf_counter()
            if increment is not None:
                report.mode, report.mode_reason = (
                    increment.plans[rule.id].mode,
                    increment.plans[rule.id].reason,
                )
            if increment is not None and report.mode != FULL:
                evidence = increment.evidence[rule.id]
            else:
                evidence = backend.execute(rule.sql, bound[rule.id])
            evidences[rule.id] = evidence
            rule_hits = group_hits(rule, evidence)
            delta_seconds = increment.seconds.get(rule.id, 0.0) if increment is not None else 0.0
            report.seconds = round(time.perf_counter() - rule_started + delta_seconds, 3)
            report.hits = len(rule_hits)
            hits.extend(rule_hits)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        if folder is not None:
            folder.discard()  # a failed or cancelled scan leaves no half-written result
        raise
    finally:
        if backend is not None:
            backend.close()
        if temp_dir is not None and spill_dir is not None:
            shutil.rmtree(spill_dir, ignore_errors=True)

    hits.sort(key=lambda hit: (hit.rule_id, hit.subject_id))
    summary = {
        "engine": engine,
        "spark_master": spark_master if engine == "spark" else None,
        "package": str(package),
        "as_of": scan_day.isoformat(),
        "datasets": {name: file.rows for name, file in sorted(files.items())},
        "hits": len(hits),
        # Rest days of these years were taken as Saturday and Sunday (no holiday data).
        "calendar_unknown_years": uncovered_years,
        "seconds": round(time.perf_counter() - started, 3),
        "rules": [
            {
                "rule_id": report.rule_id,
                "name": report.name,
                "rows_scanned": report.rows_scanned,
                "hits": report.hits,
                "seconds": report.seconds,
                "skipped": report.skipped,
                "reason": report.reason,
                "params": report.params,
                "mode": report.mode,
                "mode_reason": report.mode_reason,
            }
            for report in reports
        ],
    }
    if increment is not None:
        summary["incremental"] = increment.describe()
    try:
        if folder is not None:
            folder.commit(
                hits,
                summary,
                # written into the hidden folder too, so a later `since` finds it with the result or not at all
                also=lambda partial: save_state(
                    partial,
                    engine=engine,
                    prints=increment.prints if increment is not None else fingerprints(files),
                    evidence=evidences,
                    rules=runnable,
                    params=bound,
                    files=files,
                    witnesses=increment.witnesses if increment is not None else None,
                    evidence_files=increment.evidence_files if increment is not None else None,
                    tables=tables,
                ),
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return ScanResult(hits=hits, summary=summary, reports=reports)
