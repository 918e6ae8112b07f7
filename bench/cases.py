"""Case handling at scale: load cases into PostgreSQL (1,000,000 by default), time the inbox and the statistics.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqing_bench_cases .venv/bin/python bench/cases.py
    ... bench/cases.py --cases 10000000          # a province: about 13 GB of disk with the indexes
    ... bench/cases.py --cases 200000 --runs 20 --reload

The database is migrated and loaded with COPY (rows are drawn with numpy in chunks, ids are explicit),
then the statistics' tallies (monthly, daily, stock) are recounted (COPY bypasses the services that keep them);
a database that already holds the requested number of bench cases is reused. Timings are of the
real selectors the views call: the inbox page (capped count + 50 rows) with three common filter
sets, as the petition office sees it, and every query of the statistics page, as a leader sees it.
Goal: p95 < 300 ms at 10 million cases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.timing import load_average, peak_mib, percentile, samples_ms

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqing.settings")
# A throwaway instance folder and secret: this is a benchmark, not an installation.
os.environ.setdefault("LIANQING_MODE", "test")
os.environ.setdefault("LIANQING_HOME", os.path.join(tempfile.gettempdir(), "lianqing-bench-cases"))

import django
import numpy as np

COLUMNS = [
    "id", "number", "kind", "source", "category", "summary", "details", "region_code", "home_org_id", "org_id",
    "handler_id", "status", "confidentiality", "higher_level", "is_reporter_named", "received_at", "accepted_at",
    "assigned_at", "concluded_at", "deadline", "deadline_label", "handling_due", "extension_count", "assign_route",
    "assign_mode", "external_org_name", "disposal", "outcome", "form_level", "result", "reporter_reply", "version",
    "created_at", "updated_at",
]  # fmt: skip

STATUS_WEIGHTS = {
    "fed_back": 50, "concluded": 12, "handling": 10, "assigned": 5, "accepted": 5, "pending": 6,
    "rejected": 6, "merged": 3, "sent_up": 1, "shelved": 2,
}  # fmt: skip
# Cases older than half a year are almost all finished; a few stay stuck (what supervisors chase).
OLD_CASE_DAYS = 180
OLD_STATUS_WEIGHTS = {
    "fed_back": 80,
    "rejected": 10,
    "merged": 5,
    "sent_up": 2,
    "handling": 2,
    "concluded": 1,
}
SUMMARY_WORDS = [
    "工作日饮酒",
    "收受红包",
    "公车私用",
    "违规发放补贴",
    "大操大办",
    "套取惠民资金",
    "优亲厚友",
    "吃拿卡要",
]


def setup() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("请设置 DATABASE_URL 指向 PostgreSQL (set DATABASE_URL to a PostgreSQL database)")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def org_tree() -> tuple[Any, list[Any], list[Any], dict[str, Any]]:
    from lianqing.core.models import Clearance, OrgKind
    from lianqing.core.roles import Role
    from lianqing.core.services import org_upsert, user_upsert

    commission = org_upsert(
        org_code="BENCH", name="基准县纪委监委", kind=OrgKind.COMMISSION, region_code="370124"
    )
    departments = [
        org_upsert(org_code=f"BENCH-{code}", name=name, kind=OrgKind.DEPARTMENT, parent=commission)
        for code, name in [("XF", "信访室"), ("AG", "案管室"), ("JC1", "第一监督检查室"), ("JC2", "第二监督检查室"), ("SC1", "审查调查室")]
    ]  # fmt: skip
    townships = [
        org_upsert(
            org_code=f"BENCH{i:03d}", name=f"第{i}镇纪委", kind=OrgKind.TOWNSHIP, parent=commission,
            region_code=f"370124{i:03d}",
        )
        for i in range(1, 21)
    ]  # fmt: skip
    users = {
        "officer": user_upsert(username="bench-xinfang", password=None, org=departments[0], roles=[Role.PETITION],
                               clearance=Clearance.CONFIDENTIAL),
        "leader": user_upsert(username="bench-lingdao", password=None, org=commission, roles=[Role.LEADER],
                              clearance=Clearance.CONFIDENTIAL),
    }  # fmt: skip
    return commission, departments, townships, users


CHUNK = 200_000


def _copy_text(value: object) -> str:
    """A value as COPY's text format spells it (our generated values hold no tab or newline)."""
    return "\\N" if value is None else str(value)


