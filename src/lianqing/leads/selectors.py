"""Reads of the leads app: lists, per-rule summaries, filters, disappeared hits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import Count, Func, OuterRef, Q, QuerySet, Subquery, Sum, TextField, Value
from django.db.models.functions import Coalesce

from lianqing.core.models import User
from lianqing.core.names import region_label
from lianqing.leads.access import hit_scope, package_scope, run_scope
from lianqing.leads.models import DataPackage, Hit, HitTally, ImportStatus, OrgTally, RuleTally, ScanRun

FILTER_FIELDS = ("rule", "severity", "status", "change", "region", "org", "q")
ORG_SUMMARY_LIMIT = 10
SEARCH_COUNT_CAP = 10_000  # a search counts this many matches at most: narrow it instead


@dataclass(frozen=True)
class HitFilters:
    rule: str = ""
    severity: str = ""
    status: str = ""
    change: str = ""
    region: str = ""
    org: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: Any) -> HitFilters:
        return cls(**{name: str(query.get(name, "")).strip()[:100] for name in FILTER_FIELDS})

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FILTER_FIELDS if getattr(self, name)}


def package_list(*, user: User | AnonymousUser) -> QuerySet[DataPackage]:
    latest = ScanRun.objects.filter(package=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        package_scope(user)
        .select_related("org", "created_by")
        .annotate(
            run_count=Count("runs"),
            last_status=Subquery(latest.values("status")[:1]),
            last_run_id=Subquery(latest.values("pk")[:1]),
            last_hits=Subquery(latest.values("hits_count")[:1]),
        )
        .order_by("-created_at", "-id")
    )


def run_list(*, user: User | AnonymousUser, package: DataPackage | None = None) -> QuerySet[ScanRun]:
    runs = run_scope(user).select_related("package", "created_by")
    return runs.filter(package=package) if package is not None else runs


class SearchPairs(Func):
    """The distinct two-character pieces of a name and an id, upper-cased: PostgreSQL's
    lq_hit_search_pairs, which migration 0010 indexes with the hit's scan."""

    function = "lq_hit_search_pairs"
    output_field = ArrayField(TextField())


def _searched(hits: QuerySet[Hit], q: str) -> QuerySet[Hit]:
    """Hits whose name or id holds `q`. On PostgreSQL a two-character search first asks the pairs
    index (the trigram indexes hold nothing for it); the substring match decides either way."""
    if len(q) == 2 and connections[hits.db].vendor == "postgresql":
        pairs = SearchPairs("subject_name", "subject_id")
        hits = hits.alias(search_pairs=pairs).filter(search_pairs__contains=SearchPairs(Value(q), Value("")))
    return hits.filter(Q(subject_name__icontains=q) | Q(subject_id__icontains=q))


def hit_list(*, user: User | AnonymousUser, run: ScanRun, filters: HitFilters) -> QuerySet[Hit]:
    hits = hit_scope(user).filter(run=run)
    if filters.rule:
        hits = hits.filter(rule_id=filters.rule)
    if filters.severity:
        hits = hits.filter(severity=filters.severity)
    if filters.status:
        hits = hits.filter(status=filters.status)
    if filters.change:
        hits = hits.filter(change=filters.change)
    if filters.region:
        hits = hits.filter(region_code__startswith=filters.region)
    if filters.org:
        hits = hits.filter(subject_org_code__startswith=filters.org)
    if filters.q:
        hits = _searched(hits, filters.q)
    return hits.order_by("rule_id", "-amount", "subject_id")  # the index leads_hit_run_order


def rule_summary(*, hits: QuerySet[Hit]) -> list[dict[str, Any]]:
    """Per rule: hits, high-severity hits, pending hits, money involved (counted live)."""
    return list(
        hits.order_by()  # type: ignore[arg-type]
        .values("rule_id", "rule_name")
        .annotate(
            hits=Count("id"),
            high=Count("id", filter=Q(severity="高")),
            pending=Count("id", filter=Q(status="pending")),
            amount=Sum("amount"),
        )
        .order_by("rule_id")
    )


def org_summary(*, hits: QuerySet[Hit], limit: int = ORG_SUMMARY_LIMIT) -> list[dict[str, Any]]:
    """The orgs with the most hits: hits, high-severity hits, money involved (counted live)."""
    return list(
        hits.exclude(subject_org_code="")
        .order_by()  # type: ignore[arg-type]
        .values("subject_org_code", "subject_org_name")
        .annotate(hits=Count("id"), high=Count("id", filter=Q(severity="高")), amount=Sum("amount"))
        .order_by("-hits", "subject_org_code")[:limit]
    )


