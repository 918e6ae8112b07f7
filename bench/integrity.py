"""廉情分析 at province size: warnings on 10,000,000 events, the index of 1,000,000 cadres, and the
cockpit's p95 on PostgreSQL with a province's history tables.

    .venv/bin/python bench/integrity.py --skip-cockpit          # warnings and the index only
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqing_bench_integrity \\
        .venv/bin/python bench/integrity.py --cadres 1000000 --units 10000 --events 10000000 --months 24 --runs 30

1. Province run, in a fresh process (the daily run's library work): `--events` events of `--units`
   units × 6 categories × 36 months (lianqing.analytics.trends.synthetic, as bench/trends.py) go
   through `lianqing trends` (CSV read, checks, series, the month-by-month model); then the index
   of `--cadres` cadres (each event a report naming a cadre of its unit, open 疑点 on 5%) and their
   units. Seconds of each, and the peak memory of the whole process (generating included).
   Goal: < 5 minutes and < 8 GB together.
2. Cockpit: the history tables of a province are loaded (on PostgreSQL by COPY: 10,000 units scored
   every month for `--months` months, 5% of the cadres with deductions each month, a warning on 2%
   of the units' series each month, the monthly activity), then the leader's cockpit page
   (/staff/integrity/, the real view, template and charts' data) and the 大屏 are requested `--runs`
   times each through Django's test client. Goal: p95 < 300 ms. A database that already holds the
   requested size is reused (pass --reload to load again).

It prints tables and asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.timing import percentile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqing.settings")
os.environ.setdefault("LIANQING_MODE", "test")
os.environ.setdefault("LIANQING_HOME", os.path.join(tempfile.gettempdir(), "lianqing-bench-integrity"))

AS_OF = dt.date(2026, 11, 30)
AS_OF_TRENDS = dt.date(2025, 12, 31)  # the synthetic history's last day (36 months from 2023-01)


# ---- 1. warnings and the index of a province, in a fresh process ------------------------


def step_province(units: int, cadres: int, events: int, workdir: str) -> dict[str, object]:
    """`lianqing trends` on `events` events of `units` units (CSV path, as in use), then the index
    of `cadres` cadres from those events (each a report naming a cadre) and open 疑点 on 5%."""
    import pyarrow.csv as pacsv

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from trends import _province_items  # bench/trends.py: the same items as its province row

    from lianqing.analytics.trends import trends
    from lianqing.analytics.trends.index import compute_index
    from lianqing.analytics.trends.synthetic import generate_history

    started = time.perf_counter()
    # 6 categories × 36 months per unit; a median of 3.29 makes ≈ 1,000 events a unit (measured).
    history = generate_history(units=units, seed=7, median_mean=3.29 * events / (units * 1000),
                               plant_per_size=20)  # fmt: skip
    events_csv = os.path.join(workdir, "events.csv")
    pacsv.write_csv(history.events, events_csv)
    items, memberships = _province_items(history, cadres_per_unit=max(1, cadres // units))
    generated = time.perf_counter() - started
    del history
    started = time.perf_counter()
    result = trends(Path(events_csv), as_of=AS_OF_TRENDS, out=Path(workdir) / "out")
    warn_seconds = time.perf_counter() - started
    started = time.perf_counter()
    index = compute_index(items, as_of=AS_OF_TRENDS, memberships=memberships)
    index_seconds = time.perf_counter() - started
    return {
        "units": units,
        "events": result.events_used + len(result.rejects),
        "warnings": len(result.warnings),
        "warn_seconds": warn_seconds,
        "cadres": memberships.num_rows,
        "items": items.num_rows,
        "index_seconds": index_seconds,
        "scored": index.scores.num_rows,
        "generate_seconds": generated,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def province_row(units: int, cadres: int, events: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-integrity-") as workdir:
        output = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--step-province", str(units), str(cadres), str(events), workdir],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    row = json.loads(output.strip().splitlines()[-1])
    total = row["warn_seconds"] + row["index_seconds"]
    print("\n| units | events | warnings s | warnings | cadres | index items | index s | subjects scored "
          "| total s | peak MB (incl. generating) | load |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {row['units']:,} | {row['events']:,} | {row['warn_seconds']:.1f} | {row['warnings']:,} | "
        f"{row['cadres']:,} | {row['items']:,} | {row['index_seconds']:.1f} | {row['scored']:,} | "
        f"{total:.1f} | {row['peak_mb']:,.0f} | {os.getloadavg()[0]:.1f} |"
    )


# ---- 2. the cockpit on PostgreSQL -----------------------------------------------------------


def setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(units: int, cadres: int, months: int) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    from lianqing.core.models import Org, OrgKind
    from lianqing.core.services import org_upsert
    from lianqing.integrity.models import ActivityMonth, IndexScore, Warning

    started = time.perf_counter()
    rng = random.Random(13)
    commission = org_upsert(
        org_code="BENCH", name="省纪委监委（基准）", kind=OrgKind.COMMISSION, region_code="370000"
    )
    bodies = [
        org_upsert(org_code=f"BENCH-{n:03d}", name=f"第{n}市县纪委", kind=OrgKind.COMMISSION, parent=commission,
                   region_code=f"37{n:04d}")
        for n in range(100)
    ]  # fmt: skip
    with transaction.atomic():
        Warning.objects.all().delete()
        IndexScore.objects.all().delete()
        ActivityMonth.objects.all().delete()
    now = timezone.now()
    colours = [(90, "绿"), (75, "黄"), (60, "橙"), (0, "红")]

    def colour(score: float) -> str:
        return next(c for low, c in colours if score >= low)

    deduction = [
        {"indicator": "report_received", "name": "信访举报反映", "points": 3.0, "items": ["case:1", "case:2"]}
    ]
    copy = connection.vendor == "postgresql"
    for back in range(months):
        total = AS_OF.year * 12 + AS_OF.month - 1 - back
        month = dt.date(total // 12, total % 12 + 1, 1)
        rows = []
        for u in range(units):
            score = max(0.0, min(100.0, rng.gauss(92, 8)))
            rows.append(
                ("unit", f"U{u}", f"基准单位{u}", "", bodies[u % len(bodies)].pk, month, score, colour(score))
            )
        for c in rng.sample(range(cadres), cadres // 20):
            score = max(0.0, min(100.0, rng.gauss(85, 10)))
            rows.append(("cadre", f"C{c}", f"干部{c}", f"U{c // 100}", bodies[(c // 100) % len(bodies)].pk, month,
                         score, colour(score)))  # fmt: skip
        if copy:
            text = json.dumps(deduction, ensure_ascii=False)
            with connection.cursor() as cursor, cursor.connection.cursor() as raw, raw.copy(
                "COPY integrity_indexscore (subject_kind, subject_id, subject_name, unit_code, org_id, month, "
                "score, colour, version, deductions, computed_at) FROM STDIN"
            ) as stream:  # fmt: skip
                for row in rows:
                    stream.write_row((*row, "2026.1", text, now))
        else:
            IndexScore.objects.bulk_create(
                [IndexScore(subject_kind=k, subject_id=i, subject_name=n, unit_code=uc, org_id=o, month=m,
                            score=sc, colour=co, version="2026.1", deductions=deduction, computed_at=now)
                 for k, i, n, uc, o, m, sc, co in rows],
                batch_size=5000,
            )  # fmt: skip
        warnings = [
            Warning(kind=rng.choice(["苗头性", "倾向性", "集中"]), unit_code=f"U{u}", unit_name=f"基准单位{u}",
                    category=rng.choice(["sifeng_dining", "bribery", "public_interest"]), region_code="370000",
                    month=month, observed=rng.randint(3, 12), expected=1.2, band_low=0, band_high=4, score=3.2,
                    explanation="基准", items=[f"case:{u}"], history=[], org=bodies[u % len(bodies)],
                    status="closed" if back > 2 else "warned")
            for u in rng.sample(range(units), units // 50)
        ]  # fmt: skip
        Warning.objects.bulk_create(warnings, batch_size=5000, ignore_conflicts=True)
        ActivityMonth.objects.bulk_create(
            [ActivityMonth(org=body, month=month, source=source, count=rng.randint(0, 40))
             for body in bodies for source in ("report", "lead", "hit")],
        )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    Org.objects.filter(pk=commission.pk)  # the tree is in place
    return time.perf_counter() - started


def loaded(units: int, months: int) -> bool:
    from lianqing.integrity.models import IndexScore

    return IndexScore.objects.filter(subject_kind="unit").count() == units * months


def leader_client():  # type: ignore[no-untyped-def]
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lianqing.core.models import Clearance, Org
    from lianqing.core.roles import Role
    from lianqing.core.services import user_upsert

    leader = user_upsert(
        username="bench-leader",
        password="Bench-leader-2026",  # noqa: S106 - a throwaway bench account
        org=Org.objects.get(org_code="BENCH"),
        roles=(Role.LEADER,),
        full_name="基准领导",
        clearance=Clearance.CONFIDENTIAL,
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(leader)
    device, _ = TOTPDevice.objects.get_or_create(user=leader, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def cockpit_rows(units: int, cadres: int, months: int, runs: int, reload: bool) -> None:
    from django.db import connection

    setup()
    from django.core.cache import cache

    vendor = connection.vendor
    load_seconds = None
    if reload or not loaded(units, months):
        load_seconds = load(units, cadres, months)
    client = leader_client()
    client.get(
        "/staff/integrity/warnings/"
    )  # the process's first request (templates, catalogues) is no page's
    print(f"\nDatabase: {vendor}; {units:,} units × {months} months, {cadres // 20:,} cadres scored a month"
          + (f"; loaded in {load_seconds:.0f} s" if load_seconds else "; reused"))  # fmt: skip
    print("\n| page | first ms (cold cache) | runs | p50 ms | p95 ms | max ms | bytes | load |")
    print("|---|---|---|---|---|---|---|---|")
    for label, path in (("cockpit /staff/integrity/", "/staff/integrity/"), ("大屏 /staff/integrity/screen/", "/staff/integrity/screen/"),
                        ("工作台 /staff/", "/staff/")):  # fmt: skip
        cache.clear()  # the first request reads every unit's score; the rest find the cockpit's figures cached
        started = time.perf_counter()
        client.get(path)
        cold = (time.perf_counter() - started) * 1000
        times = []
        size = 0
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code  # noqa: S101 - a broken page is no timing
            size = len(response.content)
        print(f"| {label} | {cold:.0f} | {runs} | {percentile(times, 0.5):.0f} | {percentile(times, 0.95):.0f} | "
              f"{max(times):.0f} | {size:,} | {os.getloadavg()[0]:.1f} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cadres", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--skip-index", action="store_true")
    parser.add_argument("--skip-cockpit", action="store_true")
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--step-province", nargs=4, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step_province:
        units, cadres, events, workdir = options.step_province
        print(json.dumps(step_province(int(units), int(cadres), int(events), workdir)))
        return
    if not options.skip_index:
        province_row(options.units, options.cadres, options.events)
    if not options.skip_cockpit:
        cockpit_rows(options.units, options.cadres, options.months, options.runs, options.reload)


if __name__ == "__main__":
    main()
