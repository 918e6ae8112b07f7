"""Collision engine benchmark: the whole rule library per engine, against two reference points.

    .venv/bin/python bench/engine.py                          # 100k and 1M persons
    .venv/bin/python bench/engine.py 100000 1000000 10000000 --workdir /tmp/bench-engine
    .venv/bin/python bench/engine.py 1000000 --spark-up-to 1000000 --package 1000000=/tmp/p1m

For each size it generates a package (seed 1, kept in --workdir; --package SIZE=PATH reuses
one) and measures, each step in its own process so that its peak memory is its own:
  - scan on DuckDB (and on Spark up to --spark-up-to persons): total seconds, slowest five
    rules, the seconds of each rule of issues 16 and 12 (B11-B14, C05, F09-F12, D01-D03), peak
    resident memory (for Spark, the Python driver plus the JVM);
  - (a) raw read: DuckDB reading once every column the rules use — the practical floor;
  - (b) pandas: a straightforward pandas version of B02, B03 and F06, as an analyst would
    write it, beside DuckDB's seconds for the same three rules.
Each scan and raw read also prints its CPU seconds (all threads): when other jobs load the
machine, the CPU ratio scan/raw read is the steadier measure. It prints tables and asserts
nothing. Goals at 10M persons on 2 cores: DuckDB < 60 s (issue 16; < 120 s in issue 4) and
< 8 GB; total <= 3x the raw read (issue 16); >= 10x faster than pandas on the three rules.

The province row (issue 18), run by hand, not in CI (~5 GB of Parquet, generation ~20 min on a
quiet machine, resumable: run the same command again after an interruption):
    .venv/bin/python bench/engine.py 100000000 --workdir /data/bench-engine --spark-up-to 0
Goals at 100M persons on 2 cores and 24 GiB: DuckDB scan < 30 min, peak < 16 GiB, <= 5x the raw
read. DuckDB is capped at half the RAM (--memory-limit to change) and spills under --workdir;
pandas runs up to --pandas-up-to persons only (it holds whole tables in memory).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PANDAS_RULES = ("B02", "B03", "F06")
# the rules of issues 16 and 12, each printed with its own seconds
NEW_RULES = ("B11", "B12", "B13", "B14", "C05", "F09", "F10", "F11", "F12", "D01", "D02", "D03")


# ---- steps, each run in a fresh process -------------------------------------------------


def step_generate(package: str, persons: str) -> dict[str, Any]:
    from lianqing.analytics.generate import generate

    started = time.perf_counter()
    generate(package, persons=int(persons), seed=1)
    return {"seconds": time.perf_counter() - started}


def _as_of(package: str) -> str:
    return str(json.loads((Path(package) / "_manifest.json").read_text(encoding="utf-8"))["as_of"])


def step_scan(package: str, engine: str, master: str, memory_limit: str, temp_dir: str) -> dict[str, Any]:
    from lianqing.analytics.engine import scan

    started, cpu_started = time.perf_counter(), time.process_time()
    result = scan(
        package=package,
        as_of=_as_of(package),
        engine=engine,
        spark_master=master,
        memory_limit=memory_limit or None,
        temp_dir=temp_dir or None,
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    jvm_peak = 0
    if engine == "spark":
        from lianqing.analytics.engine.spark import spark_session

        jvm_pid = spark_session(master)._jvm.java.lang.ProcessHandle.current().pid()
        jvm_peak = _peak_of(int(jvm_pid))
    return {
        "seconds": seconds,
        "cpu": cpu,
        "hits": len(result.hits),
        "rules": {report.rule_id: report.seconds for report in result.reports},
        "jvm_peak": jvm_peak,
    }


def _peak_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def used_columns() -> dict[str, list[str]]:
    """Contract columns that some rule or shared view names, per dataset."""
    import sqlglot
    from sqlglot import exp

    from lianqing.analytics.contract import DATASETS
    from lianqing.analytics.engine import list_rules
    from lianqing.analytics.engine.library import load_shared_views

    names: set[str] = set()
    for sql in [rule.sql for rule in list_rules()] + [select for _, select in load_shared_views()]:
        names |= {column.name for column in sqlglot.parse_one(sql, read="duckdb").find_all(exp.Column)}
    return {name: [c for c in dataset.column_names if c in names] for name, dataset in DATASETS.items()}


def step_raw_read(package: str) -> dict[str, Any]:
    """DuckDB reading every used column of every dataset once (hash-aggregated, so each value
    is decoded; nothing is materialised)."""
    import duckdb

    started, cpu_started = time.perf_counter(), time.process_time()
    values = 0
    with duckdb.connect() as connection:
        for dataset, columns in used_columns().items():
            path = Path(package) / f"{dataset}.parquet"
            if not path.exists() or not columns:
                continue
            aggregates = ", ".join(f'max(hash("{column}"))' for column in columns)
            connection.execute(f"SELECT count(*), {aggregates} FROM read_parquet('{path}')").fetchall()
            values += len(columns)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu_started,
        "columns": values,
    }


def step_pandas(package: str) -> dict[str, Any]:
    import pandas as pd

    folder = Path(package)

    def read(name: str, columns: list[str]) -> Any:
        return pd.read_parquet(folder / f"{name}.parquet", columns=columns)

    seconds: dict[str, float] = {}
    counts: dict[str, int] = {}
    close = ["配偶", "子女", "父母", "配偶父母", "子女配偶", "兄弟姐妹"]

    # B02: 低保类 benefits of close relatives of officials in post in the period.
    started = time.perf_counter()
    benefits = read(
        "benefits", ["record_id", "program", "person_id", "amount", "period", "approver_org_code"]
    )
    relatives = read("relatives", ["official_id", "relative_id", "relation"])
    officials = read("officials", ["person_id", "org_code", "start_date", "end_date"])
    low = benefits[benefits["program"].isin(["低保", "特困供养"])].copy()
    low["day"] = pd.to_datetime(low["period"] + "-01")
    joined = low.merge(
        relatives[relatives["relation"].isin(close)], left_on="person_id", right_on="relative_id"
    )
    joined = joined.merge(officials, left_on="official_id", right_on="person_id", suffixes=("", "_official"))
    start = pd.to_datetime(joined["start_date"])
    end = pd.to_datetime(joined["end_date"])
    joined = joined[(start <= joined["day"]) & (end.isna() | (joined["day"] <= end))]
    counts["B02"] = joined.groupby("person_id")["amount"].sum().shape[0]
    seconds["B02"] = time.perf_counter() - started

    # B03: benefits for a period starting after the month of death.
    started = time.perf_counter()
    benefits = read("benefits", ["record_id", "person_id", "amount", "period"])
    deaths = read("deaths", ["person_id", "death_date"])
    joined = benefits.merge(deaths, on="person_id")
    death = pd.to_datetime(joined["death_date"])
    period_month = joined["period"].str[:4].astype(int) * 12 + joined["period"].str[5:7].astype(int)
    joined = joined[period_month > death.dt.year * 12 + death.dt.month]
    counts["B03"] = joined.groupby("person_id")["amount"].sum().shape[0]
    seconds["B03"] = time.perf_counter() - started

    # F06: festival gifts from managed parties to officials in post.
    started = time.perf_counter()
    import datetime as dt

    import chinese_calendar

    from lianqing.analytics.contract import FESTIVAL_NAMES

    txns = read("transactions", ["txn_id", "time", "from_id", "to_id", "amount", "channel"])
    officials = read("officials", ["person_id", "org_code", "is_leader", "start_date", "end_date"])
    txns = txns[~txns["channel"].isin(["银行转账", "其他"]) & (txns["amount"].astype(float) >= 200)].copy()
    txns["day"] = pd.to_datetime(txns["time"]).dt.normalize()
    first, last = txns["day"].min().date(), txns["day"].max().date()
    window: set[Any] = set()
    day = first - dt.timedelta(days=7)
    while day <= last + dt.timedelta(days=7):
        holiday, name = chinese_calendar.get_holiday_detail(day)
        if holiday and name in FESTIVAL_NAMES:
            window |= {pd.Timestamp(day + dt.timedelta(days=k)) for k in range(-7, 8)}
        day += dt.timedelta(days=1)
    txns = txns[txns["day"].isin(window)]
    given = txns.merge(officials, left_on="to_id", right_on="person_id")
    start, end = pd.to_datetime(given["start_date"]), pd.to_datetime(given["end_date"])
    given = given[(start <= given["day"]) & (end.isna() | (given["day"] <= end))]
    contracts = read("contracts", ["buyer_org_code", "supplier_uscc"])
    companies = read("companies", ["uscc", "legal_rep_id"])
    holders = read("shareholders", ["uscc", "holder_id"])
    approvals = read("benefits", ["approver_org_code", "person_id"]).drop_duplicates()
    parties = pd.concat(
        [
            contracts.rename(columns={"buyer_org_code": "org_code", "supplier_uscc": "party_id"}),
            contracts.merge(companies, left_on="supplier_uscc", right_on="uscc")[
                ["buyer_org_code", "legal_rep_id"]
            ].set_axis(["org_code", "party_id"], axis=1),
            contracts.merge(holders, left_on="supplier_uscc", right_on="uscc")[
                ["buyer_org_code", "holder_id"]
            ].set_axis(["org_code", "party_id"], axis=1),
            approvals.set_axis(["org_code", "party_id"], axis=1),
        ]
    ).assign(leaders_only=False)
    staff = officials[~officials["is_leader"]][["org_code", "person_id"]].set_axis(
        ["org_code", "party_id"], axis=1
    )
    parties = pd.concat([parties, staff.assign(leaders_only=True)]).drop_duplicates()
    given = given.merge(parties, left_on=["org_code", "from_id"], right_on=["org_code", "party_id"])
    given = given[given["is_leader"] | ~given["leaders_only"]]
    given = given[given["from_id"] != given["to_id"]].drop_duplicates(["txn_id", "to_id"])
    counts["F06"] = given.groupby("to_id")["amount"].sum().shape[0]
    seconds["F06"] = time.perf_counter() - started
    return {"seconds": seconds, "hits": counts}


STEPS = {"generate": step_generate, "scan": step_scan, "raw": step_raw_read, "pandas": step_pandas}


# ---- the driver --------------------------------------------------------------------------


def run_step(name: str, *args: str, timeout: float | None = None) -> tuple[dict[str, Any] | None, int]:
    """The step's JSON result (None when it failed or timed out) and its peak resident bytes."""
    command = [sys.executable, __file__, "--step", name, *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE)  # noqa: S603 - our own script
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.monotonic() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            return None, 0
        time.sleep(0.2)
    output = process.stdout.read().decode() if process.stdout else ""
    if status != 0 or not output.strip():
        return None, usage.ru_maxrss * 1024
    return json.loads(output.strip().splitlines()[-1]), usage.ru_maxrss * 1024


