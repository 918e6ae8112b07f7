"""The audit log at province scale: fill PostgreSQL with N chained audit rows, time the verifies
and the audit log screen's queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lq_audit18_bench .venv/bin/python bench/audit.py --rows 10000000
    ... bench/audit.py --rows 100000000 --fill-only      # fill (resumable: appends to what is there)

Rows are generated in Python with the application's own canonical form and hash
(`core.audit_copy.copy_line`, `core.audit.content_hash`: the line is COPY's own text) and loaded with COPY, the secondary indexes
dropped during the load and rebuilt after. Then: a full verify (rows/s), 1,000,000 new rows and
an incremental verify, and p95 of the audit log list pages (first, deep and last page for the
安全审计员, first pages for the 安全保密管理员) as the view runs them. Peak memory and `uptime` printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.timing import load_average, peak_mib, percentile, samples_ms, timed

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqing.settings")
os.environ.setdefault("LIANQING_MODE", "test")
# The instance folder holds the audit key: it must outlive one run, or the rows no longer verify.
# LIANQING_BENCH_DIR: where the instance and the fill's index list are kept between runs.
BENCH_DIR = Path(os.environ.get("LIANQING_BENCH_DIR") or Path(tempfile.gettempdir()) / "lianqing-bench-audit")
os.environ.setdefault("LIANQING_HOME", str(BENCH_DIR / "home"))

INDEX_FILE = BENCH_DIR / "indexes.json"
STAFF = 2000
AUDITORS = 5
OBJECT_TYPES = ["cases.case", "leads.hit", "intake.petition", "core.user", "duties.duty", "core.auditevent"]
DETAILS = [
    {},
    {"step": "totp"},
    {"page": 3},
    {"fields": ["status", "handler"], "from": "accepted", "to": "assigned"},
    {"username": "张三", "reason": "密码错误"},
    {"rows": 120, "file": "2026-11 社保.xlsx"},
]
TIME_SOURCE = "chrony: ntp1.example.gov"
COPY_COLUMNS = (
    "seq, created_at, actor_id, actor_username, action, object_type, object_id, details, ip_address, "
    "time_source, prev_hash, hash, hash_algorithm, id"
)


def setup() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("请设置 DATABASE_URL 指向 PostgreSQL 数据库")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def users() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Staff and auditors (ids, usernames), created once."""
    from django.contrib.auth.models import Group

    from lianqing.core.models import User
    from lianqing.core.roles import Role

    if User.objects.filter(username__startswith="bench-staff-").count() < STAFF:
        User.objects.bulk_create(
            [User(username=f"bench-staff-{n:05d}") for n in range(STAFF)], ignore_conflicts=True
        )
        group, _ = Group.objects.get_or_create(name=str(Role.AUDITOR))
        for n in range(AUDITORS):
            auditor, _ = User.objects.get_or_create(username=f"bench-auditor-{n}", defaults={"password": "!"})
            auditor.groups.add(group)
        admin, _ = User.objects.get_or_create(username="bench-secadmin", defaults={"password": "!"})
        admin.groups.add(Group.objects.get_or_create(name=str(Role.SECURITY_ADMIN))[0])
    staff = list(User.objects.filter(username__startswith="bench-staff-").values_list("id", "username"))
    auditors = list(User.objects.filter(username__startswith="bench-auditor-").values_list("id", "username"))
    return staff, auditors