def case_chunk(
    rng: np.random.Generator,
    first_id: int,
    size: int,
    now: dt.datetime,
    commission: Any,
    in_charge: list[Any],
) -> str:
    """`size` cases as COPY text, drawn with numpy (a Python loop per value is 10× slower at 10M)."""
    from lianqing.cases.models import Category, Source

    ids = np.arange(first_id, first_id + size)
    now64 = np.datetime64(now.replace(tzinfo=None), "us")
    age_seconds = rng.integers(0, 3 * 365 * 86400, size)
    received = now64 - age_seconds.astype("timedelta64[s]")
    old = age_seconds > OLD_CASE_DAYS * 86400
    young_pick = rng.choice(len(STATUS_WEIGHTS), size, p=_weights(STATUS_WEIGHTS))
    old_pick = rng.choice(len(OLD_STATUS_WEIGHTS), size, p=_weights(OLD_STATUS_WEIGHTS))
    status = np.where(
        old, np.array(list(OLD_STATUS_WEIGHTS))[old_pick], np.array(list(STATUS_WEIGHTS))[young_pick]
    )
    kind = np.where(
        rng.random(size) < 0.13, "lead", np.where(rng.random(size) < 0.02, "investigation", "petition")
    )
    at_commission = np.isin(status, ["pending", "accepted", "rejected", "merged"])
    org_pick = rng.integers(0, len(in_charge), size)
    open_case = np.isin(status, ["pending", "accepted", "assigned", "handling", "concluded"])
    concluded_case = np.isin(status, ["concluded", "fed_back"])
    deadline_days = rng.integers(20, 120, size)
    concluded_days = rng.integers(5, 150, size)
    is_lead = kind == "lead"
    disposal_pick = rng.integers(0, 5, size)
    form_pick = rng.integers(0, 8, size)
    source_pick = rng.integers(0, len(Source.values), size)
    category_pick = rng.integers(0, len(Category.values), size)
    word_pick = rng.integers(0, len(SUMMARY_WORDS), size)
    secrecy_pick = rng.integers(0, 6, size)
    named = rng.random(size) < 0.3
    received_text = np.datetime_as_string(received, unit="us") + "+00"
    received_day = received.astype("datetime64[D]")
    deadline_text = np.datetime_as_string(received_day + deadline_days.astype("timedelta64[D]"))
    concluded_text = (
        np.datetime_as_string(received + (concluded_days * 86400).astype("timedelta64[s]"), unit="us") + "+00"
    )
    years = received_day.astype("datetime64[Y]").astype(int) + 1970
    sources, categories = list(Source.values), list(Category.values)
    disposals, form_levels = ["talk", "verify", "shelve", "close", "transfer"], [0, 1, 1, 1, 2, 2, 3, 4]
    lines = []
    for i in range(size):
        org = commission if at_commission[i] else in_charge[org_pick[i]]
        is_open, lead, done = open_case[i], is_lead[i], concluded_case[i]
        case_id = int(ids[i])
        deadline = deadline_text[i] if is_open else None
        row = (
            case_id, f"XF{years[i]}{case_id:07d}", kind[i], sources[source_pick[i]], categories[category_pick[i]],
            f"反映{SUMMARY_WORDS[word_pick[i]]}问题，编号{case_id}", "{}", org.region_code or "370124",
            commission.pk, org.pk, None, status[i], (0, 0, 0, 0, 1, 2)[secrecy_pick[i]], "", "t" if named[i] else "f",
            received_text[i], received_text[i], received_text[i] if is_open else None,
            concluded_text[i] if done else None, deadline, "办结" if is_open else "", deadline, 0, "", "", "",
            disposals[disposal_pick[i]] if lead and status[i] != "pending" else "", "",
            form_levels[form_pick[i]] if lead and done else None, "", "", 1, received_text[i], received_text[i],
        )  # fmt: skip
        lines.append("\t".join(map(_copy_text, row)))
    return "\n".join(lines) + "\n"


