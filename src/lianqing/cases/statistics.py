"""Statistics for leaders: intake, stock and flow, overdue rate, handling time, disposals and forms.

Every number comes with the inbox query that lists the cases behind it (drill-down).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.urls import reverse
from django.utils import timezone

from lianqing.core.models import User

from .access import case_scope
from .models import FINAL_STATUSES, Case, Category, Disposal, FourForms, Kind, Source, Status

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


def default_period(today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(today.replace(month=1, day=1), today)


def _inbox(**params: Any) -> str:
    clean = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{reverse('cases:inbox')}?{urlencode(clean)}"


def _labelled(
    rows: Iterable[Mapping[str, Any]], key: str, labels: dict[Any, Any], period: Period
) -> list[dict[str, Any]]:
    return [
        {
            "key": row[key],
            "label": str(labels.get(row[key], row[key] or "—")),
            "value": row["n"],
            "url": _inbox(**period.query(), **{key: row[key]}),
        }
        for row in sorted(rows, key=lambda r: -r["n"])
    ]


def intake_series(period_cases: QuerySet[Case], period: Period) -> dict[str, Any]:
    trunc = TruncDate("received_at") if period.is_daily else TruncMonth("received_at")
    rows = (
        period_cases.annotate(bucket=trunc)
        .values("bucket", "source")
        .annotate(n=Count("id"))
        .order_by("bucket")
    )
    buckets: dict[str, dict[str, int]] = {}
    for row in rows:
        bucket = row["bucket"]
        day = bucket.date() if isinstance(bucket, dt.datetime) else bucket
        label = day.isoformat() if period.is_daily else day.strftime("%Y-%m")
        buckets.setdefault(label, {})[row["source"]] = row["n"]
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
    start, end = period.bounds
    in_period = scoped.filter(received_at__gte=start, received_at__lt=end)
    today = timezone.localdate()

    totals = in_period.aggregate(
        received=Count("id"),
        concluded=Count("id", filter=Q(concluded_at__isnull=False)),
        leads=Count("id", filter=Q(kind=Kind.LEAD)),
    )
    open_cases = scoped.exclude(status__in=FINAL_STATUSES).filter(deadline__isnull=False)
    overdue = open_cases.aggregate(
        with_deadline=Count("id"), overdue=Count("id", filter=Q(deadline__lt=today))
    )
    handling = in_period.filter(concluded_at__isnull=False).aggregate(
        average=Avg(ExpressionWrapper(F("concluded_at") - F("received_at"), output_field=DurationField()))
    )
    average: dt.timedelta | None = handling["average"]

    stock = list(scoped.values("status").annotate(n=Count("id")))
    by_category = list(in_period.values("category").annotate(n=Count("id")))
    by_region = list(in_period.values("region_code").annotate(n=Count("id")))
    by_org = list(in_period.values("org_id", "org__name").annotate(n=Count("id")))
    disposals = list(
        in_period.filter(kind=Kind.LEAD).exclude(disposal="").values("disposal").annotate(n=Count("id"))
    )
    forms = list(in_period.filter(form_level__isnull=False).values("form_level").annotate(n=Count("id")))

    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "totals": {
            "received": {"value": totals["received"], "url": _inbox(**period.query())},
            "concluded": {
                "value": totals["concluded"],
                "url": _inbox(**period.query(), status=Status.CONCLUDED),
            },
            "leads": {"value": totals["leads"], "url": _inbox(**period.query(), kind=Kind.LEAD)},
            "open_with_deadline": {"value": overdue["with_deadline"], "url": _inbox(open_only=1)},
            "overdue": {"value": overdue["overdue"], "url": _inbox(overdue=1)},
            "overdue_rate": round(100 * overdue["overdue"] / overdue["with_deadline"], 1)
            if overdue["with_deadline"]
            else 0.0,
            "average_days": round(average.total_seconds() / 86400, 1) if average else None,
        },
        "intake": intake_series(in_period, period),
        "stock": [
            {
                "key": row["status"],
                "label": str(dict(Status.choices).get(row["status"])),
                "value": row["n"],
                "url": _inbox(status=row["status"]),
            }
            for row in sorted(stock, key=lambda r: list(Status.values).index(r["status"]))
        ],
        "category": _labelled(by_category, "category", dict(Category.choices), period),
        "region": _labelled(by_region, "region_code", {}, period),
        "org": [
            {
                "key": row["org_id"],
                "label": row["org__name"],
                "value": row["n"],
                "url": _inbox(**period.query(), org=row["org_id"]),
            }
            for row in sorted(by_org, key=lambda r: -r["n"])
        ],
        "disposal": _labelled(disposals, "disposal", dict(Disposal.choices), period),
        "forms": [
            {
                "key": row["form_level"],
                "label": str(FourForms(row["form_level"] or 0).label),
                "value": row["n"],
                "url": _inbox(**period.query(), form_level=row["form_level"]),
            }
            for row in sorted(forms, key=lambda r: r["form_level"] or 0)
        ],
    }
