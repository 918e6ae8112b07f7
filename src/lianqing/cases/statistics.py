"""Statistics for leaders: intake, stock and flow, overdue rate, handling time, disposals and forms.

Every number comes with the inbox query that lists the cases behind it (drill-down). The numbers
come from the tallies (cases.tally, exact and kept in the same transaction as the cases): whole
months from the monthly ones, other days from the daily ones, the stock from the stock ones; only
the cases a user sees as their handler outside their orgs are counted live.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from lianqing.core.models import Org, User
from lianqing.core.names import region_label

from .access import case_scope
from .models import (
    OPEN_STATUSES,
    Case,
    Category,
    Disposal,
    FourForms,
    Kind,
    Source,
    Status,
)

DAILY_SPAN_LIMIT = 62  # longer periods are charted by month


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        start = timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))
        end = timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))
        return start, end

    @property
    def is_daily(self) -> bool:
        return (self.end - self.start).days <= DAILY_SPAN_LIMIT

    def query(self) -> dict[str, str]:
        return {"received_from": self.start.isoformat(), "received_to": self.end.isoformat()}


from .statistics_rows import (  # noqa: E402  (they take a Period, defined above)
    PeriodRows,
    merge_period_rows,
    merge_stock_rows,
    period_rows,
    stock_rows,
    tally_period_rows,
    tally_scope,
    tally_stock_rows,
)


def default_period(today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(today.replace(month=1, day=1), today)


def _inbox(**params: Any) -> str:
    clean = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{reverse('cases:inbox')}?{urlencode(clean)}"


def region_labels(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Region names (GB/T 2260) for the statistics' region rows; the code where none is known."""
    return {row["region_code"]: region_label(row["region_code"]) or row["region_code"] for row in rows}


def _labelled(
    rows: Iterable[Mapping[str, Any]], key: str, labels: dict[Any, Any], period: Period, **extra: Any
) -> list[dict[str, Any]]:
    return [
        {
            "key": row[key],
            "label": str(labels.get(row[key], row[key] or "—")),
            "value": row["n"],
            "url": _inbox(**period.query(), **{key: row[key]}, **extra),
        }
        for row in sorted(rows, key=lambda r: -r["n"])
    ]


def intake_series(rows: list[tuple[dt.date, str, int]], period: Period) -> dict[str, Any]:
    buckets: dict[str, dict[str, int]] = {}
    for day, source, count in rows:
        label = day.isoformat() if period.is_daily else day.strftime("%Y-%m")
        buckets.setdefault(label, {})[source] = buckets.get(label, {}).get(source, 0) + count
    labels = sorted(buckets)
    series = []
    for source in Source:
        values = [buckets[label].get(source.value, 0) for label in labels]
        if any(values):
            series.append({"key": source.value, "label": str(source.label), "values": values})
    urls = [_bucket_url(label, period) for label in labels]
    return {
        "granularity": "day" if period.is_daily else "month",
        "labels": labels,
        "series": series,
        "urls": urls,
    }


def case_period_rows(*, user: User, scoped: QuerySet[Case], period: Period) -> PeriodRows:
    """The in-period numbers from the tallies, plus those of cases the user sees only as their
    handler (outside the orgs a tally scope can name), counted live."""
    scope = tally_scope(user)
    rows = tally_period_rows(scope.tallies, period)
    if scope.handled_elsewhere is not None:
        start, end = period.bounds
        elsewhere = scoped.filter(scope.handled_elsewhere, received_at__gte=start, received_at__lt=end)
        rows = merge_period_rows(rows, period_rows(elsewhere, period))
    return rows


def case_stock_rows(*, user: User, scoped: QuerySet[Case], today: dt.date) -> list[dict[str, Any]]:
    """Stock (存量): open cases by status, with how many of them are overdue, from the stock
    tallies plus the cases seen only as their handler (counted live, as above)."""
    scope = tally_scope(user)
    rows = tally_stock_rows(scope.tallies, today)
    if scope.handled_elsewhere is not None:
        # IN, not NOT IN: an index range on status
        elsewhere = scoped.filter(scope.handled_elsewhere, status__in=OPEN_STATUSES)
        rows = merge_stock_rows(rows, stock_rows(elsewhere, today))
    return rows


def _bucket_url(label: str, period: Period) -> str:
    if len(label) == 10:
        return _inbox(received_from=label, received_to=label)
    year, month = (int(part) for part in label.split("-"))
    first = dt.date(year, month, 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return _inbox(
        received_from=max(first, period.start).isoformat(), received_to=min(last, period.end).isoformat()
    )


def case_statistics(*, user: User, period: Period) -> dict[str, Any]:
    scoped = case_scope(Case.objects.all(), user)
    today = timezone.localdate()
    rows = case_period_rows(user=user, scoped=scoped, period=period)

    stock = case_stock_rows(user=user, scoped=scoped, today=today)
    with_deadline = sum(row["with_deadline"] for row in stock)
    overdue = sum(row["overdue"] for row in stock)
    org_names = dict(Org.objects.filter(pk__in=[row["org_id"] for row in rows.org]).values_list("pk", "name"))
    status_order = list(Status.values)

    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "totals": {
            "received": {"value": rows.received, "url": _inbox(**period.query())},
            "concluded": {"value": rows.concluded, "url": _inbox(**period.query(), concluded=1)},
            "leads": {"value": rows.leads, "url": _inbox(**period.query(), kind=Kind.LEAD)},
            "open_with_deadline": {"value": with_deadline, "url": _inbox(open_only=1)},
            "overdue": {"value": overdue, "url": _inbox(overdue=1)},
            "overdue_rate": round(100 * overdue / with_deadline, 1) if with_deadline else 0.0,
            "average_days": round(rows.average.total_seconds() / 86400, 1) if rows.average else None,
        },
        "intake": intake_series(rows.intake, period),
        "stock": [
            {
                "key": row["status"],
                "label": str(Status(row["status"]).label),
                "value": row["n"],
                "url": _inbox(status=row["status"]),
            }
            for row in sorted(stock, key=lambda r: status_order.index(r["status"]))
        ],
        "category": _labelled(rows.category, "category", dict(Category.choices), period),
        "region": [
            {**row, "title": row["key"]}  # the code on hover
            for row in _labelled(
                rows.region, "region_code", region_labels(rows.region), period, region_exact=1
            )
        ],
        "org": [
            {
                "key": row["org_id"],
                "label": org_names.get(row["org_id"], ""),
                "value": row["n"],
                "url": _inbox(**period.query(), org=row["org_id"]),
            }
            for row in sorted(rows.org, key=lambda r: -r["n"])
        ],
        "disposal": _labelled(rows.disposal, "disposal", dict(Disposal.choices), period),
        "forms": [
            {
                "key": row["form_level"],
                "label": str(FourForms(row["form_level"]).label),
                "value": row["n"],
                "url": _inbox(**period.query(), form_level=row["form_level"]),
            }
            for row in sorted(rows.forms, key=lambda r: r["form_level"])
        ],
    }
