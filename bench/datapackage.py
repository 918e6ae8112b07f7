"""Data package benchmark: generate, copy to CSV, import; seconds, rows/s, peak memory, size.

    .venv/bin/python bench/datapackage.py                 # 100k and 1M persons
    .venv/bin/python bench/datapackage.py 100000 1000000 10000000 --workdir /tmp/bench

Each step runs in its own process so that its peak resident memory is its own. The import
is measured twice: the whole CSV copy of the package, and the benefits CSV alone (the goal
is ≥ 1,000,000 benefits rows/s on 2 cores). Beside the benefits import: its CPU seconds (user +
system, steadier than wall time on a shared machine), and what bounds it, each measured
alone in a fresh process on the same file: starting Python with the importer's modules (start),
Arrow parsing the CSV to text batches (parse), Arrow parsing it and writing the text to
Parquet with no checks (pipe), and DuckDB copying the CSV to Parquet (duck). `load` is the
1-minute load average when the benefits import started.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

GENERATE = "from lianqing.analytics.generate import generate; import sys; generate(sys.argv[1], persons=int(sys.argv[2]), seed=1)"
TO_CSV = (
    "import duckdb, sys, pathlib\n"
    "src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]); dst.mkdir(parents=True, exist_ok=True)\n"
    "duckdb.sql('SET enable_progress_bar = false')\n"
    "for p in sorted(src.glob('*.parquet')):\n"
    "    duckdb.sql(f\"COPY (SELECT * FROM read_parquet('{p}')) TO '{dst / (p.stem + '.csv')}' (HEADER)\")\n"
)
FLOORS = (
    "import time, sys\n"
    "started = time.perf_counter()\n"
    "import lianqing.analytics.importer, pyarrow as pa, pyarrow.csv as pacsv\n"
    "loaded = time.perf_counter()\n"
    "names = open(sys.argv[1], encoding='utf-8').readline().rstrip('\\n').split(',')\n"
    "for batch in pacsv.open_csv(sys.argv[1], read_options=pacsv.ReadOptions(block_size=8 << 20),\n"
    "        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),\n"
    "        strings_can_be_null=True, null_values=[''])):\n"
    "    pass\n"
    "parsed = time.perf_counter()\n"
    "import pyarrow.parquet as pq\n"
    "reader = pacsv.open_csv(sys.argv[1], read_options=pacsv.ReadOptions(block_size=8 << 20),\n"
    "        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),\n"
    "        strings_can_be_null=True, null_values=['']))\n"
    "with pq.ParquetWriter(sys.argv[2], reader.schema, compression='zstd') as writer:\n"
    "    for batch in reader:\n"
    "        writer.write_batch(batch)\n"
    "piped = time.perf_counter()\n"
    "import duckdb\n"
    "duckdb.sql('SET enable_progress_bar = false')\n"
    "copying = time.perf_counter()\n"
    "duckdb.sql(f\"COPY (SELECT * FROM read_csv('{sys.argv[1]}', all_varchar = true)) TO '{sys.argv[2]}' (FORMAT parquet, COMPRESSION zstd)\")\n"
    "print(loaded - started, parsed - loaded, piped - parsed, time.perf_counter() - copying)\n"
)
IMPORT = (
    "from lianqing.analytics.importer import import_package; import sys\n"
    "result = import_package(sys.argv[2:], sys.argv[1])\n"
    "assert result.ok, result.problems\n"
)


def run(code: str, *args: str) -> tuple[float, int]:
    """Seconds and peak resident memory (bytes) of one step in a fresh Python process."""
    seconds, peak, _, _ = run_measured(code, *args)
    return seconds, peak


def run_measured(code: str, *args: str) -> tuple[float, int, float, str]:
    """Seconds, peak resident memory (bytes), CPU seconds and standard output of one step."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)  # noqa: S603 - our own code
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"step failed: {code.splitlines()[0]} {args}")
    return seconds, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime, output


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())


def rows_in(package: Path, dataset: str | None = None) -> int:
    import pyarrow.parquet as pq

    files = [package / f"{dataset}.parquet"] if dataset else sorted(package.glob("*.parquet"))
    return sum(pq.read_metadata(p).num_rows for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/lianqing-bench"))  # noqa: S108
    parser.add_argument("--keep", action="store_true", help="keep the packages")
    args = parser.parse_args()
    header = (
        f"{'persons':>10} {'rows':>11} {'gen s':>7} {'gen MB':>7} {'pkg MB':>7} {'csv MB':>7} "
        f"{'import s':>8} {'rows/s':>10} {'imp MB':>7} {'benefits':>10} {'load':>5} {'ben s':>6} {'ben cpu':>7} "
        f"{'ben rows/s':>10} {'ben MB':>7} {'start s':>7} {'parse s':>7} {'pipe s':>6} {'duck s':>6}"
    )
    lines = [header]
    print(header, flush=True)
    for persons in args.sizes:
        base = args.workdir / str(persons)
        shutil.rmtree(base, ignore_errors=True)
        package, csv_copy, imported, benefits_only = (
            base / "pkg",
            base / "csv",
            base / "imported",
            base / "benefits",
        )
        gen_seconds, gen_peak = run(GENERATE, str(package), str(persons))
        run(TO_CSV, str(package), str(csv_copy))
        import_seconds, import_peak = run(IMPORT, str(imported), str(csv_copy))
        load = os.getloadavg()[0]
        ben_seconds, ben_peak, ben_cpu, _ = run_measured(
            IMPORT, str(benefits_only), f"benefits={csv_copy / 'benefits.csv'}"
        )
        floors = run_measured(FLOORS, str(csv_copy / "benefits.csv"), str(base / "duckdb-benefits.parquet"))[
            3
        ]
        start_seconds, parse_seconds, pipe_seconds, duck_seconds = map(float, floors.split())
        total, benefits = rows_in(package), rows_in(package, "benefits")
        mb = 1 << 20
        line = (
            f"{persons:>10,} {total:>11,} {gen_seconds:>7.1f} {gen_peak / mb:>7.0f} {folder_size(package) / mb:>7.0f} "
            f"{folder_size(csv_copy) / mb:>7.0f} {import_seconds:>8.1f} {total / import_seconds:>10,.0f} "
            f"{import_peak / mb:>7.0f} {benefits:>10,} {load:>5.1f} {ben_seconds:>6.2f} {ben_cpu:>7.2f} "
            f"{benefits / ben_seconds:>10,.0f} {ben_peak / mb:>7.0f} {start_seconds:>7.2f} {parse_seconds:>7.2f} {pipe_seconds:>6.2f} {duck_seconds:>6.2f}"
        )
        lines.append(line)
        print(line, flush=True)
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
