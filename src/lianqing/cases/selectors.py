"""Reads of case handling: the public status, the inbox list, a case's page, reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lianqing.core.models import User
from lianqing.core.pagination import CappedPaginator

from .access import case_scope
from .deadlines import add_working_days
from .models import OPEN_STATUSES, Case, CaseEvent, Status
from .time_limits import time_limits
from .workflow import ACTIONS, Action, allowed_actions

PUBLIC_RECEIVED, PUBLIC_ACCEPTED, PUBLIC_HANDLING, PUBLIC_CONCLUDED = (
    _("已收到"),
    _("已受理"),
    _("办理中"),
    _("已办结"),
)

PUBLIC_LABELS: dict[str, Promise] = {
    Status.PENDING: PUBLIC_RECEIVED,
    Status.ACCEPTED: PUBLIC_ACCEPTED,
    Status.ASSIGNED: PUBLIC_ACCEPTED,
    Status.SENT_UP: PUBLIC_ACCEPTED,  # passed to the competent commission
    Status.HANDLING: PUBLIC_HANDLING,
    Status.SHELVED: PUBLIC_HANDLING,
    Status.IN_TRIAL: PUBLIC_HANDLING,
    Status.TRIAL_REVIEWED: PUBLIC_HANDLING,
    Status.REJECTED: PUBLIC_CONCLUDED,
    Status.CONCLUDED: PUBLIC_CONCLUDED,
    Status.FED_BACK: PUBLIC_CONCLUDED,
}


def case_public_status(case: Case) -> tuple[str, str]:
    """(label a reporter may see, the reply written for them). A duplicate shows its original's."""
    seen = {case.pk}
    while case.status == Status.MERGED and case.merged_into_id and case.merged_into_id not in seen:
        seen.add(case.merged_into_id)
        case = Case.objects.get(pk=case.merged_into_id)
    return str(PUBLIC_LABELS.get(case.status, PUBLIC_RECEIVED)), case.reporter_reply


@dataclass
class CaseFilters:
    status: str = ""
    kind: str = ""
    source: str = ""
    category: str = ""
    region_code: str = ""
    region_exact: bool = False  # else the code and every region under it
    org_id: int | None = None
    handler_id: int | None = None
    overdue: bool = False
    due_soon: bool = False
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    text: str = ""
    form_level: int | None = None
    disposal: str = ""
    open_only: bool = False  # not finished and with a time limit running
    concluded: bool = False  # has a result (办结), whatever happened after
    unclaimed: bool = False  # given to a department, nobody has taken it yet (the to-do list)
    extra: dict[str, Any] = field(default_factory=dict)


