"""The numbers behind the statistics page, whichever way they are computed: live (one query per
breakdown, or GROUPING SETS on PostgreSQL) or from the tallies (monthly, daily and stock)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth

from lianqing.core.models import Clearance, Org, User

from .access import CASE_ROLES, case_scope_path, may_see_higher_level
from .models import (
    NO_DEADLINE,
    Case,
    CaseDayTally,
    CaseMonthTally,
    CaseStatusTally,
    CaseStockTally,
    HigherLevel,
    Kind,
    TallyDimension,
)

if TYPE_CHECKING:
    from .statistics import Period


@dataclass
class PeriodRows:
    """The in-period numbers, whichever way the database computed them."""

    intake: list[tuple[dt.date, str, int]] = field(default_factory=list)
    category: list[Mapping[str, Any]] = field(default_factory=list)
    region: list[Mapping[str, Any]] = field(default_factory=list)
    org: list[Mapping[str, Any]] = field(default_factory=list)
    disposal: list[Mapping[str, Any]] = field(default_factory=list)
    forms: list[Mapping[str, Any]] = field(default_factory=list)
    received: int = 0
    concluded: int = 0
    leads: int = 0
    average: dt.timedelta | None = None


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _period_rows_orm(in_period: QuerySet[Case], period: Period) -> PeriodRows:
    """One query per breakdown (SQLite and any other database)."""
    trunc = TruncDate("received_at") if period.is_daily else TruncMonth("received_at")
    intake = in_period.annotate(bucket=trunc).values("bucket", "source").annotate(n=Count("*")).order_by()
    totals = in_period.aggregate(received=Count("*"), concluded=Count("concluded_at"))
    handling = in_period.filter(concluded_at__isnull=False).aggregate(
        average=Avg(ExpressionWrapper(F("concluded_at") - F("received_at"), output_field=DurationField()))
    )
    disposal = list(in_period.values("kind", "disposal").annotate(n=Count("*")).order_by())
    return PeriodRows(
        intake=[(_as_date(row["bucket"]), row["source"], row["n"]) for row in intake],
        category=list(in_period.values("category").annotate(n=Count("*")).order_by()),
        region=list(in_period.values("region_code").annotate(n=Count("*")).order_by()),
        org=list(in_period.values("org_id").annotate(n=Count("*")).order_by()),
        disposal=_merged_counts([row for row in disposal if row["disposal"]], [], "disposal"),
        forms=list(
            in_period.filter(form_level__isnull=False).values("form_level").annotate(n=Count("*")).order_by()
        ),
        received=totals["received"],
        concluded=totals["concluded"],
        leads=sum(row["n"] for row in disposal if row["kind"] == Kind.LEAD),
        average=handling["average"],
    )


GROUPING_SETS_SQL = """
SELECT GROUPING(bucket) AS g_bucket, GROUPING(category) AS g_category, GROUPING(region_code) AS g_region,
       GROUPING(org_id) AS g_org, GROUPING(kind) AS g_kind, GROUPING(form_level) AS g_form,
       bucket, source, category, region_code, org_id, kind, disposal, form_level,
       COUNT(*) AS n, COUNT(concluded_at) AS concluded, AVG(concluded_at - received_at) AS average
