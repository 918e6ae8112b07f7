"""Procurement red flags benchmark: OCDS import and the eleven R indicators (Cardinal's).

    .venv/bin/python bench/procurement.py --releases 100000
    .venv/bin/python bench/procurement.py --releases 1000000          # the issue's size
    .venv/bin/python bench/procurement.py --releases 1000000 --file RELEASES.jsonl   # reuse a file

Generates N compiled releases (lianqing.analytics.generate.ocds: tenders with methods and
periods, one to eight bids with statuses, amounts in mixed currencies and tenderers from a pool
with frequent bidders, awards with classified items, parties, contracts), then, each in a fresh
process: `lianqing import ocds=` (releases/s, CPU seconds, peak memory) and a DuckDB scan of the
R rules (seconds per indicator, CPU seconds, peak memory). It prints tables and asserts nothing.
Goal (issue 16, 2 cores): import >= 50,000 releases/s, all eleven indicators < 60 s, peak < 4 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

R_RULES = ("R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058")

# CPU seconds (every thread of the child: the import's readers, DuckDB's workers) say what a
# step costs whatever else the machine runs; wall seconds on a loaded machine say little.
_IMPORT = """
import json, resource, sys, time
from lianqing.analytics.ocds import import_ocds
cpu = time.process_time()
result = import_ocds(sys.argv[1], sys.argv[2])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"releases": result.releases, "seconds": result.seconds, "rejected": len(result.rejected),
                  "cpu": time.process_time() - cpu, "rows": result.rows, "peak_mib": peak / 1024}))
"""

_SCAN = """
import json, resource, sys, time
from lianqing.analytics.engine import scan
started, cpu = time.perf_counter(), time.process_time()
result = scan(package=sys.argv[1], rules=sys.argv[2].split(","), as_of="2025-12-31")
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                  "rules": [(r.rule_id, r.seconds, r.hits) for r in result.reports],
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _child(code: str, *args: str) -> dict:
    completed = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--file", type=Path, help="an existing JSONL file of compiled releases (else generated)"
    )
    parser.add_argument(
        "--work", type=Path, help="folder for the file and the package (default: a temp folder)"
    )
    options = parser.parse_args()

    work = options.work or Path(tempfile.mkdtemp(prefix="lianqing-procurement-"))
    work.mkdir(parents=True, exist_ok=True)
    source = options.file
    if source is None:
        from lianqing.analytics.generate.ocds import generate_releases

        source = work / f"releases-{options.releases}.jsonl"
        if not source.exists():
            started = time.perf_counter()
            generate_releases(source, options.releases, seed=options.seed)
            print(
                f"generated {options.releases:,} releases in {time.perf_counter() - started:.1f} s → {source}"
            )
    size = source.stat().st_size
    package = work / "package"

    imported = _child(_IMPORT, str(source), str(package))
    scanned = _child(_SCAN, str(package), ",".join(R_RULES))

    print(f"\nload average {os.getloadavg()[0]:.1f} (2 cores), file {size / 2**20:,.0f} MiB")
    print("| step | releases | seconds | releases/s | CPU seconds | releases per CPU-second | peak memory |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    releases = imported["releases"]
    for step, measured in (("import", imported), ("scan (11 R rules, DuckDB)", scanned)):
        print(
            f"| {step} | {releases:,} | {measured['seconds']:.1f} | {releases / measured['seconds']:,.0f} | "
            f"{measured['cpu']:.1f} | {releases / measured['cpu']:,.0f} | {measured['peak_mib']:,.0f} MiB |"
        )
    print(f"\nrows: {imported['rows']}; rejected lines: {imported['rejected']}")
    print("\n| indicator | seconds | hits |")
    print("|---|---:|---:|")
    for rule_id, seconds, hits in scanned["rules"]:
        print(f"| {rule_id} | {seconds:.2f} | {hits:,} |")
    print(f"| all eleven | {sum(row[1] for row in scanned['rules']):.2f} | |")
    print(f"| whole scan (with the shared views) | {scanned['seconds']:.2f} | |")
    print(
        f"\npeak (max of the two steps): {max(imported['peak_mib'], scanned['peak_mib']):,.0f} MiB;"
        f" self {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB"
    )


if __name__ == "__main__":
    main()
