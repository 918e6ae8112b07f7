"""CPU seconds of single rules on DuckDB, and of variants of them, in alternating runs.

    .venv/bin/python bench/rule_cpu.py PACKAGE B04 B07 --runs 5
    .venv/bin/python bench/rule_cpu.py PACKAGE B04 --variant B04=/tmp/B04-bitset.sql --runs 5

The package is registered once as a scan does (shared views of the chosen rules included, so
their one-off cost is not counted); then each round runs every rule, and each variant of it
(another SQL text for the same rule, same parameters), once, in turn, so that a load that
comes and goes on a shared machine touches all of them alike. It prints the median CPU seconds
(all DuckDB threads: process time) and wall seconds per rule and variant, the hit rows, and
whether each variant's rows equal the library rule's (compared sorted, every column). The
machine's load average is printed beside the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from pathlib import Path

from lianqing.analytics.engine.backend import DuckDBBackend
from lianqing.analytics.engine.package import inspect_package
from lianqing.analytics.engine.params import resolve_params
from lianqing.analytics.engine.scan import _prepare, get_rule


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("package")
    parser.add_argument("rules", nargs="+")
    parser.add_argument("--variant", action="append", default=[], help="RULE=FILE.sql, another text of RULE")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    manifest = json.loads((Path(args.package) / "_manifest.json").read_text(encoding="utf-8"))
    as_of = dt.date.fromisoformat(manifest["as_of"])
    rules = [get_rule(rule_id) for rule_id in args.rules]
    # (label, rule id, sql): the library's text first, then each variant of it
    texts = [(rule.id, rule.id, rule.sql) for rule in rules]
    for item in args.variant:
        rule_id, path = item.split("=", 1)
        texts.append((f"{rule_id}:{Path(path).stem}", rule_id, Path(path).read_text(encoding="utf-8")))
    params = {rule.id: resolve_params(rule, {}, as_of=as_of) for rule in rules}

    backend = DuckDBBackend()
    try:
        _prepare(backend, inspect_package(Path(args.package)), rules)
        cpu: dict[str, list[float]] = {label: [] for label, _, _ in texts}
        wall: dict[str, list[float]] = {label: [] for label, _, _ in texts}
        rows: dict[str, list[tuple[object, ...]]] = {}
        for _ in range(args.runs):
            for label, rule_id, sql in texts:
                started, cpu_started = time.perf_counter(), time.process_time()
                table = backend.execute(sql, params[rule_id])
                wall[label].append(time.perf_counter() - started)
                cpu[label].append(time.process_time() - cpu_started)
                if label not in rows:
                    rows[label] = sorted(tuple(map(repr, row.values())) for row in table.to_pylist())
    finally:
        backend.close()

    print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}  runs: {args.runs}")
    print(f"{'rule / variant':<28}{'CPU-s':>8}{'wall-s':>8}{'rows':>9}  same rows")
    for label, rule_id, _ in texts:
        same = "-" if label == rule_id else ("yes" if rows[label] == rows[rule_id] else "NO")
        print(
            f"{label:<28}{statistics.median(cpu[label]):>8.2f}{statistics.median(wall[label]):>8.2f}"
            f"{len(rows[label]):>9}  {same}"
        )


if __name__ == "__main__":
    main()
