"""Reads of 主体责任: a unit's tasks, the dashboard (from the rollups), drill-down, scores and
ranking, prompts for talks, and the signals the 廉情指数 reads."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from lianqing.core.models import Org

from .access import UNIT_KINDS
from .models import (
    GRADE_FACTOR,
    Assignment,
    DutyItem,
    DutyTemplate,
    Evidence,
    Light,
    Talk,
    Task,
    TaskEvent,
    TaskStatus,
    UnitItemTally,
    UnitLeader,
    UnitMonthTally,
)

UNIT_RED_FOR_TALK = 3  # red tasks of a unit in a year that prompt a 约谈
PERSON_RED_FOR_TALK = 2  # red tasks of one responsible person
COUNT_FIELDS = ("total", "accepted", "on_time", "yellow", "red", "locked")


def task_list(
    *, tasks: QuerySet[Task], year: int | None = None, light: str = "", status: str = ""
) -> QuerySet[Task]:
    if year:
        tasks = tasks.filter(year=year)
    if light:
        tasks = tasks.filter(light=light)
    if status:
        tasks = tasks.filter(status=status)
    return tasks.select_related("item", "unit", "responsible").order_by("deadline", "pk")


def task_events(task: Task) -> QuerySet[TaskEvent]:
    return task.events.select_related("actor").order_by("at", "pk")


def _rate(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _summed(rows: QuerySet[Any], key: str) -> list[dict[str, Any]]:
    result = []
    for row in rows.values(key).annotate(**{f: Sum(f) for f in COUNT_FIELDS}).order_by(key):
        row["rate"] = _rate(row["accepted"], row["total"])
        row["on_time_rate"] = _rate(row["on_time"], row["total"])
        result.append(row)
    return result


@dataclass
class Dashboard:
    year: int
    totals: dict[str, Any]
    by_unit: list[dict[str, Any]]
    by_duty: list[dict[str, Any]]
    by_month: list[dict[str, Any]]
    unit_count: int = 0  # units with tasks; `by_unit` lists the weakest of them


def dashboard_get(*, root: Org, year: int, weakest: int = 50) -> Dashboard:
    """Completion by unit (the `weakest` by completion, then red lights), by duty, by month: three
    grouped reads of the rollup tables. A province has thousands of units: the ranking lists them all."""
    months = UnitMonthTally.objects.filter(year=year, unit__path__startswith=root.path)
    by_month = _summed(months, "month")
    by_unit = _summed(months, "unit_id")
    names = dict(Org.objects.filter(path__startswith=root.path).values_list("pk", "name"))
    for row in by_unit:
        row["name"] = names.get(row["unit_id"], "")
    by_unit.sort(key=lambda row: (row["rate"], -row["red"], row["name"]))
    unit_count, by_unit = len(by_unit), by_unit[:weakest]
    items = UnitItemTally.objects.filter(year=year, unit__path__startswith=root.path)
    by_duty = _summed(items, "lineage")
    titles = dict(
        DutyItem.objects.filter(lineage__in=[row["lineage"] for row in by_duty])
        .order_by("pk")
        .values_list("lineage", "title")
    )
    for row in by_duty:
        row["title"] = titles.get(row["lineage"], "")
    totals = {f: sum(row[f] for row in by_month) for f in COUNT_FIELDS}
    totals["rate"] = _rate(totals["accepted"], totals["total"])
    return Dashboard(
        year=year, totals=totals, by_unit=by_unit, by_duty=by_duty, by_month=by_month, unit_count=unit_count
    )


def drill_tasks(*, tasks: QuerySet[Task], year: int, unit_id: int | None = None, lineage: int | None = None,
                month: int | None = None, light: str = "") -> QuerySet[Task]:  # fmt: skip
    tasks = tasks.filter(year=year)
    if unit_id:
        tasks = tasks.filter(unit_id=unit_id)
    if lineage:
        tasks = tasks.filter(lineage=lineage)
    if month:
        tasks = tasks.filter(month=month)
    if light == "locked":
        tasks = tasks.filter(status=TaskStatus.LOCKED)
    elif light:
        tasks = tasks.filter(light=light)
    return tasks.select_related("item", "unit", "responsible").order_by("deadline", "pk")


def _earned() -> Case:
    return Case(
        *[When(status=TaskStatus.ACCEPTED, grade=grade, then=F("item__points") * Value(Decimal(str(factor)))) for grade, factor in GRADE_FACTOR.items()],
        default=Value(Decimal(0)),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )  # fmt: skip


def _quality() -> Case:
    return Case(
        *[When(grade=grade, then=Value(Decimal(str(factor)))) for grade, factor in GRADE_FACTOR.items()],
        default=Value(Decimal(0)),
        output_field=DecimalField(max_digits=6, decimal_places=2),
    )


@dataclass
class UnitScore:
    unit_id: int
    name: str
    kind: str
    kind_label: str
    total: int
    accepted: int
    on_time: int
    on_time_rate: float
    quality: float
    points_total: float
    points_earned: float
    score: float
    rank: int = 0


def unit_scores(*, root: Org, year: int, unit_id: int | None = None) -> list[UnitScore]:
    """Per unit: on-time completion (40), the reviewer's grades (30), points earned (30); ranked
    within each unit type."""
    tasks = Task.objects.filter(year=year, unit__path__startswith=root.path)
    if unit_id:
        tasks = tasks.filter(unit_id=unit_id)
    rows = tasks.order_by().values("unit_id", "unit__name", "unit__kind").annotate(
        total=Count("id"), accepted=Count("id", filter=Q(status=TaskStatus.ACCEPTED)),
        on_time=Count("id", filter=Q(status=TaskStatus.ACCEPTED, was_late=False)),
        points_total=Sum("item__points"), points_earned=Sum(_earned()),
        quality_sum=Sum(_quality(), filter=Q(status=TaskStatus.ACCEPTED)),
    )  # fmt: skip
    scores = []
    kinds = dict(Org._meta.get_field("kind").flatchoices)
    for row in rows:
        total, accepted = row["total"], row["accepted"]
        quality = float(row["quality_sum"] or 0) / accepted if accepted else 0.0
        points_total, points_earned = float(row["points_total"] or 0), float(row["points_earned"] or 0)
        on_time_rate = _rate(row["on_time"], total)
        composite = (
            0.4 * on_time_rate + 30 * quality + (30 * points_earned / points_total if points_total else 0)
        )
        scores.append(UnitScore(
            unit_id=row["unit_id"], name=row["unit__name"], kind=row["unit__kind"], kind_label=str(kinds.get(row["unit__kind"], "")),
            total=total, accepted=accepted, on_time=row["on_time"], on_time_rate=on_time_rate, quality=round(100 * quality, 1),
            points_total=points_total, points_earned=round(points_earned, 1), score=round(composite, 1),
        ))  # fmt: skip
    by_kind: dict[str, list[UnitScore]] = defaultdict(list)
    for unit_score in scores:
        by_kind[unit_score.kind].append(unit_score)
    for group in by_kind.values():
        group.sort(key=lambda s: (-s.score, s.name))
        for position, ranked in enumerate(group, start=1):
            ranked.rank = position
    return sorted(scores, key=lambda s: (s.kind, s.rank))


@dataclass
class TalkPrompt:
    unit: Org
    red: int
    leader: UnitLeader | None = None


def talk_prompts(*, root: Org, year: int, limit: int | None = None) -> list[TalkPrompt]:
    """Units (≥ UNIT_RED_FOR_TALK) and persons (≥ PERSON_RED_FOR_TALK) with repeated red lights
    this year and no 约谈 recorded since the last of them turned red, most red first.

    Counted, filtered and cut in SQL: a province has hundreds of thousands of late tasks."""
    late = Task.objects.filter(year=year, was_late=True, unit__path__startswith=root.path).order_by()
    unit_talked = Talk.objects.filter(year=year, unit_id=OuterRef("unit_id"))
    person_talked = unit_talked.filter(leader_id=OuterRef("responsible_id"))
    unit_rows = (
        late.filter(~Exists(unit_talked))
        .values("unit_id", "unit__name")
        .annotate(red=Count("*"))  # COUNT(*): read from the late-task index alone
        .filter(red__gte=UNIT_RED_FOR_TALK)
        .order_by("-red", "unit__name")
    )
    person_rows = (
        late.filter(responsible__isnull=False)
        .filter(~Exists(person_talked))
        .values("unit_id", "unit__name", "responsible_id")
        .annotate(red=Count("*"))  # COUNT(*): read from the late-task index alone
        .filter(red__gte=PERSON_RED_FOR_TALK)
        .order_by("-red", "unit__name")
    )
    if limit is not None:  # the top `limit` of both lists hold the top `limit` of their union
        unit_rows, person_rows = unit_rows[:limit], person_rows[:limit]
    units_found, persons_found = list(unit_rows), list(person_rows)
    units = Org.objects.in_bulk([row["unit_id"] for row in units_found + persons_found])
    leaders = UnitLeader.objects.in_bulk([row["responsible_id"] for row in persons_found])
    prompts = [TalkPrompt(unit=units[row["unit_id"]], red=row["red"]) for row in units_found]
    prompts.extend(
        TalkPrompt(unit=units[row["unit_id"]], red=row["red"], leader=leaders.get(row["responsible_id"]))
        for row in persons_found
    )
    prompts.sort(key=lambda p: (-p.red, p.unit.name))
    return prompts[:limit] if limit is not None else prompts


def talk_list(*, root: Org, year: int, unit_id: int | None = None) -> QuerySet[Talk]:
    talks = Talk.objects.filter(year=year, unit__path__startswith=root.path).select_related("unit", "leader")
    return talks.filter(unit_id=unit_id) if unit_id else talks


def unit_duty_signals(*, unit_id: int, year: int) -> dict[str, int]:
    """What the 廉情指数 reads of a unit's duties: tasks, late ones, locked ones, talks."""
    tasks = Task.objects.filter(unit_id=unit_id, year=year).order_by()
    counts = tasks.aggregate(
        total=Count("id"), late=Count("id", filter=Q(was_late=True)),
        locked=Count("id", filter=Q(status=TaskStatus.LOCKED)), red=Count("id", filter=Q(light=Light.RED)),
    )  # fmt: skip
    counts["talks"] = Talk.objects.filter(unit_id=unit_id, year=year).count()
    return counts


def templates_list(*, root: Org) -> QuerySet[DutyTemplate]:
    return DutyTemplate.objects.filter(owner=root).prefetch_related("versions")


def assignments_of(*, template: DutyTemplate) -> QuerySet[Assignment]:
    return template.assignments.select_related("unit", "version", "reviewer").order_by("-year", "unit__name")


def units_of(*, root: Org) -> QuerySet[Org]:
    return Org.objects.filter(path__startswith=root.path, kind__in=UNIT_KINDS).order_by("path")


def unit_years(unit_id: int) -> list[int]:
    return sorted(
        set(Assignment.objects.filter(unit_id=unit_id).values_list("year", flat=True)), reverse=True
    )


def handbook(*, unit: Org, year: int) -> dict[str, Any]:
    """The 履责纪实手册: every task of the unit and year with its account, evidence names and review."""
    tasks = list(
        Task.objects.filter(unit=unit, year=year).select_related("item", "responsible")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.defer("data"))).order_by("item__position", "deadline")
    )  # fmt: skip
    return {
        "unit": unit,
        "year": year,
        "tasks": tasks,
        "talks": list(Talk.objects.filter(unit=unit, year=year)),
    }
