"""Reads of 廉情分析: the cockpit, the lists it drills down to, a warning's items, a score's reasons.

The cockpit reads the app's own history tables (a few indexed queries, whatever the size of the
province) and one count of the cases selectors (overdue cases).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db.models import Count, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lianqing.analytics.trends import TrendParams
from lianqing.cases.models import Category
from lianqing.cases.selectors import case_labels, case_overdue_count
from lianqing.core.models import Org, User
from lianqing.core.names import region_label
from lianqing.leads.selectors import hit_labels

from .access import map_org, mask_name, may_read_names, scope_path, score_scope, warning_scope
from .configuration import active_config
from .models import (
    ActivityMonth,
    Colour,
    DistrictMap,
    IndexScore,
    RefreshRun,
    SubjectKind,
    Warning,
    WarningKind,
    WarningStatus,
)

COLOUR_HEX: dict[str, str] = {
    Colour.GREEN: "#2e7d32",
    Colour.YELLOW: "#f9a825",
    Colour.ORANGE: "#ef6c00",
    Colour.RED: "#c62828",
}
COLOUR_CSS: dict[str, str] = {
    Colour.GREEN: "green",
    Colour.YELLOW: "yellow",
    Colour.ORANGE: "orange",
    Colour.RED: "red",
}
SOURCES = (("report", _("信访举报")), ("lead", _("问题线索")), ("hit", _("数据碰撞疑点")))
TOP = 10
TREEMAP_LEAVES = 1500  # above this many units the treemap shows one tile per org


def category_label(code: str) -> str:
    try:
        return str(Category(code).label)
    except ValueError:
        return code


def latest_month(user: User) -> dt.date | None:
    # The newest month first along the (month, kind, score) index: a province's million rows are not
    # aggregated for one date.
    return score_scope(user).order_by("-month").values_list("month", flat=True).first()


def subject_label(score: IndexScore, user: User) -> str:
    if score.subject_kind == SubjectKind.CADRE and not may_read_names(user):
        return mask_name(score.subject_name)
    return score.subject_name


@dataclass
class Cockpit:
    month: dt.date | None
    colours: list[dict[str, Any]] = field(default_factory=list)
    treemap: list[dict[str, Any]] = field(default_factory=list)
    open_warnings: list[Warning] = field(default_factory=list)
    open_by_kind: list[dict[str, Any]] = field(default_factory=list)
    open_total: int = 0
    activity: list[dict[str, Any]] = field(default_factory=list)
    overdue_cases: int = 0
    risky_units: list[dict[str, Any]] = field(default_factory=list)
    risky_cadres: list[dict[str, Any]] = field(default_factory=list)
    has_map: bool = False
    map_values: list[dict[str, Any]] = field(default_factory=list)


class UnitScore(NamedTuple):
    """A unit's score as the cockpit reads it: plain values, not model instances (a province has
    ten thousand units, and building as many model objects was most of the cockpit's time)."""

    pk: int
    subject_name: str
    score: float
    colour: str
    org_id: int


