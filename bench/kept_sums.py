"""M01/M03 and their kept benefit sums, step by step (issue 18): CPU seconds on one DuckDB thread.

    .venv/bin/python bench/kept_sums.py PACKAGE [MAIN_RULES_DIR]

Times building fund_benefit_days from every benefit (what a full scan does once for both rules;
an incremental scan merges a month's sums instead), and each rule over it; with MAIN_RULES_DIR
(another checkout's rules folder, e.g. main's) also that checkout's M01/M03, which sum the benefits
themselves. Best of two runs each; prints a table and the load average. Run by hand, not in CI.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lianqing.analytics.engine.backend import DuckDBBackend
from lianqing.analytics.engine.library import load_shared_views
from lianqing.analytics.engine.package import inspect_package
from lianqing.analytics.engine.params import parse_date, resolve_params
from lianqing.analytics.engine.scan import _prepare, get_rule


def best_cpu(run: Callable[[], object], times: int = 2) -> float:
    best = float("inf")
    for _ in range(times):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    package = Path(sys.argv[1])
    other = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    backend = DuckDBBackend()
    backend.connection.execute("SET threads = 1")  # CPU seconds, not the share of a busy machine
    _prepare(backend, inspect_package(package), [])
    select = dict(load_shared_views())["fund_benefit_days"]
    rows = [
        (
            "fund_benefit_days from every benefit",
            best_cpu(lambda: backend.create_table("fund_benefit_days", select)),
        )
    ]
    for rule_id in ("M01", "M03"):
        rule = get_rule(rule_id)
        params = resolve_params(rule, {}, as_of=parse_date("2025-12-31", field="as_of"))
        statements = {f"{rule_id} over fund_benefit_days": rule.sql}
        if other is not None:
            body = (other / f"{rule_id}.sql").read_text(encoding="utf-8").split("*/", 1)[1]
            statements = {f"{rule_id} of {other}": body, **statements}
        for label, sql in statements.items():
            rows.append((label, best_cpu(functools.partial(backend.execute, sql, params))))
    print("| step (DuckDB, 1 thread) | CPU s (best of 2) |\n|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} |")
    print("load average: " + " ".join(f"{value:.2f}" for value in os.getloadavg()))


if __name__ == "__main__":
    main()
