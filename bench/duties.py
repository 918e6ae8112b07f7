"""主体责任 at scale: N units × D monthly duties × 12 months of tasks on PostgreSQL (5,000 × 60 × 12 =
3.6 M tasks), timing the commission dashboard, a unit's task list and the daily light job.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lq_bench_duties .venv/bin/python bench/duties.py
    ... bench/duties.py --units 50 --duties 60 --runs 20 --reload        (small size)

Loading uses the application's own services: one template of D monthly duties (deadlines spread
over the month), `assignment_create` for every unit (tasks generated set-based, INSERT … SELECT
from the version's schedule), a liaison account per unit and one supervisor per office. The year
up to the day before AS_OF is then made realistic set-based (most tasks accepted, some submitted)
and the light job catches up once (timed as "catch-up"); then the daily job of AS_OF is timed as
the steady-state run (lights, reminders, rollups). Goals: dashboard and unit list p95 < 300 ms, the
daily job < 2 minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.timing import load_average, peak_mib, percentile, samples_ms

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqing.settings")
os.environ.setdefault("LIANQING_MODE", "test")
os.environ.setdefault("LIANQING_HOME", os.path.join(tempfile.gettempdir(), "lianqing-bench-duties"))

import django

YEAR = 2026


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--duties", type=int, default=60)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--as-of", default=f"{YEAR}-06-16", help="the day of the timed daily job")
    parser.add_argument("--reload", action="store_true", help="drop the bench data and load again")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("Set DATABASE_URL to a PostgreSQL database (this bench is about PostgreSQL)")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group
    from django.db.models import Max

    from lianqing.core.models import Org, OrgKind, User
    from lianqing.core.roles import Role
    from lianqing.core.services import org_upsert, roles_ensure
    from lianqing.duties import lights, selectors, services, tally
    from lianqing.duties.models import (
        DutyTemplate,
        Frequency,
        Task,
        TaskEvent,
        TemplateKind,
        UnitLeader,
        UnitMonthTally,
    )

    as_of = dt.date.fromisoformat(args.as_of)
    commission = org_upsert(org_code="BENCH", name="基准纪委监委", kind=OrgKind.COMMISSION)
    expected = args.units * args.duties * 12
    template = DutyTemplate.objects.filter(owner=commission, name="基准责任清单").first()
    loaded = Task.objects.filter(assignment__template=template).count() if template else 0
    if args.reload or loaded != expected:
        print(f"loading {expected:,} tasks …", flush=True)
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for table in ("duties_taskevent", "duties_evidence", "duties_task", "duties_unitmonthtally",
                          "duties_unititemtally", "duties_schedulerow", "duties_assignment", "duties_talk"):  # fmt: skip
                cursor.execute(f"TRUNCATE {table} CASCADE")
        DutyTemplate.objects.filter(owner=commission).delete()
        UnitLeader.objects.filter(unit__path__startswith=commission.path).delete()
        User.objects.filter(username__startswith="bench-").delete()
        Org.objects.filter(path__startswith=commission.path).exclude(pk=commission.pk).delete()
        offices = [
            org_upsert(
                org_code=f"BENCH-JC{i}", name=f"第{i}监督检查室", kind=OrgKind.DEPARTMENT, parent=commission
            )
            for i in range(1, 11)
        ]
        Org.objects.bulk_create(
            Org(org_code=f"BENCH-U{n:05d}", name=f"基准单位{n:05d}", parent=commission, kind=[OrgKind.PUBLIC_BODY,
                OrgKind.INSTITUTION, OrgKind.STATE_ENTERPRISE, OrgKind.VILLAGE][n % 4], path=f"{commission.path}BENCH-U{n:05d}/")
            for n in range(args.units)
        )  # fmt: skip
        units = list(Org.objects.filter(org_code__startswith="BENCH-U").order_by("pk"))
        UnitLeader.objects.bulk_create(UnitLeader(unit=u, name="书记", is_secretary=True) for u in units)
        roles_ensure()
        users = User.objects.bulk_create(
            [User(username=f"bench-liaison-{u.pk}", org=u, password="!") for u in units]  # noqa: S106
            + [User(username=f"bench-office-{o.pk}", org=o, password="!") for o in offices]  # noqa: S106
        )
        liaison_group, office_group = (
            Group.objects.get(name=str(Role.LIAISON)),
            Group.objects.get(name=str(Role.SUPERVISION)),
        )
        through = User.groups.through
        through.objects.bulk_create(
            through(user_id=u.pk, group_id=(office_group if u.username.startswith("bench-office") else liaison_group).pk)
            for u in users
        )  # fmt: skip
        template = services.template_create(
            owner=commission, name="基准责任清单", kind=TemplateKind.PARTY_COMMITTEE
        )
        for i in range(args.duties):
            services.item_save(template=template, fields={
                "title": f"责任事项{i + 1:02d}", "frequency": Frequency.MONTHLY, "due_day": 3 + (i * 7) % 26,
                "evidence_kinds": ["document"], "points": 1,
            })  # fmt: skip
        for index, office in enumerate(offices):
            chunk = units[index::10]
            for start_at in range(0, len(chunk), 1000):
                services.assignment_create(
                    template=template, units=chunk[start_at : start_at + 1000], year=YEAR, reviewer=office,
                    audit_each=False,
                )  # fmt: skip
        print(f"  tasks generated in {time.perf_counter() - start:.1f} s", flush=True)
        before = as_of - dt.timedelta(days=1)
        with connection.cursor() as cursor:  # the year so far, set-based: 80 % accepted, 5 % submitted
            cursor.execute(
                "UPDATE duties_task SET status = 'accepted', light = 'green', grade = 'B', submitted_at = now(),"
                " reviewed_at = now() WHERE deadline < %s AND id %% 20 < 16",
                [before],
            )
            cursor.execute(
                "UPDATE duties_task SET status = 'submitted', submitted_at = now() WHERE deadline < %s AND id %% 20 = 16",
                [before])  # fmt: skip
            cursor.execute("ANALYZE")
        start = time.perf_counter()
        caught_up = lights.lights_refresh(today=before)
        print(
            f"  catch-up light job to {before}: {time.perf_counter() - start:.1f} s {caught_up}", flush=True
        )
        print(f"loaded in {time.perf_counter() - start:.1f} s", flush=True)
    elif not UnitMonthTally.objects.filter(year=YEAR, unit__path__startswith=commission.path).exists():
        # a load stopped after the catch-up's lights: send that run's reminders, build the rollups
        last = TaskEvent.objects.filter(actor__isnull=True).aggregate(at=Max("at"))["at"]
        if last is not None:
            start = time.perf_counter()
            sent = lights.reminders_send(lights.LightRun(at=last))
            tally.tally_rebuild(year=YEAR)
            print(
                f"  resumed the catch-up: {sent:,} reminders and rollups in {time.perf_counter() - start:.1f} s"
            )
    if template is None:
        sys.exit("no bench template")
    lights.statistics_refresh()  # as the daily job leaves them
    units = list(Org.objects.filter(org_code__startswith="BENCH-U").values_list("pk", flat=True))
    year_tasks = Task.objects.filter(year=YEAR).count()

    def dashboard() -> None:
        selectors.dashboard_get(root=commission, year=YEAR)

    unit_iter = iter(units * (args.runs // max(len(units), 1) + 2))

    def unit_list() -> None:
        unit_id = next(unit_iter)
        tasks = selectors.task_list(tasks=Task.objects.filter(unit_id=unit_id), year=YEAR)
        tasks.count()
        list(tasks[:50])

    def drill_red() -> None:
        list(selectors.drill_tasks(tasks=Task.objects.all(), year=YEAR, light="red")[:50])

    # No warm-up call: the unit list takes the next unit each call, every unit timed cold.
    rows = [("commission dashboard", samples_ms(dashboard, args.runs, warm=False)),
            ("unit task list (count + 50)", samples_ms(unit_list, args.runs, warm=False)),
            ("drill-down: red tasks (50)", samples_ms(drill_red, args.runs, warm=False))]  # fmt: skip

    # The timed daily job: a fresh as_of every run is not possible (lights move once); time it once.
    start = time.perf_counter()
    run = lights.lights_apply(today=as_of)
    t_lights = time.perf_counter() - start
    start = time.perf_counter()
    notices = lights.reminders_send(run)
    t_notices = time.perf_counter() - start
    start = time.perf_counter()
    tally.tally_rebuild(year=YEAR)
    lights.statistics_refresh()
    t_tally = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('duties_task'))")
        size = cursor.fetchone()[0]  # type: ignore[index]
    print(f"\n主体责任 bench: {len(units):,} units × {args.duties} duties × 12 months = {year_tasks:,} tasks "
          f"(duties_task {size}); {args.runs} runs; load {load_average()}\n")  # fmt: skip
    print(f"| {'what':<32} | {'p50 ms':>8} | {'p95 ms':>8} | {'max ms':>8} |")
    print(f"|{'-' * 34}|{'-' * 10}|{'-' * 10}|{'-' * 10}|")
    for name, samples in rows:
        print(
            f"| {name:<32} | {statistics.median(samples):8.1f} | {percentile(samples, 0.95):8.1f} | {max(samples):8.1f} |"
        )
    print(f"\ndaily job of {as_of}: lights {t_lights:.1f} s {run.changed}, reminders {t_notices:.1f} s "
          f"({notices:,} notices), rollups and statistics {t_tally:.1f} s; total {t_lights + t_notices + t_tally:.1f} s; "
          f"peak memory {peak_mib():.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