def append_rows(count: int, *, batch: int = 200_000, rebuild_indexes: bool = True) -> float:
    """Append `count` chained rows after the current head with COPY; returns seconds."""
    from django.db import connection, transaction

    from lianqing.core.audit import row_algorithm
    from lianqing.core.audit_copy import copy_text, jsonb_text, keyed_hasher, pg_timestamptz
    from lianqing.core.audit_key import audit_key_get
    from lianqing.core.models import AuditAction, AuditChainHead

    key = audit_key_get()
    algorithm = row_algorithm()
    keyed = keyed_hasher(algorithm, key.secret)
    # The application's form (core.audit_copy.copy_line), its fixed parts computed once per run;
    # the first row is checked against copy_line and content_hash themselves.
    details_text = [copy_text(jsonb_text(d)) for d in DETAILS]
    staff, auditors = users()
    actions = [str(a) for a in AuditAction]
    started = time.perf_counter()
    head = AuditChainHead.objects.get_or_create(pk=1)[0]
    seq, prev = head.last_seq, head.last_hash
    # Two years of history ending now, in order; the new rows continue after the last one.
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=730) if seq == 0 else None
    if moment is None:
        last = connection.cursor()
        last.execute("SELECT created_at FROM core_auditevent WHERE seq = %s", [seq])
        moment = last.fetchone()[0]
    step = dt.timedelta(microseconds=max(1, int(730 * 86400e6 / max(count, 1))))
    rng = random.Random(seq)
    with connection.cursor() as cursor:
        indexes: list[tuple[str, str]] = []
        if rebuild_indexes and count >= 1_000_000:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'core_auditevent' "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
            )
            indexes = cursor.fetchall()
            INDEX_FILE.write_text(json.dumps(indexes))  # an interrupted fill gets them back next run
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            "ALTER TABLE core_auditevent DISABLE TRIGGER ALL"
        )  # FK checks per row: the users exist
        done = 0
        while done < count:
            size = min(batch, count - done)
            lines = []
            for _n in range(size):
                seq += 1
                moment += step
                actor_id, username = (
                    auditors[rng.randrange(AUDITORS)] if rng.random() < 0.005 else staff[rng.randrange(STAFF)]
                )
                action = actions[rng.randrange(len(actions))]
                object_type = OBJECT_TYPES[rng.randrange(len(OBJECT_TYPES))]
                object_id = str(rng.randrange(1, 10_000_000))
                details = details_text[rng.randrange(len(DETAILS))]
                ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
                canonical = "\t".join(
                    (str(seq), pg_timestamptz(moment), str(actor_id), username, action, object_type, object_id,
                     details, ip, TIME_SOURCE, prev)
                ).encode()  # fmt: skip
                hasher = keyed.copy()
                hasher.update(canonical)
                row_hash = hasher.digest().hex()
                # The canonical line is COPY's own text for these columns: it loads as it is.
                if not lines and not done:
                    _same_as_the_application(canonical, row_hash, seq, moment, actor_id, username, action,
                                             object_type, object_id, details_text.index(details), ip, prev)  # fmt: skip
                lines.append(f"{canonical.decode()}\t{row_hash}\t{algorithm}\t{seq}\n")
                prev = row_hash
            with transaction.atomic():
                with cursor.copy(f"COPY core_auditevent ({COPY_COLUMNS}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    copy.write("".join(lines))
                AuditChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=prev)
            done += size
            rate = done / (time.perf_counter() - started)
            print(f"  {done:,}/{count:,} 条，{rate:,.0f} 条/秒", file=sys.stderr, flush=True)
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER ALL")
    restore_indexes()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('core_auditevent', 'id'), %s)", [seq])
        cursor.execute("ANALYZE core_auditevent")
    return time.perf_counter() - started


def _same_as_the_application(canonical: bytes, row_hash: str, seq: int, *fields: Any) -> None:
    from lianqing.core.audit import content_hash, row_algorithm
    from lianqing.core.audit_copy import copy_line
    from lianqing.core.audit_key import audit_key_get

    moment, actor_id, username, action, object_type, object_id, details_index, ip, prev = fields
    expected = copy_line(
        seq=seq, created_at=moment, actor_id=actor_id, actor_username=username, action=action,
        object_type=object_type, object_id=object_id, details=DETAILS[details_index], ip_address=ip,
        time_source=TIME_SOURCE, prev_hash=prev,
    )  # fmt: skip
    if (
        expected != canonical
        or content_hash(expected, seq=seq, algorithm=row_algorithm(), key=audit_key_get()) != row_hash
    ):
        raise SystemExit("bench 的行与应用的规范形式不一致")


