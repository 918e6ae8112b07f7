"""The daily run: events and index items from the other apps' selectors, the same library code as
`lianqing trends`, and an idempotent upsert of this month's scores and of every warning.

Reports and leads (cases selectors), 疑点 (leads selectors), sanctions, unrectified findings and the
registry (dossiers selectors) are read as plain values; nothing here touches another app's table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from django.db import transaction
from django.utils import timezone

from lianqing.analytics.trends import warnings_for_events
from lianqing.analytics.trends.detect import Detection
from lianqing.analytics.trends.index import CADRE, UNIT, compute_index, items_table
from lianqing.cases.models import FORM_OF_OUTCOME, Disposal, Kind
from lianqing.cases.selectors import case_rows_for_integrity
from lianqing.core.models import Org, OrgKind
from lianqing.dossiers.selectors import registry_rows_for_integrity
from lianqing.leads.models import HitStatus
from lianqing.leads.selectors import hit_rows_for_integrity

from .configuration import active_config
from .models import ActivityMonth, IndexScore, RefreshRun, Warning, WarningStatus

HISTORY_MONTHS = 24
ITEMS_PER_WARNING = 200
HIT_INDICATOR = {"高": "hit_high", "中": "hit_medium", "低": "hit_low"}
DECLARATION_RULES = ("D",)  # rules over declarations: a discrepancy, not an open 疑点


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _day(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value  # type: ignore[no-any-return]


@dataclass
class Gathered:
    events: list[dict[str, object]] = field(default_factory=list)
    items: list[dict[str, object]] = field(default_factory=list)
    # (unit, category, region, month) -> event ids; the region series ('', category, region, month)
    series_items: dict[tuple[str, str, str, str], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )
    activity: Counter[tuple[int, str, str]] = field(default_factory=Counter)  # (org, month, source)


class _Registry:
    def __init__(self, on: dt.date) -> None:
        rows = registry_rows_for_integrity(on=on)
        self.rows = rows
        self.units = {unit["code"]: unit for unit in rows.units}
        self.cadres = {str(cadre["pk"]): cadre for cadre in rows.cadres}
        self.by_person = {cadre["person_id"]: cadre for cadre in rows.cadres if cadre["person_id"]}

    def unit_of(self, cadre_keys: list[str]) -> str:
        for key in cadre_keys:
            cadre = self.cadres.get(key)
            if cadre and cadre["unit_code"]:
                return str(cadre["unit_code"])
        return ""


def _gather(registry: _Registry, as_of: dt.date) -> Gathered:
    found = Gathered()

    def event(
        ref: str, day: dt.date, unit: str, category: str, region: str, org_id: int, source: str
    ) -> None:
        month = _month(day)
        found.activity[(org_id, month, source)] += 1
        if source == "hit":
            # A scan finds a package's whole backlog on the day it runs: the day is the scan's,
            # not the problem's, so 疑点 weigh in the index and the cockpit's figures but do not
            # enter the monthly warning series (they would all "rise" in the month of each scan).
            return
        found.events.append(
            {
                "event_id": ref,
                "date": day.isoformat(),
                "unit_code": unit,
                "category": category,
                "region_code": region,
            }
        )
        if unit:
            found.series_items[(unit, category, region, month)].append(ref)
        if region:
            found.series_items[("", category, region, month)].append(ref)

    def item(kind: str, subject: str, indicator: str, ref: str, day: dt.date | None) -> None:
        found.items.append(
            {
                "subject_kind": kind,
                "subject_id": subject,
                "indicator": indicator,
                "item_ref": ref,
                "date": day,
            }
        )

    for case in case_rows_for_integrity():
        received = _day(case["received_at"])
        if received is None or received > as_of:
            continue
        ref = f"case:{case['pk']}"
        source = "report" if case["kind"] == Kind.PETITION else "lead"
        unit = registry.unit_of(case["cadre_keys"])
        event(ref, received, unit, case["category"], case["region_code"], case["org_id"], source)
        concluded = _day(case["concluded_at"]) or received
        for key in case["cadre_keys"]:
            if key not in registry.cadres:
                continue
            if case["kind"] == Kind.PETITION:
                item(CADRE, key, "report_received", ref, received)
                if case["outcome"] in FORM_OF_OUTCOME:
                    item(CADRE, key, "report_substantiated", ref, concluded)
            elif case["kind"] == Kind.LEAD and case["disposal"] == Disposal.TALK:
                item(CADRE, key, "lead_talk", ref, concluded)
            elif case["kind"] == Kind.INVESTIGATION:
                item(CADRE, key, "lead_investigation", ref, received)
            if case["form_level"] in (1, 2, 3, 4):
                item(CADRE, key, f"form_{case['form_level']}", ref, concluded)

    for hit in hit_rows_for_integrity():
        day = hit["found_on"]
        if day is None or day > as_of:
            continue
        ref = f"hit:{hit['pk']}"
        cadre = registry.by_person.get(str(hit["subject_id"])[:18])
        unit = hit["subject_org_code"] if hit["subject_org_code"] in registry.units else ""
        unit = unit or (cadre["unit_code"] if cadre else "")
        event(ref, day, unit, hit["category"], hit["region_code"], hit["org_id"], "hit")
        if hit["status"] != HitStatus.PENDING:
            continue
        declaration = hit["rule_id"].startswith(DECLARATION_RULES)
        indicator = (
            "declaration_discrepancy" if declaration else HIT_INDICATOR.get(hit["severity"], "hit_low")
        )
        if cadre is not None:
            item(CADRE, str(cadre["pk"]), indicator, ref, day if declaration else None)
        elif unit:
            item(UNIT, unit, indicator, ref, day if declaration else None)

    for sanction in registry.rows.sanctions:
        if sanction["in_effect"] and sanction["decided_on"] <= as_of:
            item(CADRE, str(sanction["cadre_id"]), "sanction_in_effect", f"sanction:{sanction['pk']}", None)
    for finding in registry.rows.open_findings:
        ref = f"record:{finding['pk']}"
        if finding["cadre_id"]:
            item(CADRE, str(finding["cadre_id"]), "finding_open", ref, None)
        elif finding["unit_code"]:
            item(UNIT, finding["unit_code"], "finding_open", ref, None)
    return found


def _region_orgs() -> tuple[dict[str, int], int | None]:
    """Which org a region-level warning belongs to: the commission of that region, else the top."""
    # Deepest first, so the last (shallowest) commission of a region wins.
    by_region: dict[str, int] = {
        region: pk
        for pk, region in Org.objects.filter(kind__in=[OrgKind.COMMISSION, OrgKind.TOWNSHIP])
        .exclude(region_code="")
        .order_by("-path")
        .values_list("pk", "region_code")
    }
    top = Org.objects.filter(parent__isnull=True).order_by("path").values_list("pk", flat=True).first()
    return by_region, top


def _history(
    found: Gathered, key: tuple[str, str, str], month: str, detection: Detection
) -> list[list[object]]:
    """[[YYYY-MM, count, expected, band low, band high], …] of the series up to the warning's month;
    the last three are None in months the model did not judge (too little history)."""
    year, number = int(month[:4]), int(month[5:])
    labels = []
    for back in range(HISTORY_MONTHS - 1, -1, -1):
        total = year * 12 + number - 1 - back
        labels.append(f"{total // 12:04d}-{total % 12 + 1:02d}")
    baseline = detection.baseline(key, labels)
    return [
        [label, len(found.series_items.get((*key, label), ())),
         *((round(b[0], 2), b[1], b[2]) if b else (None, None, None))]
        for label, b in zip(labels, baseline, strict=True)
    ]  # fmt: skip


@transaction.atomic
def _store_warnings(result: Any, found: Gathered, registry: _Registry) -> list[Warning]:
    by_region, top = _region_orgs()
    rows = []
    for w in result.warnings:
        unit = registry.units.get(w.unit_code)
        org_id = (
            unit["org_id"]
            if unit
            else by_region.get(w.region_code) or by_region.get(w.region_code[:6]) or top
        )
        if org_id is None:
            continue
        key = (w.unit_code, w.category, w.region_code)
        rows.append(
            Warning(
                kind=w.kind,
                unit_code=w.unit_code,
                unit_name=unit["name"] if unit else "",
                category=w.category,
                region_code=w.region_code,
                month=dt.date(int(w.month[:4]), int(w.month[5:]), 1),
                observed=w.observed,
                expected=w.expected,
                band_low=w.band_low,
                band_high=w.band_high,
                score=w.score,
                explanation=w.explanation,
                items=found.series_items.get((*key, w.month), [])[:ITEMS_PER_WARNING],
                history=_history(found, key, w.month, result.detection),
                org_id=org_id,
            )
        )
    Warning.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["unit_code", "category", "region_code", "kind", "month"],
        update_fields=[
            "unit_name", "observed", "expected", "band_low", "band_high", "score", "explanation", "items",
            "history", "org",
        ],
    )  # fmt: skip
    _drop_stale_region_copies(rows)
    return rows


def _drop_stale_region_copies(rows: list[Warning]) -> None:
    """Region warnings an earlier run stored that this run no longer raises (before 2026-12 every
    unit warning was copied to its region) go, unless someone has already acted on them."""
    raised = {(w.unit_code, w.category, w.region_code, w.kind, w.month) for w in rows}
    untouched = Warning.objects.filter(
        unit_code="", status=WarningStatus.WARNED, owner__isnull=True, version=0
    ).values_list("pk", "unit_code", "category", "region_code", "kind", "month")
    stale = [pk for pk, *key in untouched if tuple(key) not in raised]
    if stale:
        Warning.objects.filter(pk__in=stale).delete()


@transaction.atomic
def _store_scores(index: Any, registry: _Registry, month: dt.date, now: dt.datetime) -> int:
    deductions: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
    for row in index.deductions.to_pylist():
        deductions[(row["subject_kind"], row["subject_id"])].append(
            {
                "indicator": row["indicator"],
                "name": row["name"],
                "points": row["points"],
                "items": row["items"],
            }
        )
    rows = []
    for row in index.scores.to_pylist():
        kind, subject = row["subject_kind"], row["subject_id"]
        if kind == UNIT:
            unit = registry.units.get(subject)
            if unit is None:
                continue
            name, unit_code, org_id = unit["name"], subject, unit["org_id"]
        else:
            cadre = registry.cadres.get(subject)
            if cadre is None:
                continue
            name, unit_code, org_id = cadre["name"], cadre["unit_code"], cadre["org_id"]
        rows.append(
            IndexScore(
                subject_kind=kind,
                subject_id=subject,
                subject_name=name,
                unit_code=unit_code,
                org_id=org_id,
                month=month,
                score=row["score"],
                colour=row["colour"],
                version=row["version"],
                deductions=deductions.get((kind, subject), []),
                computed_at=now,
            )
        )
    IndexScore.objects.filter(month=month).delete()
    IndexScore.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


@transaction.atomic
def _store_activity(found: Gathered, months: set[str]) -> None:
    firsts = {label: dt.date(int(label[:4]), int(label[5:]), 1) for label in months}
    ActivityMonth.objects.filter(month__in=firsts.values()).delete()
    ActivityMonth.objects.bulk_create(
        [
            ActivityMonth(org_id=org_id, month=firsts[label], source=source, count=count)
            for (org_id, label, source), count in found.activity.items()
            if label in firsts
        ],
        batch_size=5000,
    )


def integrity_refresh(*, as_of: dt.date | None = None) -> RefreshRun:
    """Recompute this month's index and every warning up to `as_of`; safe to run again."""
    as_of = as_of or timezone.localdate()
    now = timezone.now()
    version, config = active_config()
    run = RefreshRun.objects.create(as_of=as_of, version=config.version, started_at=now)
    registry = _Registry(as_of)
    found = _gather(registry, as_of)
    result = warnings_for_events(found.events, as_of=as_of)
    _store_warnings(result, found, registry)
    for pk, unit_code in (
        Warning.objects.exclude(status=WarningStatus.CLOSED)
        .exclude(unit_code="")
        .values_list("pk", "unit_code")
    ):
        if unit_code in registry.units:
            found.items.append(
                {
                    "subject_kind": UNIT,
                    "subject_id": unit_code,
                    "indicator": "warning_open",
                    "item_ref": f"warning:{pk}",
                    "date": None,
                }
            )
    memberships = pa.table(
        {
            "cadre_id": pa.array([str(c["pk"]) for c in registry.rows.cadres if c["unit_code"]], pa.string()),
            "unit_id": pa.array(
                [c["unit_code"] for c in registry.rows.cadres if c["unit_code"]], pa.string()
            ),
        }
    )
    subjects = pa.table(
        {
            "subject_kind": pa.array([UNIT] * len(registry.units), pa.string()),
            "subject_id": pa.array(list(registry.units), pa.string()),
        }
    )
    index = compute_index(
        items_table(found.items), as_of=as_of, config=config, subjects=subjects, memberships=memberships
    )
    month = as_of.replace(day=1)
    scores = _store_scores(index, registry, month, now)
    recent = {_month(month)}
    for back in range(1, 13):
        total = month.year * 12 + month.month - 1 - back
        recent.add(f"{total // 12:04d}-{total % 12 + 1:02d}")
    _store_activity(found, recent)
    summary = result.detection
    run.finished_at = timezone.now()
    run.summary = {
        "events": result.events_used,
        "rejected": len(result.rejects),
        "rejects": [f"{r.event_id}: {r.reason}" for r in result.rejects[:20]],
        "warnings": len(result.warnings),
        "scores": scores,
        "months_without_baseline": len(summary.months_too_short),
        "unknown_indicators": index.unknown_indicators,
        "config": version.pk if version else None,
    }
    run.save(update_fields=["finished_at", "summary"])
    return run