def gib(size: int) -> str:
    return f"{size / 2**30:.2f} GiB"


def verdict(seconds: float, peak: int, raw_seconds: float) -> None:
    """The province goals of issue 18, each met or not."""
    goals = [
        (f"scan {seconds / 60:.1f} min < 30 min", seconds < 30 * 60),
        (f"peak {gib(peak)} < 16 GiB", peak < 16 * 2**30),
        (f"{seconds / raw_seconds:.1f}x raw read <= 5x", seconds <= 5 * raw_seconds),
    ]
    print(f"{'':<28}goals: " + "; ".join(f"{text} {'met' if met else 'NOT met'}" for text, met in goals))


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--step":
        print(json.dumps(STEPS[sys.argv[2]](*sys.argv[3:])))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "lianqing-bench-engine"))
    parser.add_argument(
        "--package", action="append", default=[], help="SIZE=PATH of an existing generated package"
    )
    parser.add_argument("--spark-up-to", type=int, default=1_000_000, help="run Spark for sizes up to this")
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument(
        "--pandas-up-to", type=int, default=10_000_000, help="run pandas for sizes up to this"
    )
    parser.add_argument("--memory-limit", default="", help="DuckDB memory limit (default: half the RAM)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed per step")
    known = parser.parse_args()
    given = {int(size): path for size, _, path in (item.partition("=") for item in known.package)}
    for persons in known.sizes:
        bench_size(persons, given.get(persons), known)