FROM (SELECT date_trunc('{unit}', t.received_at AT TIME ZONE %s) AS bucket, t.* FROM ({inner}) t) s
GROUP BY GROUPING SETS ((bucket, source), (category), (region_code), (org_id), (kind, disposal), (form_level), ())
"""


def _period_rows_grouping_sets(in_period: QuerySet[Case], period: Period) -> PeriodRows:
    """PostgreSQL: every breakdown in one pass over the covering index (GROUPING SETS)."""
    columns = ["received_at", "source", "category", "region_code", "org_id", "kind", "disposal", "form_level"]
    inner, params = in_period.order_by().values(*columns, "concluded_at").query.sql_with_params()
    sql = GROUPING_SETS_SQL.format(unit="day" if period.is_daily else "month", inner=inner)
    rows = PeriodRows()
    with transaction.atomic(), connection.cursor() as cursor:
        # Enough memory to hash every grouping set in one pass; the planner cannot estimate the
        # number of month buckets and otherwise sorts the whole period on disk.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, [settings.TIME_ZONE, *params])
        names = [column.name for column in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            n = row["n"]
            if not row["g_bucket"]:
                rows.intake.append((_as_date(row["bucket"]), row["source"], n))
            elif not row["g_category"]:
                rows.category.append({"category": row["category"], "n": n})
            elif not row["g_region"]:
                rows.region.append({"region_code": row["region_code"], "n": n})
            elif not row["g_org"]:
                rows.org.append({"org_id": row["org_id"], "n": n})
            elif not row["g_kind"]:
                rows.leads += n if row["kind"] == Kind.LEAD else 0
                if row["disposal"]:  # a petition concluded with a disposal counts too
                    rows.disposal.append({"disposal": row["disposal"], "n": n})
            elif not row["g_form"]:
                if row["form_level"] is not None:
                    rows.forms.append({"form_level": row["form_level"], "n": n})
            else:
                rows.received, rows.concluded, rows.average = n, row["concluded"], row["average"]
    rows.disposal = _merged_counts(rows.disposal, [], "disposal")
    return rows


def period_rows(in_period: QuerySet[Case], period: Period) -> PeriodRows:
    if connection.vendor == "postgresql":
        return _period_rows_grouping_sets(in_period, period)
    return _period_rows_orm(in_period, period)


def whole_months(period: Period) -> tuple[dt.date, dt.date] | None:
    """The first day of the first and of the day after the last whole month in the period."""
    first = (
        period.start
        if period.start.day == 1
        else (period.start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    )
    after = period.end + dt.timedelta(days=1)
    after = after if after.day == 1 else after.replace(day=1)
    return (first, after) if first < after else None


@dataclass(frozen=True)
class TallyScope:
    tallies: Q  # the tallies of the cases `case_scope` lets the user see by org, clearance and level
    handled_elsewhere: Q | None  # cases visible only as their handler, outside those orgs: counted live


def tally_scope(user: User) -> TallyScope:
    """`access.case_scope` as a filter on tallies (a test checks that both give the same counts)."""
    if not isinstance(user, User) or not user.has_role(*CASE_ROLES):
        return TallyScope(Q(pk__in=[]), None)
    tallies, handled_elsewhere = Q(), None
    path = case_scope_path(user)
    if path is None or Org.objects.exclude(path__startswith=path).exists():
        org_ids = (
            []
            if path is None
            else list(Org.objects.filter(path__startswith=path).values_list("pk", flat=True))
        )
        tallies &= Q(org_id__in=org_ids)
        handled_elsewhere = Q(handler=user) & ~Q(org_id__in=org_ids)
    if user.clearance < max(Clearance.values):
        tallies &= Q(confidentiality__lte=user.clearance)
    if not may_see_higher_level(user):
        tallies &= Q(higher_level=HigherLevel.NONE)
    return TallyScope(tallies, handled_elsewhere)


def _positive(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    # A tally that went back to zero is no group at all, as in a live count.
    return [row for row in rows if row["n"]]


def _tally_rows(tallies: QuerySet[Any], bucket: str, *, intake: bool) -> PeriodRows:
    """The in-period numbers summed from tally rows already filtered by scope and period (3 queries,
    2 without the intake); `bucket` is the tally's period column (month or day)."""
    rows = PeriodRows()
    by_value = _positive(
        tallies.filter(
            dimension__in=[
                TallyDimension.CATEGORY,
                TallyDimension.REGION,
                TallyDimension.DISPOSAL,
                TallyDimension.FORM,
            ]
        )
        .values("dimension", "value")
        .annotate(n=Sum("cases"))
        .order_by()
    )
    for row in by_value:
        dimension, value, n = row["dimension"], row["value"], row["n"]
        if dimension == TallyDimension.CATEGORY:
            rows.category.append({"category": value, "n": n})
        elif dimension == TallyDimension.REGION:
            rows.region.append({"region_code": value, "n": n})
        elif dimension == TallyDimension.DISPOSAL:
            kind, _, disposal = value.rpartition(":")  # "petition:verify" (tally.contributions)
            rows.leads += 0 if kind else n
            if disposal:
                rows.disposal.append({"disposal": disposal, "n": n})
        else:
            rows.forms.append({"form_level": int(value), "n": n})
    if intake:
        rows.intake = _intake(tallies, bucket)
    by_org = _positive(
        tallies.filter(dimension=TallyDimension.TOTAL)
        .values("org_id")
        .annotate(n=Sum("cases"), concluded=Sum("concluded"), handling=Sum("handling_microseconds"))
        .order_by()
    )
    rows.org = [{"org_id": row["org_id"], "n": row["n"]} for row in by_org]
    rows.received = sum(row["n"] for row in by_org)
    rows.concluded = sum(row["concluded"] for row in by_org)
    if rows.concluded:
        handling = sum(int(row["handling"]) for row in by_org)
        rows.average = dt.timedelta(microseconds=handling / rows.concluded)
    rows.disposal = _merged_counts(rows.disposal, [], "disposal")
    return rows