def _weights(weights: dict[str, int]) -> np.ndarray:
    values = np.array(list(weights.values()), dtype=float)
    return values / values.sum()


def load(count: int, commission: Any, departments: list[Any], townships: list[Any]) -> float:
    from django.db import connection
    from django.utils import timezone

    rng = np.random.default_rng(7)
    now = timezone.now()
    in_charge = [commission, *departments[1:], *townships]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE cases_caseevent, cases_reportedperson, cases_casenote, cases_caseattachment, cases_case CASCADE"
        )
        # Load without the secondary indexes and build them afterwards (much faster than
        # maintaining eleven indexes row by row); constraint indexes stay.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_case' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = 'cases_case'::regclass)"
        )
        secondary = cursor.fetchall()
        for name, _definition in secondary:
            cursor.execute(f'DROP INDEX "{name}"')
        raw = cursor.cursor
        with raw.copy(f"COPY cases_case ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for first in range(1, count + 1, CHUNK):
                size = min(CHUNK, count + 1 - first)
                copy.write(case_chunk(rng, first, size, now, commission, in_charge))
                print(
                    f"  {first + size - 1:,} cases copied ({time.perf_counter() - started:.0f} s)",
                    file=sys.stderr,
                )
        print(f"  building {len(secondary)} indexes …", file=sys.stderr)
        # Index builds may use the memory a one-off load can afford.
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _name, definition in secondary:
            cursor.execute(definition)
        cursor.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), %s)", [count])
    return time.perf_counter() - started


def recount_tallies() -> float:
    """COPY bypasses the services, so the tallies are recounted as the data migrations do."""
    from lianqing.cases.tally import tally_rebuild_all

    started = time.perf_counter()
    tally_rebuild_all()
    return time.perf_counter() - started


