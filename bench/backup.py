"""Backup and restore at a commission's size: seconds, MB/s and archive size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqing_bench_backup .venv/bin/python bench/backup.py
    ... bench/backup.py --cases 20000 --reports 2000 --audit 200000     # a quick run

The database gets `--cases` cases (bench/cases.py's COPY loader) and `--audit` audit rows (COPY;
their hashes are not a chain: backup copies rows, it does not verify them); the instance folder
gets `--reports` sealed attachment files of `--attachment-kb` each (random bytes: sealed files do
not compress, as real ones do not). Then `lianqing backup`, `backup verify` and `restore` into a
second, empty database and instance are timed, each in this process, with its peak memory.
The full run is the issue's: 1,000,000 cases, 100,000 reports with attachments, 10,000,000 audit
rows. Prints a table; asserts nothing. 国密 vs libsodium per report sealed and opened: bench/crypto.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.timing import peak_mib

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqing.settings")
os.environ.setdefault("LIANQING_MODE", "test")
HOME = Path(
    os.environ.setdefault("LIANQING_HOME", os.path.join(tempfile.gettempdir(), "lianqing-bench-backup"))
)

import cases as cases_bench  # bench/cases.py: the COPY loader for cases  # noqa: E402

PASSPHRASE = "bench passphrase, not a secret"  # noqa: S105


def load_audit(count: int) -> float:
    from django.db import connection

    started = time.perf_counter()
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM core_auditevent")
        first = int(cursor.fetchone()[0]) + 1
        raw = cursor.connection.cursor()
        columns = "seq, created_at, actor_username, action, object_type, object_id, details, prev_hash, hash"
        with raw.copy(f"COPY core_auditevent ({columns}) FROM STDIN") as copy:
            for seq in range(first, first + count):
                copy.write_row(
                    (
                        seq,
                        start + dt.timedelta(seconds=seq),
                        "bench",
                        "view",
                        "cases.case",
                        str(seq % 1_000_000),
                        '{"bench": true}',
                        "0" * 64,
                        secrets.token_hex(32),
                    )
                )
    return time.perf_counter() - started


def fill_uploads(count: int, kb: int) -> int:
    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT) / "intake" / "files"
    folder.mkdir(parents=True, exist_ok=True)
    have = len(list(folder.iterdir()))
    for i in range(have, count):
        (folder / f"bench-{i:07d}.sealed").write_bytes(os.urandom(kb * 1024))
    return sum(p.stat().st_size for p in folder.iterdir())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--attachment-kb", type=int, default=200)
    parser.add_argument("--audit", type=int, default=10_000_000)
    parser.add_argument(
        "--out", type=Path, default=Path(tempfile.gettempdir()) / "lianqing-bench-backup.lqbak"
    )
    args = parser.parse_args()

    cases_bench.setup()
    from django.conf import settings
    from django.db import connection

    from lianqing.core.backup import database
    from lianqing.core.backup.services import backup_create, backup_restore, backup_verify

    if cases_bench.bench_count() < args.cases:
        commission, departments, townships, _ = cases_bench.org_tree()
        print(f"loading {args.cases:,} cases …", flush=True)
        cases_bench.load(args.cases - cases_bench.bench_count(), commission, departments, townships)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_auditevent")
        audit_rows = int(cursor.fetchone()[0])
    if audit_rows < args.audit:
        print(f"loading {args.audit - audit_rows:,} audit rows …", flush=True)
        load_audit(args.audit - audit_rows)
    upload_bytes = fill_uploads(args.reports, args.attachment_kb)
    rows = sum(database.row_counts().values())

    args.out.unlink(missing_ok=True)
    timings: list[tuple[str, float, float]] = []
    started = time.perf_counter()
    backup_create(args.out, PASSPHRASE)
    timings.append(("backup", time.perf_counter() - started, peak_mib()))
    size = args.out.stat().st_size
    started = time.perf_counter()
    backup_verify(args.out, PASSPHRASE)
    timings.append(("verify", time.perf_counter() - started, peak_mib()))

    # restore into a second database and instance folder, both empty
    target_db = f"{connection.settings_dict['NAME']}_restored"
    connection.close()
    from django.core.management import call_command
    from psycopg import connect

    admin = connect(dbname="postgres", host=settings.DATABASES["default"].get("HOST") or None, user=settings.DATABASES["default"].get("USER") or None, autocommit=True)  # fmt: skip
    admin.execute(f'DROP DATABASE IF EXISTS "{target_db}"')
    admin.execute(f'CREATE DATABASE "{target_db}"')
    settings.DATABASES["default"]["NAME"] = target_db
    connection.settings_dict["NAME"] = target_db
    connection.close()
    call_command("migrate", verbosity=0)
    restored_home = HOME.with_name(HOME.name + "-restored")
    shutil.rmtree(restored_home, ignore_errors=True)
    for name, path in (("HOME", restored_home), ("KEYS_DIR", restored_home / "keys"), ("DATA_DIR", restored_home / "data"), ("MEDIA_ROOT", restored_home / "uploads"), ("AUDIT_HEAD_DIR", restored_home.with_name(restored_home.name + "-audit-heads")), ("AUDIT_KEY_FILE", restored_home / "keys" / "audit_chain.key")):  # fmt: skip
        setattr(settings, name, path)
    restored_home.mkdir(parents=True)
    started = time.perf_counter()
    backup_restore(args.out, PASSPHRASE)
    timings.append(("restore", time.perf_counter() - started, peak_mib()))

    data_mb = upload_bytes / 1e6
    print()
    print(
        f"instance: {args.cases:,} cases, {rows:,} rows in all, {args.reports:,} sealed files ({data_mb:,.0f} MB)"
    )
    print(f"archive: {size / 1e6:,.0f} MB ({args.out})   load average: {os.getloadavg()[0]:.1f}")
    print(f"{'step':<8} {'seconds':>9} {'MB/s (archive)':>15} {'peak MB':>9}")
    for step, seconds, peak in timings:
        print(f"{step:<8} {seconds:>9.1f} {size / 1e6 / seconds:>15.1f} {peak:>9.0f}")
    admin.close()


if __name__ == "__main__":
    main()