def _intake(tallies: QuerySet[Any], bucket: str) -> list[tuple[dt.date, str, int]]:
    by_bucket = (
        tallies.filter(dimension=TallyDimension.SOURCE).values(bucket, "value").annotate(n=Sum("cases"))
    )
    return [(row[bucket], row["value"], row["n"]) for row in _positive(by_bucket.order_by())]


def tally_period_rows(scope: Q, period: Period) -> PeriodRows:
    """The in-period numbers from the tallies: the whole months of the period from the monthly
    ones, its other days (the edges, or all of a short period) from the daily ones. A short
    period's intake is charted by day, so it comes from the daily tallies over the whole period."""
    months = whole_months(period)
    after_end = period.end + dt.timedelta(days=1)
    day_ranges = (
        [(period.start, after_end)] if months is None else [(period.start, months[0]), (months[1], after_end)]
    )
    by_day = Q()
    for low, high in day_ranges:
        if low < high:
            by_day |= Q(day__gte=low, day__lt=high)
    per_day = not period.is_daily  # a long period's edges add their days' intake to their months
    rows = PeriodRows()
    if months is not None:
        in_months = CaseMonthTally.objects.filter(scope, month__gte=months[0], month__lt=months[1])
        rows = merge_period_rows(rows, _tally_rows(in_months, "month", intake=per_day))
    if by_day:
        rows = merge_period_rows(
            rows, _tally_rows(CaseDayTally.objects.filter(scope, by_day), "day", intake=per_day)
        )
    if period.is_daily:
        rows.intake = _intake(
            CaseDayTally.objects.filter(scope, day__gte=period.start, day__lt=after_end), "day"
        )
    return rows


def stock_rows(open_cases: QuerySet[Case], today: dt.date) -> list[dict[str, Any]]:
    """Open cases by status, counted live: how many, with a time limit running, past it."""
    rows = (
        open_cases.values("status")
        .annotate(
            n=Count("*"),
            with_deadline=Count("deadline"),
            overdue=Count("deadline", filter=Q(deadline__lt=today)),
        )
        .order_by()
    )
    return [dict(row) for row in rows]


def tally_stock_rows(scope: Q, today: dt.date) -> list[dict[str, Any]]:
    """`stock_rows` of the cases in a tally scope, from the tallies: of the open cases with a
    deadline (by status), those not due before today (a short range of the deadline index) are
    not overdue; the rest are."""
    rows = {
        row["status"]: {**row, "overdue": row["with_deadline"]}
        for row in CaseStatusTally.objects.filter(scope)
        .values("status")
        .annotate(n=Sum("cases"), with_deadline=Sum("with_deadline"))
        .order_by()
        if row["n"]
    }
    not_due = (
        CaseStockTally.objects.filter(scope, deadline__gte=today, deadline__lt=NO_DEADLINE)
        .values("status")
        .annotate(n=Sum("cases"))
        .order_by()
    )
    for row in not_due:
        if row["status"] in rows:
            rows[row["status"]]["overdue"] -= row["n"]
    return list(rows.values())


def merge_stock_rows(first: list[dict[str, Any]], second: list[dict[str, Any]]) -> list[dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for row in [*first, *second]:
        into = merged.setdefault(
            row["status"], {"status": row["status"], "n": 0, "with_deadline": 0, "overdue": 0}
        )
        for name in ("n", "with_deadline", "overdue"):
            into[name] += row[name]
    return list(merged.values())


def _merged_counts(
    first: list[Mapping[str, Any]], second: list[Mapping[str, Any]], key: str
) -> list[Mapping[str, Any]]:
    counts: dict[Any, int] = {}
    for row in [*first, *second]:
        counts[row[key]] = counts.get(row[key], 0) + row["n"]
    return [{key: value, "n": n} for value, n in counts.items()]


def merge_period_rows(first: PeriodRows, second: PeriodRows) -> PeriodRows:
    concluded = first.concluded + second.concluded
    handling = sum(
        (rows.average * rows.concluded for rows in (first, second) if rows.average is not None),
        dt.timedelta(),
    )
    return PeriodRows(
        intake=[*first.intake, *second.intake],  # intake_series adds up equal buckets
        category=_merged_counts(first.category, second.category, "category"),
        region=_merged_counts(first.region, second.region, "region_code"),
        org=_merged_counts(first.org, second.org, "org_id"),
        disposal=_merged_counts(first.disposal, second.disposal, "disposal"),
        forms=_merged_counts(first.forms, second.forms, "form_level"),
        received=first.received + second.received,
        concluded=concluded,
        leads=first.leads + second.leads,
        average=handling / concluded if concluded else None,
    )
