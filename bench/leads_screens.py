"""Leads screens at a province's volume: 10 million stored hits in PostgreSQL, timed through the views.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqing_bench_leads .venv/bin/python bench/leads_screens.py
    ... bench/leads_screens.py --hits 1000000 --per-run 200000 --runs 10 --reload

The hits are spread over monthly scans of one province-wide package (`--per-run` hits each, the
newest screens are the ones timed); each month finds most of the previous month's 疑点 again, as
real scans do. Rows are drawn with numpy in chunks and loaded with COPY; the secondary indexes
are built afterwards. Every hit's evidence points at records of a small real package (generated
and scanned once), so the evidence page reads real Parquet. A database that already holds the
requested hits is reused.

Timed, as a 数据分析 user signed in with a second factor sees them (Django test client, the whole
view and template): the scan's hit list with its common filters, one evidence page, and the
.xlsx export of a whole scan, which a child process streams to disk while its peak memory is
measured. Goal: p95 < 300 ms per screen; the export streams with < 500 MB peak.
bench/leads_evidence.py measures the library-side reads (scan, locate, evidence records).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.timing import load_average, peak_mib, percentile, samples_ms

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqing.settings")
os.environ.setdefault("LIANQING_MODE", "test")
os.environ.setdefault("LIANQING_HOME", os.path.join(tempfile.gettempdir(), "lianqing-bench-leads"))

import django
import numpy as np

COLUMNS = [
    "id", "run_id", "org_id", "region_code", "subject_org_code", "subject_org_name", "rule_id", "rule_name",
    "severity", "subject_id", "subject_name", "amount", "record_ids", "explanation", "fingerprint", "change",
    "status", "decision_reason", "decided_by_id", "decided_at", "case_id",
]  # fmt: skip
CHUNK = 200_000
CITIES, COUNTIES_PER_CITY, ORGS_PER_COUNTY = 16, 9, 20  # about Shandong: 16 cities, 136 counties
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
PACKAGE_PERSONS = 3000
RECURRING_SHIFT = 0.05  # each month: 5 % of last month's 疑点 are gone, as many are new


def setup() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("请设置 DATABASE_URL 指向 PostgreSQL 数据库")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def region_codes() -> list[str]:
    return [
        f"37{city:02d}{county:02d}"
        for city in range(1, CITIES + 1)
        for county in range(1, COUNTIES_PER_CITY + 1)
    ]


def org_tree() -> tuple[Any, Any]:
    from lianqing.core.models import Clearance, OrgKind
    from lianqing.core.roles import Role
    from lianqing.core.services import org_upsert, user_upsert

    commission = org_upsert(
        org_code="BENCHL", name="基准省纪委监委", kind=OrgKind.COMMISSION, region_code="370000"
    )
    analyst = user_upsert(
        username="bench-shuju", password=None, org=commission, roles=[Role.DATA_ANALYSIS],
        clearance=Clearance.CONFIDENTIAL,
    )  # fmt: skip
    return commission, analyst


def evidence_templates(folder: Path) -> list[tuple[str, str, str, str, str]]:
    """(rule, name, severity, record_ids, explanation) of real hits of a small generated package."""
    from lianqing.analytics.engine import scan
    from lianqing.analytics.generate import generate

    summary = generate(folder, persons=PACKAGE_PERSONS, seed=1)
    result = scan(package=folder, as_of=summary.as_of)
    return [(h.rule_id, h.rule_name, h.severity, h.record_ids, h.explanation) for h in result.hits]


def hit_chunk(
    rng: np.random.Generator,
    *,
    first_id: int,
    run_id: int,
    start: int,
    size: int,
    recurring_below: int,
    org_id: int,
    templates: list[tuple[str, str, str, str, str]],
) -> str:
    """Hits about persons `start`..`start + size` of one month's scan as COPY text; the persons
    below `recurring_below` were found last month too."""
    from lianqing.leads.fingerprints import hit_fingerprint

    regions = region_codes()
    persons = np.arange(start, start + size)
    template_pick = rng.integers(0, len(templates), size)
    org_pick = rng.integers(0, len(regions) * ORGS_PER_COUNTY, size)
    amount = np.round(rng.lognormal(8, 1.2, size), 2)
    no_amount = rng.random(size) < 0.1
    status_draw = rng.random(size)
    surname = rng.integers(0, len(SURNAMES), size)
    given = rng.integers(0, len(GIVEN), (size, 2))
    two_given = rng.random(size) < 0.7
    lines = []
    for i in range(size):
        person = int(persons[i])
        rule_id, rule_name, severity, record_ids, explanation = templates[template_pick[i]]
        org = int(org_pick[i])
        subject_id = f"370{person:015d}"
        name = SURNAMES[surname[i]] + GIVEN[given[i, 0]] + (GIVEN[given[i, 1]] if two_given[i] else "")
        draw = status_draw[i]
        status = "pending" if draw < 0.9 else ("excluded" if draw < 0.97 else "converted")
        decided = status != "pending"
        row = (
            first_id + i, run_id, org_id, regions[org // ORGS_PER_COUNTY], f"U{org:05d}", f"第{org}号单位",
            rule_id, rule_name, severity, subject_id, name, None if no_amount[i] else f"{amount[i]:.2f}",
            record_ids, explanation, hit_fingerprint(rule_id, subject_id),
            "recurring" if person < recurring_below else "new", status,
            "经核查属实情况正常" if status == "excluded" else "", None,
            "2026-01-05 10:00:00+00" if decided else None, None,
        )  # fmt: skip
        lines.append("\t".join("\\N" if value is None else str(value) for value in row))
    return "\n".join(lines) + "\n"


def load(args: argparse.Namespace, commission: Any, analyst: Any) -> float:
    from django.db import connection
    from django.utils import timezone

    from lianqing.leads.models import DataPackage, Hit, PackageSource, ScanRun, ScanStatus
    from lianqing.leads.tally import tally_rebuild

    started = time.perf_counter()
    folder = args.data / "package"
    templates = evidence_templates(folder)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE leads_hit, leads_scanrun, leads_datapackage CASCADE")
    package = DataPackage.objects.create(
        name="基准省级数据包", org=commission, source=PackageSource.FOLDER, path=str(folder),
        as_of=dt.date(2026, 1, 31), created_by=analyst,
    )  # fmt: skip
    months = -(-args.hits // args.per_run)
    rng = np.random.default_rng(11)
    next_id = 1
    runs = []
    for month in range(months):
        size = min(args.per_run, args.hits - month * args.per_run)
        run = ScanRun.objects.create(
            package=package, org=commission, status=ScanStatus.SUCCEEDED, created_by=analyst,
            finished_at=timezone.now(), hits_count=size, previous_run=runs[-1] if runs else None,
        )  # fmt: skip
        runs.append(run)
    Hit.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'leads_hit' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = 'leads_hit'::regclass)"
        )
        secondary = cursor.fetchall()
        for name, _definition in secondary:
            cursor.execute(f'DROP INDEX "{name}"')
        with cursor.cursor.copy(f"COPY leads_hit ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            recurring_below = 0
            for month, run in enumerate(runs):
                drift = int(args.per_run * RECURRING_SHIFT) * month
                for start in range(0, run.hits_count, CHUNK):
                    size = min(CHUNK, run.hits_count - start)
                    copy.write(
                        hit_chunk(
                            rng, first_id=next_id, run_id=run.pk, start=start + drift, size=size,
                            recurring_below=recurring_below, org_id=commission.pk, templates=templates,
                        )
                    )  # fmt: skip
                    next_id += size
                recurring_below = drift + run.hits_count
                print(f"  scan {month + 1}/{len(runs)}: {next_id - 1:,} hits copied "
                      f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)  # fmt: skip
        print(f"  building {len(secondary)} indexes and the constraints' …", file=sys.stderr)
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _name, definition in secondary:
            cursor.execute(definition)
        cursor.execute("SELECT setval(pg_get_serial_sequence('leads_hit', 'id'), %s)", [next_id])
    tally_started = time.perf_counter()
    for run in runs:
        tally_rebuild(run)  # COPY bypasses the scan's storing, which counts the tallies
    print(f"  tallies counted in {time.perf_counter() - tally_started:.0f} s", file=sys.stderr)
    return time.perf_counter() - started


def bench_count() -> int:
    from lianqing.leads.models import Hit

    return Hit.objects.filter(run__package__name="基准省级数据包").count()


def signed_in(user: Any) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="localhost")  # a host the settings allow
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def export_child(run_id: int, out: Path, query: str) -> None:
    """In a child process (its peak memory is the export's): stream one scan's export to a file."""
    from django.urls import resolve, reverse

    from lianqing.core.models import User
    from lianqing.leads.models import ScanRun
    from lianqing.leads.selectors import HitFilters, hit_list

    client = signed_in(User.objects.get(username="bench-shuju"))
    url = f"{reverse('leads:run_export', args=[run_id])}?{query}"
    resolve(url.split("?")[0])  # the URLconf imports every app's views (pyarrow, duckdb …): not the export's
    baseline = peak_mib()
    started = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"导出返回 {response.status_code}")
    first_byte = None
    size = 0
    with out.open("wb") as file:
        chunks = response.streaming_content if response.streaming else [response.content]
        for chunk in chunks:
            if first_byte is None and chunk:  # when the first bytes reach the client, not the headers
                first_byte = time.perf_counter() - started
            file.write(chunk)
            size += len(chunk)
    seconds = time.perf_counter() - started
    user = User.objects.get(username="bench-shuju")
    filters = HitFilters.from_query(dict(parse_qsl(query)))
    rows = hit_list(user=user, run=ScanRun.objects.get(pk=run_id), filters=filters).count() if query else -1
    print(
        f"{seconds:.1f}\t{first_byte or 0:.3f}\t{size}\t{peak_mib():.0f}\t{int(response.streaming)}\t{rows}\t{baseline:.0f}"
    )


def export_rows(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    return sum(1 for _ in workbook.active.iter_rows(values_only=True)) - 1


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hits", type=int, default=10_000_000)
    parser.add_argument("--per-run", type=int, default=1_000_000, help="hits per monthly scan")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per screen")
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "lianqing-bench-leads-data"
    )
    parser.add_argument("--reload", action="store_true", help="reload even if the hits are there")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--count-export-rows", action="store_true", help="read the workbook back (slow)")
    parser.add_argument(
        "--export-query", default="", help="export filters, e.g. rule=B02 (default: the whole scan)"
    )
    parser.add_argument("--export-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup()
    if args.export_child:
        export_child(args.export_child, args.data / "export.xlsx", args.export_query)
        return

    from django.db import connection
    from django.urls import reverse

    from lianqing.leads.models import Hit, ScanRun

    commission, analyst = org_tree()
    args.data.mkdir(parents=True, exist_ok=True)
    load_seconds = None
    if args.reload or bench_count() != args.hits:
        print(f"loading {args.hits:,} hits …", file=sys.stderr)
        load_seconds = load(args, commission, analyst)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE leads_hit")
        for table in ("leads_hittally", "leads_ruletally", "leads_orgtally"):
            cursor.execute(f"ANALYZE {table}")

    run = ScanRun.objects.filter(package__name="基准省级数据包").order_by("-pk").first()
    if run is None:
        raise SystemExit("没有基准扫描")
    if "facets" not in run.summary:  # tallies counted before the filter choices were stored
        from lianqing.leads.tally import facets_store

        facets_store(run)
    client = signed_in(analyst)
    rng = np.random.default_rng(3)
    rules = sorted(set(Hit.objects.filter(run=run).values_list("rule_id", flat=True)[:200_000]))
    regions = region_codes()
    some_hits = list(Hit.objects.filter(run=run).values_list("pk", "subject_name", "subject_id")[:5000])
    two_character_names = [name for _, name, _ in some_hits if len(name) == 2]  # 王伟: no trigram in it

    def screen(url: str, query: Callable[[], dict[str, str]]) -> Callable[[], object]:
        def get() -> object:
            response = client.get(url, query())
            if response.status_code != 200:
                raise SystemExit(f"{url} 返回 {response.status_code}")
            return response

        return get

    run_url = reverse("leads:run_detail", args=[run.pk])

    def pick(values: list[Any]) -> Any:
        return values[int(rng.integers(0, len(values)))]

    scenarios: list[tuple[str, Callable[[], object]]] = [
        ("hit list: no filter (first page)", screen(run_url, dict)),
        ("hit list: no filter, page 150 (shows 20, the last)", screen(run_url, lambda: {"page": "150"})),
        ("hit list: rule", screen(run_url, lambda: {"rule": pick(rules)})),
        ("hit list: severity + status", screen(run_url, lambda: {"severity": pick(["高", "中", "低"]), "status": "pending"})),
        ("hit list: status excluded", screen(run_url, lambda: {"status": "excluded"})),
        ("hit list: region (county) + change", screen(run_url, lambda: {"region": pick(regions), "change": "new"})),
        ("hit list: region (city) + rule", screen(run_url, lambda: {"region": pick(regions)[:4], "rule": pick(rules)})),
        ("hit list: unit", screen(run_url, lambda: {"org": f"U{int(rng.integers(0, len(regions) * ORGS_PER_COUNTY)):05d}"})),
        ("hit list: search a full name", screen(run_url, lambda: {"q": pick(some_hits)[1]})),
        ("hit list: search a two-character name", screen(run_url, lambda: {"q": pick(two_character_names)})),
        ("hit list: search an id number", screen(run_url, lambda: {"q": pick(some_hits)[2]})),
        ("hit list: search no match", screen(run_url, lambda: {"q": "无此人"})),
        ("evidence page", lambda: screen(reverse("leads:hit_detail", args=[pick(some_hits)[0]]), dict)()),
        ("evidence chart data", lambda: screen(reverse("leads:hit_chart", args=[pick(some_hits)[0]]), dict)()),
    ]  # fmt: skip

    print(f"load average {load_average()} (at the start)", file=sys.stderr)
    rows = []
    for name, function in scenarios:  # each as it is measured: a loaded machine takes a while
        rows.append((name, samples_ms(function, args.runs)))
        print(
            f"  {name}: p95 {percentile(rows[-1][1], 0.95):.0f} ms (load {os.getloadavg()[0]:.1f})",
            file=sys.stderr,
        )

    export_line = None
    if not args.no_export:
        child = subprocess.run(  # noqa: S603  (this script itself, with our arguments)
            [sys.executable, __file__, "--export-child", str(run.pk), "--data", str(args.data), "--export-query", args.export_query],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if child.returncode != 0:
            print(child.stderr, file=sys.stderr)
            raise SystemExit("导出失败")
        seconds, first_byte, size, peak, streaming, exported, baseline = (
            child.stdout.strip().splitlines()[-1].split("\t")
        )
        counted = export_rows(args.data / "export.xlsx") if args.count_export_rows else None
        export_line = (
            run.hits_count if exported == "-1" else int(exported),
            float(seconds),
            float(first_byte),
            int(size),
            float(peak),
            float(baseline),
            streaming == "1",
            counted,
        )

    print()
    print(f"hits in PostgreSQL: {bench_count():,} in {ScanRun.objects.filter(package=run.package).count()} scans, "
          f"the timed scan #{run.pk} holds {run.hits_count:,}", end="")  # fmt: skip
    if load_seconds:
        print(f"; loaded in {load_seconds:.1f} s ({args.hits / load_seconds:,.0f} rows/s)", end="")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('leads_hit')")
        table_bytes = cursor.fetchone()[0]
    peak = peak_mib()
    print(f"; table with indexes {table_bytes / 2**30:.1f} GiB; peak RSS {peak:.0f} MiB; "
          f"load average {load_average()} (at the end)")  # fmt: skip
    print(f"{'screen (whole view, 数据分析 signed in)':<48} {'runs':>5} {'p50 ms':>9} {'p95 ms':>9}")
    for name, samples in rows:
        print(
            f"{name:<48} {len(samples):>5} {percentile(samples, 0.5):>9.1f} {percentile(samples, 0.95):>9.1f}"
        )
    if export_line:
        hits, seconds, first_byte, size, peak, baseline, streaming, counted = export_line
        print()
        print(
            "export rows | seconds | first byte s | rows/s | xlsx MiB | peak RSS MiB (export process) | of it before the export | streamed | rows read back"
        )
        print(f"{hits:,} | {seconds:.1f} | {first_byte:.3f} | {hits / seconds:,.0f} | {size / 2**20:.0f} | {peak:.0f} | {baseline:.0f} | "
              f"{'yes' if streaming else 'no'} | {counted if counted is not None else '—'}")  # fmt: skip


if __name__ == "__main__":
    main()