@dataclass(frozen=True)
class HitOverview:
    """What the hit list shows beside its page: the count (None: count the page's list, capped)
    and the per-rule and per-org summaries of the filtered hits."""

    count: int | None
    summary: list[dict[str, Any]]
    org_summary: list[dict[str, Any]]
    # A search's matches by id, in list order: its pages read these rows, not the search again.
    found: QuerySet[Hit] | None = None


def _tallies(run: ScanRun, filters: HitFilters, *, by_org: bool = False) -> QuerySet[Any]:
    """The fewest tally rows that answer these filters: the coarse sums (per rule, or per unit
    for the unit summary) unless a filter needs a finer key, else the fine tallies."""
    fine = bool(filters.region or filters.org or (by_org and filters.rule))
    model: type[HitTally | RuleTally | OrgTally] = HitTally if fine else OrgTally if by_org else RuleTally
    rows = model._default_manager.filter(run=run, hits__gt=0)
    for name, field in (
        ("rule", "rule_id"),
        ("severity", "severity"),
        ("status", "status"),
        ("change", "change"),
    ):
        if getattr(filters, name):
            rows = rows.filter(**{field: getattr(filters, name)})
    if filters.region:  # only the fine tallies know regions
        rows = rows.filter(Q(region_code__startswith=filters.region))
    if filters.org:
        rows = rows.filter(Q(subject_org_code__startswith=filters.org))
    return rows.order_by()


def _summed(name: str, condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum(name, filter=condition), 0)


def _renamed(row: Mapping[str, Any], *, pending: bool = True) -> dict[str, Any]:
    """A tally sum under the name the live summaries give it (the template reads both)."""
    names = {"hits": "total", "high": "high", "pending": "pending", "amount": "money"}
    return {name: row[summed] for name, summed in names.items() if pending or name != "pending"}


def hit_overview(*, hits: QuerySet[Hit], run: ScanRun, filters: HitFilters) -> HitOverview:
    """The list's count and summaries: from the scan's tallies, or counted live when the search
    box is used (the tallies do not know names; a search narrows the hits to a few)."""
    if filters.q:
        # The substring search reads the trigram index once; the count, summaries and page then
        # read the matches by id (four searches of a province's scan cost a second).
        ids = list(hits.order_by().values_list("pk", flat=True)[: SEARCH_COUNT_CAP + 1])
        if len(ids) > SEARCH_COUNT_CAP:
            return HitOverview(None, rule_summary(hits=hits), org_summary(hits=hits))
        found = hits.model.objects.filter(pk__in=ids).order_by(*hits.query.order_by)
        return HitOverview(len(ids), rule_summary(hits=found), org_summary(hits=found), found)
    rows = _tallies(run, filters)
    org_rows = _tallies(run, filters, by_org=True)
    sums = {
        "total": _summed("hits"),  # "hits" names the tally field itself
        "high": _summed("hits", Q(severity="高")),
        "pending": _summed("hits", Q(status="pending")),
        "money": Sum("amount"),
    }
    summary = [
        {"rule_id": row["rule_id"], "rule_name": row["rule_name"], **_renamed(row)}
        for row in rows.values("rule_id", "rule_name").annotate(**sums).order_by("rule_id")
    ]
    orgs = [
        {
            "subject_org_code": row["subject_org_code"],
            "subject_org_name": row["subject_org_name"],
            **_renamed(row, pending=False),
        }
        for row in org_rows.exclude(subject_org_code="")
        .values("subject_org_code", "subject_org_name")
        .annotate(**sums)
        .order_by("-total", "subject_org_code")[:ORG_SUMMARY_LIMIT]
    ]
    count: int = sum(row["hits"] for row in summary)  # type: ignore[misc]
    return HitOverview(count, summary, orgs)


def hit_export_count(*, hits: QuerySet[Hit], run: ScanRun, filters: HitFilters, cap: int) -> int:
    """How many hits an export of the list holds (at most `cap`), known before its first row is
    read: the tallies' sum, or the search's matches counted."""
    if filters.q:
        return hits.order_by()[:cap].count()  # type: ignore[arg-type]
    total: int = _tallies(run, filters).aggregate(total=_summed("hits"))["total"]
    return min(total, cap)


def hit_facets(*, run: ScanRun) -> dict[str, list[Any]]:
    """The values the filters offer for a scan: stored with its tallies (hits do not change
    these), else read from the tallies."""
    stored = run.summary.get("facets")
    if stored:
        return {
            "rules": stored["rules"],
            "regions": [{"code": code, "name": region_label(code) or code} for code in stored["regions"]],
            "orgs": [tuple(pair) for pair in stored["orgs"]],
        }
    rows = HitTally.objects.filter(run=run).order_by()
    return {
        "rules": list(rows.values_list("rule_id", flat=True).distinct().order_by("rule_id")),
        "regions": [
            {"code": code, "name": region_label(code) or code}
            for code in rows.exclude(region_code="")
            .values_list("region_code", flat=True)
            .distinct()
            .order_by("region_code")
        ],
        "orgs": list(
            rows.exclude(subject_org_code="")
            .values_list("subject_org_code", "subject_org_name")
            .distinct()
            .order_by("subject_org_code")
        ),
    }


