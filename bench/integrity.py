"""廉情分析 at province size: the index for 1,000,000 cadres, and the cockpit's p95 on PostgreSQL.

    .venv/bin/python bench/integrity.py --cadres 1000000 --skip-cockpit          # the index only
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqing_bench_integrity \\
        .venv/bin/python bench/integrity.py --cadres 1000000 --units 10000 --months 24 --runs 30

1. Index: 1,000,000 cadres in units of 100; every cadre has Poisson(1.5) items over the last 36
   months (reports, talks, forms, declarations, findings) and 5% an open 疑点; `compute_index`
   (DuckDB) scores every cadre and unit with the explained deductions. Timed in a fresh process:
   seconds and peak memory. Goal: within the province's 5 minutes and 8 GB.
2. Cockpit: the history tables of a province are loaded (10,000 units scored every month for
   `--months` months, 5% of the cadres with deductions each month, a warning on 2% of the units'
   series each month, the monthly activity), then the leader's cockpit page (/staff/integrity/, the
   real view, template and charts' data) and the 大屏 are requested `--runs` times each through
   Django's test client. Goal: p95 < 300 ms. A database that already holds the requested size
   is reused (pass --reload to load again).

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

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqing.settings")
os.environ.setdefault("LIANQING_MODE", "test")
os.environ.setdefault("LIANQING_HOME", os.path.join(tempfile.gettempdir(), "lianqing-bench-integrity"))

INDICATORS = [
    ("report_received", 0.55), ("report_substantiated", 0.1), ("lead_talk", 0.1), ("form_1", 0.1),
    ("form_2", 0.05), ("declaration_discrepancy", 0.05), ("finding_open", 0.05),
]  # fmt: skip
AS_OF = dt.date(2026, 11, 30)


# ---- 1. the index, in a fresh process ---------------------------------------------------


def step_index(cadres: int) -> dict[str, object]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from lianqing.analytics.trends.index import compute_index

    rng = np.random.default_rng(13)
    started = time.perf_counter()
    per_cadre = rng.poisson(1.5, cadres)
    owner = np.repeat(np.arange(cadres), per_cadre)
    names = [name for name, _ in INDICATORS]
    weights = np.array([w for _, w in INDICATORS])
    indicator = rng.choice(len(names), len(owner), p=weights / weights.sum())
    days = rng.integers(0, 36 * 30, len(owner))
    flagged = rng.choice(cadres, cadres // 20, replace=False)

    def ids(prefix: str, numbers: np.ndarray) -> pa.Array:
        return pc.binary_join_element_wise(prefix, pa.array(numbers).cast(pa.string()), "")

    base = np.datetime64(AS_OF.isoformat())
    items = pa.concat_tables(
        [
            pa.table(
                {
                    "subject_kind": pa.array(["cadre"] * len(owner)),
                    "subject_id": ids("C", owner),
                    "indicator": pa.array(np.array(names)[indicator]),
                    "item_ref": ids("case:", np.arange(len(owner))),
                    "date": pa.array(base - days.astype("timedelta64[D]")).cast(pa.date32()),
                    "weight": pa.nulls(len(owner), pa.float64()),
                }
            ),
            pa.table(
                {
                    "subject_kind": pa.array(["cadre"] * len(flagged)),
                    "subject_id": ids("C", flagged),
                    "indicator": pa.array(["hit_high"] * len(flagged)),
                    "item_ref": ids("hit:", np.arange(len(flagged))),
                    "date": pa.nulls(len(flagged), pa.date32()),
                    "weight": pa.nulls(len(flagged), pa.float64()),
                }
            ),
        ]
    )
    everyone = np.arange(cadres)
    memberships = pa.table({"cadre_id": ids("C", everyone), "unit_id": ids("U", everyone // 100)})
    generated = time.perf_counter() - started
    started = time.perf_counter()
    index = compute_index(items, as_of=AS_OF, memberships=memberships)
    seconds = time.perf_counter() - started
    return {
        "cadres": cadres,
        "items": items.num_rows,
        "generate_seconds": generated,
        "seconds": seconds,
        "scored": index.scores.num_rows,
        "deductions": index.deductions.num_rows,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def index_row(cadres: int) -> None:
    output = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--step-index", str(cadres)], capture_output=True, text=True, check=True
    ).stdout
    row = json.loads(output.strip().splitlines()[-1])
    print("\n| cadres | items | index s | subjects scored | deductions | peak MB (incl. generating) | load |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {row['cadres']:,} | {row['items']:,} | {row['seconds']:.1f} | {row['scored']:,} | "
        f"{row['deductions']:,} | {row['peak_mb']:,.0f} | {os.getloadavg()[0]:.1f} |"
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
    for back in range(months):
        total = AS_OF.year * 12 + AS_OF.month - 1 - back
        month = dt.date(total // 12, total % 12 + 1, 1)
        rows = []
        for u in range(units):
            score = max(0.0, min(100.0, rng.gauss(92, 8)))
            rows.append(IndexScore(subject_kind="unit", subject_id=f"U{u}", subject_name=f"基准单位{u}",
                                   org=bodies[u % len(bodies)], month=month, score=score, colour=colour(score),
                                   version="2026.1", deductions=deduction, computed_at=now))  # fmt: skip
        for c in rng.sample(range(cadres), cadres // 20):
            score = max(0.0, min(100.0, rng.gauss(85, 10)))
            rows.append(IndexScore(subject_kind="cadre", subject_id=f"C{c}", subject_name=f"干部{c}",
                                   unit_code=f"U{c // 100}", org=bodies[(c // 100) % len(bodies)], month=month,
                                   score=score, colour=colour(score), version="2026.1", deductions=deduction,
                                   computed_at=now))  # fmt: skip
        IndexScore.objects.bulk_create(rows, batch_size=5000)
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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def cockpit_rows(units: int, cadres: int, months: int, runs: int, reload: bool) -> None:
    from django.db import connection

    setup()
    vendor = connection.vendor
    load_seconds = None
    if reload or not loaded(units, months):
        load_seconds = load(units, cadres, months)
    client = leader_client()
    print(f"\nDatabase: {vendor}; {units:,} units × {months} months, {cadres // 20:,} cadres scored a month"
          + (f"; loaded in {load_seconds:.0f} s" if load_seconds else "; reused"))  # fmt: skip
    print("\n| page | runs | p50 ms | p95 ms | max ms | bytes | load |")
    print("|---|---|---|---|---|---|---|")
    for label, path in (("cockpit /staff/integrity/", "/staff/integrity/"), ("大屏 /staff/integrity/screen/", "/staff/integrity/screen/"),
                        ("工作台 /staff/", "/staff/")):  # fmt: skip
        client.get(path)  # warm
        times = []
        size = 0
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code  # noqa: S101 - a broken page is no timing
            size = len(response.content)
        print(f"| {label} | {runs} | {percentile(times, 0.5):.0f} | {percentile(times, 0.95):.0f} | "
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
    parser.add_argument("--step-index", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step_index:
        print(json.dumps(step_index(options.step_index)))
        return
    if not options.skip_index:
        index_row(options.cadres)
    if not options.skip_cockpit:
        cockpit_rows(options.units, options.cadres, options.months, options.runs, options.reload)


if __name__ == "__main__":
    main()