def restore_indexes() -> None:
    """Create the secondary indexes a fill dropped (also after a fill that was interrupted)."""
    from django.db import connection

    if not INDEX_FILE.exists():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'core_auditevent'")
        present = {name for (name,) in cursor.fetchall()}
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER ALL")
        for name, definition in json.loads(INDEX_FILE.read_text()):
            if name not in present:
                started = time.perf_counter()
                cursor.execute(definition)
                print(f"  索引 {name}：{time.perf_counter() - started:.0f} 秒", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument(
        "--new", type=int, default=1_000_000, help="rows appended before the incremental verify"
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--fill-only", action="store_true")
    args = parser.parse_args()
    setup()
    from lianqing.core.models import AuditChainHead

    have = AuditChainHead.objects.get_or_create(pk=1)[0].last_seq
    if have < args.rows:
        seconds = append_rows(args.rows - have)
        print(f"fill: {args.rows - have:,} rows in {seconds:.1f} s, load {load_average()}")
    if args.fill_only:
        return
    report(args)


def backend_cpu() -> float:
    """CPU seconds the connection's PostgreSQL backend has used (same machine: /proc)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(args: Any) -> None:
    from django.db import connection

    from lianqing.core.audit import audit_verify
    from lianqing.core.models import AuditChainHead, User
    from lianqing.core.selectors import audit_event_page

    restore_indexes()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('core_auditevent')")
        table_gb = cursor.fetchone()[0] / 1e9
    rows = AuditChainHead.objects.get(pk=1).last_seq
    print("| rows | table+indexes GB | step | seconds | rows/s | peak MiB | load (1, 5, 15 min) |")
    print("|---|---|---|---|---|---|---|")

    def line(step: str, seconds: float, checked: int) -> None:
        rate = f"{checked / seconds:,.0f}" if checked else ""
        print(
            f"| {rows:,} | {table_gb:.1f} | {step} | {seconds:.1f} | {rate} | {peak_mib():,.0f} | {load_average()} |",
            flush=True,
        )

    from django.conf import settings

    # The default: rows streamed with COPY, each line hashed here (the key never leaves).
    settings.AUDIT_VERIFY_IN_DATABASE = False
    backend_before, python_before = backend_cpu(), time.process_time()
    seconds, result = timed(lambda: audit_verify(full=True))
    if not result.ok:
        raise SystemExit(f"校验失败：{result}")
    backend, python = backend_cpu() - backend_before, time.process_time() - python_before
    line(f"full verify, COPY stream ({result.rows_checked:,} rows)", seconds, result.rows_checked)
    full_rate = result.rows_checked / seconds
    # The machine is shared: CPU seconds tell what each side costs whatever else runs. The two
    # sides overlap (the backend prints while this process hashes), so with both cores free the
    # slower side sets the pace.
    checked = result.rows_checked
    print(
        f"\nCPU seconds: this process {python:.1f} ({checked / python:,.0f} rows per CPU-second), "
        f"PostgreSQL backend {backend:.1f} ({checked / backend:,.0f} rows per CPU-second); "
        f"with two free cores about {checked / max(python, backend):,.0f} rows/s\n"
    )
    seconds = append_rows(args.new, rebuild_indexes=False)
    rows = AuditChainHead.objects.get(pk=1).last_seq
    line(f"append {args.new:,} rows (COPY)", seconds, args.new)
    settings.AUDIT_VERIFY_IN_DATABASE = False
    seconds, result = timed(lambda: audit_verify())
    if not result.ok:
        raise SystemExit(f"校验失败：{result}")
    line(f"incremental verify ({result.rows_checked:,} new rows)", seconds, result.rows_checked)
    print(f"\nfull verify of 100,000,000 rows at this rate: about {1e8 / full_rate / 60:.0f} min")

    auditor = User.objects.get(username="bench-auditor-0")
    security = User.objects.get(username="bench-secadmin")

    def listing(user: User, number: int | str) -> Any:
        def run() -> None:
            page = audit_event_page(user=user, number=number)
            list(page)
            page.paginator.num_pages  # noqa: B018 -- the pager's count, as the template shows it

        return run

    print()
    print("| list (as the view runs it) | rows | p95 ms | runs | load |")
    print("|---|---|---|---|---|")
    last = audit_event_page(user=auditor, number=1).paginator.num_pages
    cases = [
        ("安全审计员 page 1", auditor, 1),
        (f"安全审计员 page {last // 2:,}", auditor, last // 2),
        (f"安全审计员 last page {last:,}", auditor, last),
        ("安全保密管理员 page 1", security, 1),
        ("安全保密管理员 page 2", security, 2),
        ("安全保密管理员 last page (cap)", security, "last"),
    ]
    for name, user, number in cases:
        print(
            f"| {name} | {rows:,} | {percentile(samples_ms(listing(user, number), args.runs), 0.95):.1f} | {args.runs} | {load_average()} |"
        )


if __name__ == "__main__":
    main()
