"""Leads benchmark: what the web adds around a scan, on generated packages of growing size.

    .venv/bin/python bench/leads_evidence.py                      # 100k and 1M persons
    .venv/bin/python bench/leads_evidence.py 100000 --workdir /tmp/bench-leads

For each size: the scan (DuckDB), locating every hit's org and region (once per scan, before the
hits are stored), and for one hit of each rule with a picture the evidence records and the
picture data (what one evidence page and its chart.json read). Django is not needed: these are
the library-side reads the leads app does; storing hits is one bulk INSERT.

The screens over the stored hits at a province's volume (10 million hits in PostgreSQL: the hit
list and its filters, the evidence page, the .xlsx export of a million rows) are measured by
bench/leads_screens.py.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.timing import peak_mib, timed

from lianqing.analytics.engine import scan
from lianqing.analytics.evidence import chart_kinds, hit_charts, hit_places, hit_records
from lianqing.analytics.generate import generate


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "lianqing-bench-leads")
    args = parser.parse_args()
    rows = []
    for persons in args.sizes:
        folder = args.workdir / f"p{persons}"
        shutil.rmtree(folder, ignore_errors=True)
        summary = generate(folder, persons=persons, seed=1)
        benefits = summary.rows.get("benefits", 0)
        scan_seconds, result = timed(scan, package=folder, as_of=summary.as_of)
        locate_seconds, _ = timed(hit_places, str(folder), result.hits)
        page_seconds = []
        for rule_id in sorted({hit.rule_id for hit in result.hits if chart_kinds(hit.rule_id)}):
            hit = next(hit for hit in result.hits if hit.rule_id == rule_id)
            started = time.perf_counter()
            hit_records(folder, hit.record_ids.split(";"))
            hit_charts(str(folder), hit)
            page_seconds.append((rule_id, time.perf_counter() - started))
        slowest = max(page_seconds, key=lambda item: item[1])
        rows.append(
            (
                persons,
                benefits,
                len(result.hits),
                scan_seconds,
                locate_seconds,
                sum(s for _, s in page_seconds) / len(page_seconds),
                f"{slowest[0]} {slowest[1]:.2f}",
                peak_mib(),
            )
        )
        shutil.rmtree(folder, ignore_errors=True)
    header = (
        "persons",
        "benefits rows",
        "hits",
        "scan s",
        "locate s",
        "evidence+chart s (mean)",
        "slowest",
        "peak MiB",
    )
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for persons, benefits, hits, scan_s, locate_s, mean_s, slowest_text, peak in rows:
        print(
            f"{persons:,} | {benefits:,} | {hits:,} | {scan_s:.2f} | {locate_s:.2f} | {mean_s:.2f} | {slowest_text} | {peak:,.0f}"
        )


if __name__ == "__main__":
    main()
