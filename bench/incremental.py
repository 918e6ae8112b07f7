"""Incremental scan benchmark: one new month, full scan against `scan --since` (issue 18).

    .venv/bin/python bench/incremental.py                                # 1M persons
    .venv/bin/python bench/incremental.py 10000000 --workdir /work/data/incr18/bench \
        --full-package /work/data/incr18/full10m                          # reuse a generated one

For each size it generates the whole package once (seed 1; --full-package reuses one), cuts it at
--month minus one month and at --month (`lianqing gen --until`: the second package is the first
with one month of rows appended), then, each step in its own process so that its peak memory is
its own:
  1. full scan of the previous month's package into a result folder (the baseline);
  2. full scan of the new month's package;
  3. incremental scan of the new month's package `since` the baseline;
and checks that 2 and 3 wrote the same hits.csv bytes. `--only M01,M03` scans those rules alone
(their own cost beside a scan's fixed work); `--rules` names rules whose seconds are always printed.
It prints a table (seconds, speed-up, CPU seconds, peak memory, the rules reused / delta / full)
and the load average. Goal at 10M persons: 3 at least
10 times faster than 2. Run by hand, not in CI.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

# ---- steps, each run in a fresh process -------------------------------------------------


def step_generate(package: str, persons: str) -> dict[str, Any]:
    from lianqing.analytics.generate import generate

    started = time.perf_counter()
    generate(package, persons=int(persons), seed=1)
    return {"seconds": time.perf_counter() - started}


def step_cut(source: str, out: str, until: str) -> dict[str, Any]:
    from lianqing.analytics.generate.monthly import cut_until

    started = time.perf_counter()
    rows = cut_until(Path(source), Path(out), until)
    return {"seconds": time.perf_counter() - started, "rows": rows}


def step_scan(package: str, out: str, since: str, only: str = "") -> dict[str, Any]:
    from lianqing.analytics.engine import scan

    started = time.perf_counter()
    chosen = only.split(",") if only else None
    result = scan(package=package, out=out, as_of="2025-12-31", since=since or None, rules=chosen)
    return {
        "seconds": time.perf_counter() - started,
        "hits": len(result.hits),
        "modes": dict(Counter(report.mode for report in result.reports if not report.skipped)),
        "full_rules": sorted(r.rule_id for r in result.reports if r.mode == "full" and not r.skipped),
        "rules": {r.rule_id: [r.mode, r.seconds] for r in result.reports if not r.skipped},
    }


STEPS = {"generate": step_generate, "cut": step_cut, "scan": step_scan}


# ---- the driver --------------------------------------------------------------------------


def run_step(name: str, *args: str) -> tuple[dict[str, Any], int]:
    """The step's JSON result (with its CPU seconds) and its peak resident bytes."""
    command = [sys.executable, __file__, "--step", name, *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE)  # noqa: S603 - our own script
    _, status, usage = os.wait4(process.pid, 0)
    output = process.stdout.read() if process.stdout else b""
    if status != 0:
        raise SystemExit(f"step {name} failed")
    result = json.loads(output.decode().strip().splitlines()[-1])
    # CPU seconds of every thread: on a shared machine they move far less than wall seconds.
    result["cpu"] = usage.ru_utime + usage.ru_stime
    return result, usage.ru_maxrss * 1024


def previous_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--step":
        print(json.dumps(STEPS[sys.argv[2]](*sys.argv[3:])))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000_000])
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "lianqing-bench-incremental"))
    parser.add_argument("--full-package", help="an already generated package of the (single) size")
    parser.add_argument("--month", default="2025-12", help="the new month (YYYY-MM)")
    parser.add_argument("--only", default="", help="scan these rules only (comma-separated): their own cost")
    parser.add_argument(
        "--rules",
        default="F12,M01,M03",
        help="rules whose seconds are printed even under a second (comma-separated)",
    )
    options = parser.parse_args()
    workdir = Path(options.workdir)
    before, month = previous_month(options.month), options.month
    rows = []
    for size in options.sizes:
        folder = workdir / str(size)
        full = Path(options.full_package) if options.full_package else folder / "full"
        if not (full / "_manifest.json").is_file():
            run_step("generate", str(full), str(size))
        for until in (before, month):
            if not (folder / until / "_manifest.json").is_file():
                cut, _ = run_step("cut", str(full), str(folder / until), until)
                print(f"{size:,} persons: cut at {until} in {cut['seconds']:.1f} s", file=sys.stderr)
        for result in ("result-before", "result-full", "result-incremental"):
            shutil.rmtree(folder / result, ignore_errors=True)
        only = options.only
        base, base_peak = run_step("scan", str(folder / before), str(folder / "result-before"), "", only)
        whole, whole_peak = run_step("scan", str(folder / month), str(folder / "result-full"), "", only)
        load_full = os.getloadavg()[0]
        part, part_peak = run_step(
            "scan",
            str(folder / month),
            str(folder / "result-incremental"),
            str(folder / "result-before"),
            only,
        )
        load_incremental = os.getloadavg()[0]
        same = filecmp.cmp(
            folder / "result-full" / "hits.csv", folder / "result-incremental" / "hits.csv", False
        )
        rows.append(
            (size, base, base_peak, whole, whole_peak, part, part_peak, same, load_full, load_incremental)
        )
    print(
        "\n| persons | baseline full s | full s | peak MB | incremental s | peak MB | speed-up |"
        " CPU s full / incremental | CPU speed-up | hits equal | reuse / delta / full | load (1 min) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size, base, _, whole, whole_peak, part, part_peak, same, load_full, load_incremental in rows:
        modes = part["modes"]
        print(
            f"| {size:,} | {base['seconds']:.1f} | {whole['seconds']:.1f} | {whole_peak / 2**20:,.0f} |"
            f" {part['seconds']:.1f} | {part_peak / 2**20:,.0f} | {whole['seconds'] / part['seconds']:.1f}× |"
            f" {whole['cpu']:.1f} / {part['cpu']:.1f} | {whole['cpu'] / part['cpu']:.1f}× |"
            f" {'yes' if same else 'NO'} | {modes.get('reuse', 0)} / {modes.get('delta', 0)} / {modes.get('full', 0)}"
            f" | {load_full:.1f} / {load_incremental:.1f} |"
        )
        print(f"\nrules run in full by the incremental scan: {', '.join(part['full_rules'])}")
        # Per rule (those over a second in either scan, and --rules): the machine is shared, so seconds vary.
        print("\n| rule | full scan s | incremental s | mode |")
        print("|---|---|---|---|")
        slow = sorted(whole["rules"], key=lambda rule: -whole["rules"][rule][1])
        for rule in slow:
            (_, full_seconds), (mode, part_seconds) = whole["rules"][rule], part["rules"][rule]
            if max(full_seconds, part_seconds) >= 1 or rule in options.rules.split(","):
                print(f"| {rule} | {full_seconds:.2f} | {part_seconds:.2f} | {mode} |")
    print("load average: " + " ".join(f"{value:.2f}" for value in os.getloadavg()))


if __name__ == "__main__":
    main()