def bench_count() -> int:
    from lianqing.cases.models import Case

    return Case.objects.filter(home_org__org_code="BENCH").count()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reload", action="store_true", help="reload even if the cases are there")
    parser.add_argument("--recount", action="store_true", help="recount the tallies of cases already loaded")
    args = parser.parse_args()

    setup()
    from django.db import connection
    from django.utils import timezone

    from lianqing.cases.selectors import CaseFilters, case_inbox_paginator
    from lianqing.cases.statistics import Period, case_statistics

    commission, departments, townships, users = org_tree()
    load_seconds = tally_seconds = None
    if args.reload or bench_count() != args.cases:
        print(f"loading {args.cases:,} cases …", file=sys.stderr)
        load_seconds = load(args.cases, commission, departments, townships)
    if load_seconds is not None or args.recount:
        tally_seconds = recount_tallies()

    # As autovacuum would: statistics for the planner, and the visibility map for index-only scans.
    with connection.cursor() as cursor:
        for table in ("case", "casemonthtally", "casedaytally", "casestatustally", "casestocktally"):
            cursor.execute(f"VACUUM ANALYZE cases_{table}")

    today = timezone.localdate()
    rng = random.Random(1)

    def inbox_page(filters: Callable[[], CaseFilters]) -> Callable[[], object]:
        def run() -> object:
            paginator = case_inbox_paginator(user=users["officer"], filters=filters(), per_page=50)
            page = paginator.get_page(1)
            return [case.number for case in page], paginator.count

        return run

    scenarios: list[tuple[str, Callable[[], object]]] = [
        ("inbox: status + kind + source", inbox_page(lambda: CaseFilters(
            status=rng.choice(["pending", "handling", "accepted"]), kind="petition", source=rng.choice(["online", "letter", "visit"])))),
        ("inbox: overdue + org + category", inbox_page(lambda: CaseFilters(
            overdue=True, org_id=rng.choice([commission.pk, *[t.pk for t in townships]]), category=rng.choice(["sifeng_dining", "bribery"])))),
        ("inbox: date range + category + text", inbox_page(lambda: CaseFilters(
            received_from=today - dt.timedelta(days=30), received_to=today, category="sifeng_gifts", text=rng.choice(SUMMARY_WORDS)))),
        ("inbox: no filter (first page)", inbox_page(lambda: CaseFilters())),
        ("inbox: overdue, every org (工作台's 已超期)", inbox_page(lambda: CaseFilters(overdue=True))),
    ]  # fmt: skip

    # Each kind of statistics query on its own: a query wrapper adds up its SQL time per page.
    per_query: dict[str, list[float]] = {}
    this_page: dict[str, float] = {}
    live_label = "in-period counts, live (handled elsewhere)"
    tally_label = "in-period counts, monthly tallies"
    day_label = "in-period counts, daily tallies"
    stock_label = "stock and overdue by status, stock tallies"
    labels = {
        "GROUPING SETS": live_label,
        "cases_casemonthtally": tally_label,
        "cases_casedaytally": day_label,
        "cases_casestatustally": stock_label,
        "cases_casestocktally": stock_label,
        'AS "with_deadline"': "stock and overdue by status, live",
    }

    def query_label(sql: str) -> str:
        return next((label for text, label in labels.items() if text in sql), "small lookups (orgs, roles)")

    def recorder(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            label = query_label(sql)
            this_page[label] = this_page.get(label, 0.0) + (time.perf_counter() - started) * 1000

    year = Period(today.replace(month=1, day=1), today)
    month = Period(today - dt.timedelta(days=30), today)
    # 30 days with no whole month inside: every day read from the daily tallies (the worst case).
    fifteenth = (
        today.replace(day=15)
        if today.day >= 15
        else (today.replace(day=1) - dt.timedelta(days=1)).replace(day=15)
    )
    straddling = Period(fifteenth - dt.timedelta(days=29), fifteenth)

    def statistics_page(period: Period) -> Callable[[], object]:
        def run() -> object:
            this_page.clear()
            with connection.execute_wrapper(recorder):
                result = case_statistics(user=users["leader"], period=period)
            for label, milliseconds in this_page.items():
                per_query.setdefault(label, []).append(milliseconds)
            return result

        return run

    print(f"load average {load_average()} (at the start)", file=sys.stderr)
    rows = []
    for name, function in scenarios:
        samples = samples_ms(function, args.runs)
        rows.append((name, samples))
    for label, period in [
        ("statistics: this year", year),
        ("statistics: last 30 days", month),
        (f"statistics: {straddling.start:%m-%d}..{straddling.end:%m-%d}", straddling),
    ]:
        per_query.clear()
        samples = samples_ms(statistics_page(period), args.runs)
        rows.append((f"{label}, whole page", samples))
        rows.extend(
            (f"  {query}", per_query[query]) for query in dict.fromkeys(labels.values()) if query in per_query
        )

    peak = peak_mib()
    print()
    print(f"cases in PostgreSQL: {bench_count():,}", end="")
    if load_seconds:
        print(f"; loaded in {load_seconds:.1f} s ({args.cases / load_seconds:,.0f} rows/s)", end="")
    if tally_seconds:
        print(f"; tallies recounted in {tally_seconds:.1f} s", end="")
    print(f"; peak RSS {peak:.0f} MiB; load average {load_average()} (at the end)")
    print(f"{'query':<56} {'runs':>5} {'p50 ms':>9} {'p95 ms':>9}")
    for name, samples in rows:
        print(
            f"{name:<56} {len(samples):>5} {percentile(samples, 0.5):>9.1f} {percentile(samples, 0.95):>9.1f}"
        )


if __name__ == "__main__":
    main()