def disappeared_hits(*, run: ScanRun) -> QuerySet[Hit]:
    """Hits of the previous scan of the same scope that this scan no longer finds."""
    if run.previous_run_id is None:
        return Hit.objects.none()
    current = Hit.objects.filter(run=run).values("fingerprint")
    return (
        Hit.objects.filter(run_id=run.previous_run_id)
        .exclude(fingerprint__in=current)
        .order_by("rule_id", "subject_id")
    )


def hit_history(*, hit: Hit) -> QuerySet[Hit]:
    """Earlier hits of the same 疑点 in the same scope, newest first."""
    return (
        Hit.objects.filter(org_id=hit.org_id, fingerprint=hit.fingerprint)
        .exclude(pk=hit.pk)
        .select_related("run__package", "decided_by")
        .order_by("-run__created_at")
    )


def hits_naming(*, user: User | AnonymousUser, person_ids: list[str], org_codes: list[str]) -> list[Hit]:
    """疑点 whose subject or evidence names one of these people or units, newest run first, each
    finding once (the latest occurrence of its fingerprint)."""
    condition = Q(subject_org_code__in=org_codes) if org_codes else Q(pk__in=[])
    for person_id in person_ids:
        if person_id:
            condition |= Q(subject_id__startswith=person_id) | Q(record_ids__contains=person_id)
    hits = hit_scope(user).filter(condition).select_related("run", "case").order_by("-run_id", "rule_id")
    seen: set[str] = set()
    unique = []
    for hit in hits[:500]:
        if hit.fingerprint not in seen:
            seen.add(hit.fingerprint)
            unique.append(hit)
    return unique


# --- for 廉情分析 (integrity): the daily run reads every finding once ------------------------


def hit_rows_for_integrity() -> list[dict[str, Any]]:
    """Every 疑点 once (its latest occurrence), with the day it was first found, as plain values."""
    from django.db.models import Max, Min

    from lianqing.leads.categories import rule_category

    spans = {
        row["fingerprint"]: row
        for row in Hit.objects.values("org_id", "fingerprint").annotate(
            first_run=Min("run_id"), last_hit=Max("pk")
        )
    }
    first_seen = dict(
        ScanRun.objects.filter(pk__in={s["first_run"] for s in spans.values()}).values_list(
            "pk", "created_at"
        )
    )
    rows = Hit.objects.filter(pk__in=[s["last_hit"] for s in spans.values()]).values(
        "pk",
        "fingerprint",
        "org_id",
        "region_code",
        "subject_org_code",
        "subject_id",
        "rule_id",
        "severity",
        "status",
    )
    categories: dict[str, str] = {}
    result = []
    for values in rows.iterator(chunk_size=5000):
        row: dict[str, Any] = dict(values)
        span = spans[row["fingerprint"]]
        seen = first_seen.get(span["first_run"])
        if row["rule_id"] not in categories:
            categories[row["rule_id"]] = rule_category(row["rule_id"])
        row["category"] = categories[row["rule_id"]]
        row["found_on"] = seen.date() if seen else None
        result.append(row)
    return result


def hit_pending_count(*, user: User | AnonymousUser) -> int:
    """疑点 waiting for a decision among those the user sees (the 工作台's figure)."""
    from lianqing.leads.models import HitStatus

    return hit_scope(user).filter(status=HitStatus.PENDING).values("fingerprint").distinct().count()


def hit_labels(*, user: User | AnonymousUser, hit_ids: list[int]) -> dict[int, str]:
    """Rule name and subject of each of these 疑点 the user may see (others are left out)."""
    rows = hit_scope(user).filter(pk__in=hit_ids).only("pk", "rule_name", "subject_name")
    return {hit.pk: f"{hit.rule_name}：{hit.subject_name}" for hit in rows}


def package_ready_list(*, user: User | AnonymousUser) -> QuerySet[DataPackage]:
    """Packages the user may read whose import has finished, newest first."""
    return package_scope(user).filter(import_status=ImportStatus.READY).order_by("-created_at", "-id")


def package_dataset_rows(*, package: DataPackage, dataset: str) -> list[dict[str, Any]]:
    """The rows of one dataset of an imported package, or [] when the package lacks it."""
    path = Path(package.path) / f"{dataset}.parquet"
    if not package.is_ready or not path.is_file():
        return []
    return pq.read_table(path).to_pylist()