def bench_size(persons: int, existing: str | None, options: argparse.Namespace) -> None:
    package = existing or str(Path(options.workdir) / f"persons-{persons}")
    if not (Path(package) / "_manifest.json").exists():
        generated, _ = run_step("generate", package, str(persons))
        print(f"generated {persons:,} persons in {generated['seconds'] if generated else float('nan'):.1f} s")
    rows = sum(json.loads((Path(package) / "_manifest.json").read_text())["datasets"].values())
    size = sum(path.stat().st_size for path in Path(package).glob("*.parquet"))
    print(
        f"\n== {persons:,} persons, {rows:,} rows, {gib(size)} of Parquet in the package ({package}); "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (others' jobs slow every step)"
    )
    raw, raw_peak = run_step("raw", package, timeout=options.timeout)
    engines = ["duckdb"] + (["spark"] if persons <= options.spark_up_to else [])
    print(f"{'measure':<28}{'seconds':>10}{'CPU s':>8}{'rows/s':>14}{'peak memory':>14}  notes")
    raw_seconds = raw["seconds"] if raw else float("nan")
    raw_cpu = raw["cpu"] if raw else float("nan")
    print(
        f"{'(a) raw read (DuckDB)':<28}{raw_seconds:>10.1f}{raw_cpu:>8.1f}{rows / raw_seconds:>14,.0f}"
        f"{gib(raw_peak):>14}  {raw['columns'] if raw else '?'} columns the rules use"
    )
    scans: dict[str, dict[str, Any]] = {}
    duck_peak = 0
    for engine in engines:
        result, peak = run_step(
            "scan", package, engine, options.spark_master, options.memory_limit, options.workdir,
            timeout=options.timeout,
        )  # fmt: skip
        if result is None:
            print(f"{'scan ' + engine:<28}{'failed or timed out':>38}")
            continue
        scans[engine] = result
        if engine == "duckdb":
            duck_peak = peak
        peak_text = gib(peak) if engine == "duckdb" else f"{gib(peak + result['jvm_peak'])}"
        slowest = sorted(result["rules"].items(), key=lambda item: -item[1])[:5]
        # CPU seconds (both DuckDB threads) say more than wall seconds when others load the machine;
        # for Spark they count the Python driver only.
        print(
            f"{'scan ' + engine:<28}{result['seconds']:>10.1f}{result['cpu']:>8.1f}"
            f"{rows / result['seconds']:>14,.0f}{peak_text:>14}  "
            f"{result['hits']:,} hits; {result['seconds'] / raw_seconds:.1f}x raw read"
            + (f" ({result['cpu'] / raw_cpu:.1f}x in CPU)" if engine == "duckdb" else "")
            + (f"; driver {gib(peak)} + JVM {gib(result['jvm_peak'])}" if engine == "spark" else "")
        )
        print(f"{'':<28}slowest: " + ", ".join(f"{rule} {seconds:.1f}s" for rule, seconds in slowest))
        new = [(rule, result["rules"][rule]) for rule in NEW_RULES if rule in result["rules"]]
        print(
            f"{'':<28}new rules: "
            + ", ".join(f"{rule} {seconds:.2f}s" for rule, seconds in new)
            + f" (together {sum(seconds for _, seconds in new):.1f}s)"
        )
    if "duckdb" in scans and persons >= 100_000_000:
        verdict(scans["duckdb"]["seconds"], duck_peak, raw_seconds)
    if persons > options.pandas_up_to:
        return
    pandas, pandas_peak = run_step("pandas", package, timeout=options.timeout)
    if pandas is None:
        print("(b) pandas: failed or timed out")
        return
    print(f"(b) pandas vs DuckDB on {', '.join(PANDAS_RULES)} (peak {gib(pandas_peak)})")
    for rule in PANDAS_RULES:
        duck = scans.get("duckdb", {}).get("rules", {}).get(rule, float("nan"))
        print(
            f"    {rule}: pandas {pandas['seconds'][rule]:.2f} s ({pandas['hits'][rule]} subjects), "
            f"DuckDB {duck:.2f} s, {pandas['seconds'][rule] / duck:.1f}x"
        )
    total_pandas = sum(pandas["seconds"].values())
    total_duck = sum(
        scans.get("duckdb", {}).get("rules", {}).get(rule, float("nan")) for rule in PANDAS_RULES
    )
    print(
        f"    together: pandas {total_pandas:.2f} s, DuckDB {total_duck:.2f} s, {total_pandas / total_duck:.1f}x"
    )


if __name__ == "__main__":
    main()
