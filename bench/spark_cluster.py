"""A Spark standalone cluster on this machine: start it, scan a package on it, compare, stop it.

    .venv/bin/python bench/spark_cluster.py                    # 100k persons, 2 workers
    .venv/bin/python bench/spark_cluster.py --persons 1000000 --workers 2 --package /tmp/p1m

It starts a master and N workers as separate JVMs from the pyspark package's own launcher, all on
127.0.0.1, and runs `lianqing scan --engine spark --spark-master spark://127.0.0.1:PORT` over a
package the workers read from the same folder (a shared folder on one machine; HDFS or S3 on a
real cluster, see docs/spark.md). Printed: cluster start seconds, scan seconds on DuckDB and on
the cluster, hits, and whether hits.csv is byte-identical. It asserts nothing.
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

from lianqing.analytics.engine.cluster import start_local_cluster


def _scan(package: Path, out: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "lianqing.cli", "scan", str(package), "--out", str(out), "--quiet", *extra],
        check=True,
        env={
            **os.environ,
            "LIANQING_SPARK_SHUFFLE_PARTITIONS": os.environ.get("LIANQING_SPARK_SHUFFLE_PARTITIONS", "8"),
        },
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--package", type=Path, help="reuse a generated package")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-spark-cluster-") as scratch:
        work = Path(scratch)
        package = options.package or work / "package"
        if not (package / "_manifest.json").exists():
            subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "lianqing.cli",
                    "gen",
                    "--persons",
                    str(options.persons),
                    "--out",
                    str(package),
                    "--quiet",
                ],
                check=True,
            )
        as_of = json.loads((package / "_manifest.json").read_text(encoding="utf-8"))["as_of"]
        duck_seconds = _scan(package, work / "duckdb", "--as-of", as_of)
        started = time.perf_counter()
        with start_local_cluster(work / "cluster", workers=options.workers) as cluster:
            start_seconds = time.perf_counter() - started
            spark_seconds = _scan(
                package,
                work / "spark",
                "--as-of",
                as_of,
                "--engine",
                "spark",
                "--spark-master",
                cluster.master_url,
            )
        duck_hits = (work / "duckdb" / "hits.csv").read_bytes()
        same = (work / "spark" / "hits.csv").read_bytes() == duck_hits
        hits = duck_hits.count(b"\n") - 1
    print(
        "| persons | workers | cluster start s | DuckDB scan s | cluster scan s | hits | identical | load |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {options.persons:,} | {options.workers} | {start_seconds:.1f} | {duck_seconds:.1f} | "
        f"{spark_seconds:.1f} | {hits:,} | {'yes' if same else 'NO'} | {os.getloadavg()[0]:.1f} |"
    )


if __name__ == "__main__":
    main()