UNCLAIMED_STATUSES = [Status.ASSIGNED, Status.IN_TRIAL]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def apply_filters(queryset: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    conditions = Q()
    for name in ("status", "kind", "source", "category", "disposal"):
        value = getattr(filters, name)
        if value:
            conditions &= Q(**{name: value})
    if filters.region_code:
        lookup = "region_code" if filters.region_exact else "region_code__startswith"
        conditions &= Q(**{lookup: filters.region_code})
    if filters.org_id:
        conditions &= Q(org_id=filters.org_id)
    if filters.handler_id:
        conditions &= Q(handler_id=filters.handler_id)
    if filters.form_level is not None:
        conditions &= Q(form_level=filters.form_level)
    if filters.overdue:
        conditions &= Q(deadline__lt=timezone.localdate())
    if filters.due_soon:
        today = timezone.localdate()
        conditions &= Q(
            deadline__gte=today, deadline__lte=add_working_days(today, time_limits().due_soon_days)
        )
    if filters.open_only:
        conditions &= Q(deadline__isnull=False)
    if filters.concluded:
        conditions &= Q(concluded_at__isnull=False)
    if filters.unclaimed:
        conditions &= Q(handler__isnull=True, status__in=UNCLAIMED_STATUSES)
    if filters.overdue or filters.due_soon or filters.open_only:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    if filters.received_from:
        conditions &= Q(received_at__gte=_day_start(filters.received_from))
    if filters.received_to:
        conditions &= Q(received_at__lt=_day_start(filters.received_to + dt.timedelta(days=1)))
    if filters.text:
        conditions &= Q(summary__icontains=filters.text) | Q(number__iexact=filters.text)
    return queryset.filter(conditions)


def case_list(*, user: User, filters: CaseFilters) -> QuerySet[Case]:
    """The inbox: cases the user may see, filtered, newest first, with what a list row shows."""
    queryset = case_scope(Case.objects.all(), user)
    return (
        apply_filters(queryset, filters)
        .select_related("org", "handler")
        .only(
            "id",
            "number",
            "kind",
            "source",
            "category",
            "summary",
            "status",
            "received_at",
            "deadline",
            "deadline_label",
            "region_code",
            "confidentiality",
            "org__name",
            "handler__full_name",
            "handler__username",
        )
        .order_by("-received_at", "-id")
    )


def case_inbox_paginator(*, user: User, filters: CaseFilters, per_page: int) -> CappedPaginator:
    """The inbox's pages, their ids read first: the open-case indexes (migration 0007) hold every
    column the filters compare, so a page of 超期 walks the index alone past the newest open cases,
    not yet overdue, and reads only its own rows (10 million cases: thousands of rows before)."""
    return CappedPaginator(case_list(user=user, filters=filters), per_page, ids_first=True)


# Timeline steps that are not workflow actions.
EVENT_LABELS = {
    "register": _("登记"),
    "merged_in": _("并入重复件"),
    "note": _("添加备注"),
    "recategorise": _("更正问题类别"),
    "attachment": _("上传附件"),
}


def case_timeline(case: Case) -> list[CaseEvent]:
    """The case's steps in order, each with `action_label` and `status_label` for display."""
    statuses = dict(Status.choices)
    events = list(case.events.select_related("actor").order_by("at", "id"))
    for event in events:
        action = ACTIONS.get(event.action)
        event.action_label = str(action.label if action else EVENT_LABELS.get(event.action, event.action))  # type: ignore[attr-defined]
        changed = event.to_status and event.to_status != event.from_status
        event.status_label = str(statuses.get(event.to_status, "")) if changed else ""  # type: ignore[attr-defined]
    return events


def case_allowed_actions(case: Case, user: User) -> list[Action]:
    return allowed_actions(case, user)


@dataclass(frozen=True)
class WorkloadItem:
    key: str
    label: str
    count: int
    url: str
    urgent: bool = False


def case_workload(*, user: User) -> list[WorkloadItem]:
    """The counts of the 工作台: cases in hand, overdue, due soon, and waiting for someone to take them."""
    from django.urls import reverse

    from .access import CASE_ROLES

    if not user.has_role(*CASE_ROLES):
        return []
    inbox = reverse("cases:inbox")
    rows = [
        (
            "mine",
            _("我承办的在办案件"),
            CaseFilters(handler_id=user.pk, open_only=True),
            f"handler={user.pk}&open_only=1",
            False,
        ),
        ("overdue", _("已超期"), CaseFilters(overdue=True), "overdue=on", True),
        ("due_soon", _("临期"), CaseFilters(due_soon=True), "due_soon=on", True),
        ("unclaimed", _("待认领"), CaseFilters(unclaimed=True), "unclaimed=1", False),
    ]
    return [
        WorkloadItem(
            key, str(label), case_list(user=user, filters=filters).count(), f"{inbox}?{query}", urgent
        )
        for key, label, filters, query, urgent in rows
    ]


# --- for the cadre registry (dossiers) ------------------------------------------------------


def reported_person_list(*, case_ids: list[int]) -> list[dict[str, Any]]:
    """The people named in these cases, as plain values (the resolver's mentions)."""
    from .models import ReportedPerson

    rows = (
        ReportedPerson.objects.filter(case_id__in=case_ids)
        .order_by("case_id", "pk")
        .values("pk", "case_id", "name", "org_name", "position", "cadre_key")
    )
    return [dict(row) for row in rows]


def cases_naming_cadres(*, user: User, cadre_keys: list[str]) -> QuerySet[Case]:
    """Cases the user may see with a reported person linked to one of these cadre keys."""
    return (
        case_scope(Case.objects.all(), user)
        .filter(reported_persons__cadre_key__in=cadre_keys)
        .distinct()
        .select_related("org")
        .order_by("-received_at", "-id")
    )


# --- for 廉情分析 (integrity): the daily run reads every case as plain values ----------------


def case_rows_for_integrity() -> list[dict[str, Any]]:
    """Every case not merged into another, as plain values with the cadre keys of its reported
    persons (the worker's whole installation, not a user's view: integrity scopes its results)."""
    from .models import ReportedPerson

    keys: dict[int, list[str]] = {}
    for case_id, key in ReportedPerson.objects.exclude(cadre_key="").values_list("case_id", "cadre_key"):
        keys.setdefault(case_id, []).append(key)
    rows = (
        Case.objects.filter(merged_into__isnull=True)
        .order_by("pk")
        .values(
            "pk", "number", "kind", "category", "region_code", "received_at", "concluded_at",
            "status", "disposal", "outcome", "form_level", "org_id", "confidentiality",
        )
    )  # fmt: skip
    result = []
    for values in rows.iterator(chunk_size=5000):
        row: dict[str, Any] = dict(values)
        row["cadre_keys"] = keys.get(row["pk"], [])
        result.append(row)
    return result


def case_overdue_count(*, user: User) -> int:
    """How many of the cases the user sees are past their deadline (the cockpit's figure)."""
    return case_list(user=user, filters=CaseFilters(overdue=True)).count()


def case_labels(*, user: User, case_ids: list[int]) -> dict[int, str]:
    """Number and category of each of these cases the user may see (others are left out)."""
    rows = case_scope(Case.objects.filter(pk__in=case_ids), user).only("pk", "number", "category")
    return {case.pk: f"{case} {case.get_category_display()}" for case in rows}


# Outcomes counted in the public statistics as 立案 and as 处分 (by the month a case concluded).
PUBLIC_OUTCOME_GROUPS: dict[str, tuple[str, ...]] = {
    "filed": ("investigation",),
    "sanctioned": ("light_sanction", "heavy_sanction"),
    "judicial": ("judicial_transfer",),
}


def public_month_counts(
    *, org_path: str, start: dt.date, end: dt.date
) -> dict[str, dict[tuple[str, dt.date], int]]:
    """Counts of a commission's whole tree (org path prefix) for the public statistics, per
    breakdown → (value, first day of month) → count, months from `start` to `end`:
    category, source (channel), disposal, form (四种形态) from the monthly tallies; outcome groups
    (立案, 处分, 移送司法) of cases concluded in the month."""
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth

    from .models import CaseMonthTally, TallyDimension

    result: dict[str, dict[tuple[str, dt.date], int]] = {}
    tallies = (
        CaseMonthTally.objects.filter(
            org__path__startswith=org_path,
            month__gte=start.replace(day=1),
            month__lte=end,
            dimension__in=[
                TallyDimension.CATEGORY,
                TallyDimension.SOURCE,
                TallyDimension.DISPOSAL,
                TallyDimension.FORM,
            ],
        )
        .values("dimension", "value", "month")
        .annotate(n=Sum("cases"))
        .order_by()
    )
    for row in tallies:
        if row["n"]:
            result.setdefault(row["dimension"], {})[(row["value"], row["month"])] = row["n"]
    group_of = {outcome: group for group, outcomes in PUBLIC_OUTCOME_GROUPS.items() for outcome in outcomes}
    tz = timezone.get_default_timezone()
    concluded = (
        Case.objects.filter(
            org__path__startswith=org_path,
            outcome__in=list(group_of),
            concluded_at__gte=dt.datetime.combine(start.replace(day=1), dt.time.min, tzinfo=tz),
            concluded_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        )
        .annotate(month=TruncMonth("concluded_at", tzinfo=tz))
        .values("outcome", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    outcomes = result.setdefault("outcome", {})
    for outcome_row in concluded:
        month = outcome_row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        key = (group_of[outcome_row["outcome"]], month)
        outcomes[key] = outcomes.get(key, 0) + outcome_row["n"]
    return result