def _treemap(user: User, units: list[UnitScore]) -> list[dict[str, Any]]:
    """The org tree of the jurisdiction with its units as leaves, coloured by their index."""
    path = scope_path(user) or ""
    orgs = list(Org.objects.filter(path__startswith=path).only("pk", "name", "parent_id", "path"))
    children: dict[int | None, list[Org]] = defaultdict(list)
    for org in orgs:
        children[org.parent_id].append(org)
    leaves: dict[int, list[dict[str, Any]]] = defaultdict(list)
    score_list = reverse("integrity:score_list")
    if len(units) > TREEMAP_LEAVES:
        # A province: one tile per org, sized by its units and coloured by its lowest-scoring
        # fifth (the leader looks for trouble, which an average hides); the tile opens the list.
        by_org: dict[int, list[float]] = defaultdict(list)
        for score in units:
            by_org[score.org_id].append(score.score)
        config_colour = active_config()[1].colour
        for org_id, values in by_org.items():
            values.sort()
            worst = values[: max(1, len(values) // 5)]
            level = sum(worst) / len(worst)
            colour = config_colour(level)
            leaves[org_id].append(
                {"name": _("%(n)s 个单位") % {"n": len(values)}, "value": len(values), "score": round(level, 1),
                 "colour": colour, "itemStyle": {"color": COLOUR_HEX.get(colour, "#888")},
                 "link": f"{score_list}?org={org_id}"}
            )  # fmt: skip
        units = []
    for score in units:
        leaves[score.org_id].append(
            {
                "name": score.subject_name,
                "value": 1,
                "score": round(score.score, 1),
                "colour": score.colour,
                "itemStyle": {"color": COLOUR_HEX.get(score.colour, "#888")},
                "link": f"{reverse('integrity:score_detail', args=[score.pk])}",
            }
        )

    def node(org: Org) -> dict[str, Any] | None:
        kids = [n for child in children.get(org.pk, []) if (n := node(child))]
        kids += leaves.get(org.pk, [])
        if not kids:
            return None
        return {"name": org.name, "children": kids, "link": f"{score_list}?org={org.pk}"}

    roots = [org for org in orgs if org.path == path] or [o for o in orgs if o.parent_id is None]
    return [n for org in roots if (n := node(org))]


def _activity(user: User, today: dt.date) -> list[dict[str, Any]]:
    path = scope_path(user) or ""
    month = today.replace(day=1)
    first = dt.date(month.year - 1, month.month, 1)
    rows = (
        ActivityMonth.objects.filter(org__path__startswith=path, month__gte=first)
        .values("source", "month")
        .annotate(total=Sum("count"))
    )
    now: dict[str, int] = defaultdict(int)
    before: dict[str, int] = defaultdict(int)
    for row in rows:
        (now if row["month"] == month else before)[row["source"]] += row["total"]
    days = (dt.date(month.year + month.month // 12, month.month % 12 + 1, 1) - month).days
    share = today.day / days
    links = {
        "report": reverse("integrity:warning_list"),
        "lead": reverse("integrity:warning_list"),
        "hit": reverse("integrity:warning_list"),
    }
    result = []
    for source, label in SOURCES:
        baseline = before[source] / 12
        expected = baseline * share
        result.append(
            {
                "source": source,
                "label": str(label),
                "count": now[source],
                "baseline": round(baseline, 1),
                "expected": round(expected, 1),
                "high": now[source] > expected * 1.5 and now[source] >= 3,
                "link": links[source],
            }
        )
    return result


COCKPIT_CACHE_SECONDS = 600


def _unit_figures(
    user: User, scores: QuerySet[IndexScore], month: dt.date, *, with_map: bool
) -> dict[str, Any]:
    """The colours, treemap, map values and riskiest units of a month: what the cockpit draws from
    every unit's score. They change only when the daily run writes new scores, so they are kept in
    the cache per jurisdiction, month, language and run (a province's 10,000 scores are read once
    per run, not per page)."""
    last_run = RefreshRun.objects.order_by("-started_at", "-id").values_list("pk", "finished_at").first()
    last_score = (
        IndexScore.objects.order_by("-pk").values_list("pk", flat=True).first()
    )  # rows are only added
    parts = (scope_path(user), month, get_language(), with_map, last_score, *(last_run or ("", "")))
    key = "integrity:cockpit:" + ":".join(str(part) for part in parts)
    cached: dict[str, Any] | None = cache.get(key)
    if cached is not None:
        return cached
    units = [
        UnitScore(*row)
        for row in scores.filter(month=month, subject_kind=SubjectKind.UNIT).values_list(
            "pk", "subject_name", "score", "colour", "org_id"
        )
    ]
    counts = dict.fromkeys(Colour, 0)
    for unit in units:
        counts[Colour(unit.colour)] += 1
    score_list = reverse("integrity:score_list")
    figures = {
        "colours": [
            {
                "colour": colour.value,
                "label": str(colour.label),
                "count": counts[colour],
                "hex": COLOUR_HEX[colour],
                "css": COLOUR_CSS[colour],
                "link": f"{score_list}?colour={colour.value}",
            }
            for colour in Colour
        ],
        "treemap": _treemap(user, units),
        "map_values": [{"name": u.subject_name, "value": round(u.score, 1)} for u in units] if with_map else [],
        "risky_units": [
            {"name": u.subject_name, "score": round(u.score, 1), "colour": u.colour, "css": COLOUR_CSS[Colour(u.colour)],
             "link": reverse("integrity:score_detail", args=[u.pk])}
            for u in heapq.nsmallest(TOP, units, key=lambda u: (u.score, u.subject_name))
        ],
    }  # fmt: skip
    cache.set(key, figures, COCKPIT_CACHE_SECONDS)
    return figures


def cockpit(*, user: User, today: dt.date | None = None) -> Cockpit:
    today = today or timezone.localdate()
    month = latest_month(user)
    result = Cockpit(month=month)
    scores = score_scope(user)
    if month is not None:
        org = map_org(user)
        result.has_map = org is not None and DistrictMap.objects.filter(org=org).exists()
        units = _unit_figures(user, scores, month, with_map=result.has_map)
        result.colours = units["colours"]
        result.treemap = units["treemap"]
        result.map_values = units["map_values"]
        result.risky_units = units["risky_units"]
        cadres = scores.filter(month=month, subject_kind=SubjectKind.CADRE).order_by("score", "subject_id")[
            :TOP
        ]
        result.risky_cadres = [
            {"name": subject_label(c, user), "score": round(c.score, 1), "colour": c.colour,
             "css": COLOUR_CSS[Colour(c.colour)], "link": reverse("integrity:score_detail", args=[c.pk])}
            for c in cadres
        ]  # fmt: skip
    warnings = warning_scope(user).exclude(status=WarningStatus.CLOSED)
    by_kind = dict(warnings.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    warning_list = reverse("integrity:warning_list")
    result.open_by_kind = [
        {"kind": kind.value, "label": str(kind.label), "count": by_kind.get(kind.value, 0),
         "link": f"{warning_list}?kind={kind.value}"}
        for kind in WarningKind
    ]  # fmt: skip
    result.open_total = sum(by_kind.values())
    result.open_warnings = list(warnings.order_by("-month", "-score", "pk")[:8])
    for warning in result.open_warnings:
        warning.subject = warning_subject(warning)  # type: ignore[attr-defined]
    result.activity = _activity(user, today)
    result.overdue_cases = case_overdue_count(user=user)
    if month is None:
        org = map_org(user)
        result.has_map = org is not None and DistrictMap.objects.filter(org=org).exists()
    return result


# --- drill-down lists -----------------------------------------------------------------------


@dataclass(frozen=True)
class WarningFilters:
    kind: str = ""
    status: str = ""  # "" = open ones, "all", or a status

    @classmethod
    def from_query(cls, query: Any) -> WarningFilters:
        kind = str(query.get("kind", ""))
        status = str(query.get("status", ""))
        return cls(
            kind=kind if kind in WarningKind.values else "",
            status=status if status in [*WarningStatus.values, "all"] else "",
        )


def warning_list(*, user: User, filters: WarningFilters) -> QuerySet[Warning]:
    warnings = warning_scope(user).select_related("owner")
    if filters.kind:
        warnings = warnings.filter(kind=filters.kind)
    if filters.status == "":
        warnings = warnings.exclude(status=WarningStatus.CLOSED)
    elif filters.status != "all":
        warnings = warnings.filter(status=filters.status)
    return warnings.order_by("-month", "-score", "pk")


def score_list(*, user: User, kind: str, colour: str = "", org_id: int | None = None) -> QuerySet[IndexScore]:
    month = latest_month(user)
    if month is None:
        return IndexScore.objects.none()
    scores = score_scope(user).filter(month=month, subject_kind=kind)
    if colour in Colour.values:
        scores = scores.filter(colour=colour)
    if org_id is not None:
        org = Org.objects.filter(pk=org_id).only("path").first()
        scores = scores.filter(org__path__startswith=org.path) if org else scores.none()
    return scores.order_by("score", "subject_id")


def score_history(*, user: User, score: IndexScore) -> list[IndexScore]:
    return list(
        score_scope(user)
        .filter(subject_kind=score.subject_kind, subject_id=score.subject_id)
        .order_by("-month")
        .only("pk", "month", "score", "colour", "version")[:24]
    )


def _ids(refs: list[str], prefix: str) -> list[int]:
    return [
        int(ref.split(":", 1)[1]) for ref in refs if ref.startswith(prefix) and ref.split(":", 1)[1].isdigit()
    ]


def item_links(*, user: User, refs: list[str], month: dt.date | None = None) -> list[dict[str, str]]:
    """Each source item as a label and, where the user may open it, a link."""
    cases = case_labels(user=user, case_ids=_ids(refs, "case:"))
    hits = hit_labels(user=user, hit_ids=_ids(refs, "hit:"))
    cadre_scores: dict[str, int] = {}
    cadre_refs = [ref.split(":", 1)[1] for ref in refs if ref.startswith("cadre:")]
    if cadre_refs and month is not None:
        cadre_scores = dict(
            score_scope(user)
            .filter(month=month, subject_kind=SubjectKind.CADRE, subject_id__in=cadre_refs)
            .values_list("subject_id", "pk")
        )
    warnings = set(warning_scope(user).filter(pk__in=_ids(refs, "warning:")).values_list("pk", flat=True))
    links = []
    for ref in refs:
        kind, _sep, key = ref.partition(":")
        label, url = "", ""
        if kind == "case":
            label = cases.get(int(key), "") if key.isdigit() else ""
            url = reverse("cases:detail", args=[int(key)]) if label else ""
            label = label or _("案件（无权查看）")
        elif kind == "hit":
            label = hits.get(int(key), "") if key.isdigit() else ""
            url = reverse("leads:hit_detail", args=[int(key)]) if label else ""
            label = label or _("疑点（无权查看）")
        elif kind == "cadre":
            label = _("所属干部的扣分")
            url = reverse("integrity:score_detail", args=[cadre_scores[key]]) if key in cadre_scores else ""
        elif kind == "warning":
            label = _("未销号预警")
            url = reverse("integrity:warning_detail", args=[int(key)]) if int(key) in warnings else ""
        elif kind == "sanction":
            label = _("处分或组织处理（影响期内）")
        elif kind == "record":
            label = _("巡察或审计发现问题（未整改）")
        links.append({"ref": ref, "label": str(label), "url": url})
    return links


def warning_subject(warning: Warning) -> str:
    region = region_label(warning.region_code)
    if warning.unit_name:
        return (
            _("%(unit)s（%(region)s）") % {"unit": warning.unit_name, "region": region}
            if region
            else warning.unit_name
        )
    return region or warning.region_code


def warning_explanation(warning: Warning) -> str:
    """The model's reasons in the reader's language, from the warning's own figures (the stored
    `explanation` is the library's Chinese text, as `lianqing trends` writes it to warnings.csv).
    The score is −log10 of the chance for a rise or a concentration, the CUSUM for a trend."""
    params = TrendParams()
    facts: dict[str, object] = {
        "month": f"{warning.month:%Y-%m}",
        "subject": warning_subject(warning),
        "category": category_label(warning.category),
        "count": warning.observed,
        "expected": warning.expected,
    }
    if warning.kind == WarningKind.TREND:
        facts.update(evidence=warning.score, limit=f"{params.cusum_limit:g}")
        return (
            _(
                "%(month)s %(subject)s「%(category)s」类近几个月持续高于基线：本月 %(count)s 件、预期 "
                "%(expected).1f 件，累积证据 %(evidence).1f 达到阈值 %(limit)s，属持续上升（倾向性）。"
            )
            % facts
        )
    if warning.kind == WarningKind.BURST:
        facts.update(days=params.burst_days)
        return (
            _(
                "%(month)s %(subject)s「%(category)s」类在 %(days)s 天内集中出现 %(count)s 件，"
                "按基线同样天数预期 %(expected).1f 件，属短期集中反映。"
            )
            % facts
        )
    facts.update(ratio=warning.observed / max(warning.expected, 1e-6), chance=f"{10**-warning.score:.1g}")
    return (
        _(
            "%(month)s %(subject)s「%(category)s」类 %(count)s 件，基线预期 %(expected).1f 件（已计季节和春节因素），"
            "为预期的 %(ratio).1f 倍，偶然出现的概率约 %(chance)s，属突然上升（苗头性）。"
        )
        % facts
    )


def warning_chart(warning: Warning) -> dict[str, Any]:
    """The series' monthly counts beside the model's expected count and 95% band in every month it
    judged (rows stored before the band was kept month by month have it for the warning's month)."""
    month = f"{warning.month:%Y-%m}"
    expected: list[float | None] = []
    low: list[float | None] = []
    high: list[float | None] = []
    for row in warning.history:
        values = list(row[2:5]) if len(row) >= 5 else [None, None, None]
        if row[0] == month and values[0] is None:
            values = [warning.expected, warning.band_low, warning.band_high]
        expected.append(values[0])
        low.append(values[1])
        high.append(values[2])
    return {
        "months": [row[0] for row in warning.history],
        "counts": [row[1] for row in warning.history],
        "month": month,
        "expected": expected,
        "low": low,
        "high": high,
        "labels": {"observed": _("实际件数"), "expected": _("预期件数"), "band": _("预期区间（95%）")},
    }
