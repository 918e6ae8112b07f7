"""Reads of the registry: search, the cadre file, the unit file, a cadre's record in a window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from lianqing.cases.models import Kind
from lianqing.cases.selectors import cases_naming_cadres
from lianqing.core.models import User
from lianqing.leads.selectors import hits_naming

from .access import cadre_scope, unit_scope
from .models import RECORD_GROUPS, Cadre, LinkStatus, MentionLink, Record, Sanction, Unit

SEARCH_LIMIT = 50


def cadre_key(cadre: Cadre) -> str:
    """What a case's ReportedPerson.cadre_key holds for this cadre."""
    return str(cadre.pk)


def cadre_search(*, user: User, query: str) -> QuerySet[Cadre]:
    """Cadres by name (or part of it), full 公民身份号码, or unit name."""
    cadres = cadre_scope(user).select_related("unit")
    query = query.strip()
    if not query:
        return cadres.order_by("-updated_at")[:SEARCH_LIMIT]
    condition = Q(name__contains=query) | Q(unit__name__contains=query)
    if len(query) == 18:
        condition |= Q(person_id=query.upper())
    return cadres.filter(condition)[:SEARCH_LIMIT]


def unit_search(*, user: User, query: str) -> QuerySet[Unit]:
    units = unit_scope(user)
    query = query.strip()
    return (units.filter(Q(name__contains=query) | Q(code=query)) if query else units)[:SEARCH_LIMIT]


@dataclass
class CadreFile:
    cadre: Cadre
    posts: list[Any]
    changes: list[Any]
    declarations: list[Any]
    relatives: list[Any]
    petitions: list[Any]
    leads: list[Any]
    investigations: list[Any]
    sanctions: list[Sanction]
    hits: list[Any]
    records: dict[str, list[Record]] = field(default_factory=dict)
    today: dt.date = field(default_factory=timezone.localdate)


def _records_by_group(records: QuerySet[Record]) -> dict[str, list[Record]]:
    grouped: dict[str, list[Record]] = {group: [] for group in RECORD_GROUPS}
    for record in records:
        for group, kinds in RECORD_GROUPS.items():
            if record.kind in kinds:
                grouped[group].append(record)
    return grouped


def cadre_file(*, user: User, cadre: Cadre, since: dt.date | None = None) -> CadreFile:
    """Everything on file about a cadre (from `since` on when given), each item with its source."""
    cases = list(cases_naming_cadres(user=user, cadre_keys=[cadre_key(cadre)]))
    sanctions = list(cadre.sanctions.all())
    records = cadre.records.select_related("unit")
    hits = hits_naming(user=user, person_ids=[cadre.person_id], org_codes=[])
    declarations = list(cadre.declarations.all())
    if since is not None:
        since_time = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
        cases = [case for case in cases if case.received_at >= since_time]
        sanctions = [
            s for s in sanctions if s.decided_on >= since or s.in_impact_period(timezone.localdate())
        ]
        records = records.filter(happened_on__gte=since)
        hits = [hit for hit in hits if hit.run.created_at >= since_time]
        declarations = [d for d in declarations if d.year is None or d.year >= since.year]
    return CadreFile(
        cadre=cadre,
        posts=list(cadre.posts.select_related("unit").order_by("-start_date", "-id")),
        changes=list(cadre.changes.all()[:50]),
        declarations=declarations,
        relatives=list(cadre.relatives.all()),
        petitions=[case for case in cases if case.kind == Kind.PETITION],
        leads=[case for case in cases if case.kind == Kind.LEAD],
        investigations=[case for case in cases if case.kind == Kind.INVESTIGATION],
        sanctions=sanctions,
        hits=hits,
        records=_records_by_group(records),
    )


def cadre_highlights(file: CadreFile) -> dict[str, list[Any]]:
    """What a 意见回复 must not miss: open leads and cases, sanctions in their 影响期, pending 疑点."""
    today = file.today
    return {
        "open_cases": [case for case in file.petitions + file.leads + file.investigations if case.is_open],
        "sanctions_in_effect": [s for s in file.sanctions if s.in_impact_period(today)],
        "pending_hits": [hit for hit in file.hits if hit.status == "pending"],
        "open_findings": [r for r in file.records["findings"] if not r.is_resolved],
    }


@dataclass
class UnitFile:
    unit: Unit
    cadres: list[Cadre]
    former_cadres: list[Cadre]
    cases: list[Any]
    hits: list[Any]
    records: dict[str, list[Record]]


def unit_file(*, user: User, unit: Unit) -> UnitFile:
    posts = unit.posts.select_related("cadre").order_by("-start_date")
    current = {p.cadre_id: p.cadre for p in posts if p.end_date is None}
    former = {p.cadre_id: p.cadre for p in posts if p.end_date is not None and p.cadre_id not in current}
    cadres = list(current.values()) + list(former.values())
    visible = set(cadre_scope(user).filter(pk__in=[c.pk for c in cadres]).values_list("pk", flat=True))
    cases = list(cases_naming_cadres(user=user, cadre_keys=[cadre_key(c) for c in cadres]))
    return UnitFile(
        unit=unit,
        cadres=[c for c in current.values() if c.pk in visible],
        former_cadres=[c for c in former.values() if c.pk in visible],
        cases=cases,
        hits=hits_naming(user=user, person_ids=[], org_codes=[unit.code]),
        records=_records_by_group(unit.records.select_related("cadre")),
    )


def links_of_case(*, case_id: int) -> list[MentionLink]:
    """The case's mentions with their suggestion; each carries `candidate_rows` [(cadre, score)]
    of the candidates other than the suggested cadre."""
    links = list(
        MentionLink.objects.filter(case_id=case_id)
        .select_related("suggested__unit", "cadre__unit", "decided_by")
        .order_by("mention_id")
    )
    ids = {int(c["cadre_id"]) for link in links for c in link.candidates}
    cadres = {c.pk: c for c in Cadre.objects.filter(pk__in=ids).select_related("unit")}
    for link in links:
        link.candidate_rows = [  # type: ignore[attr-defined]
            (cadres[int(c["cadre_id"])], c["score"])
            for c in link.candidates
            if int(c["cadre_id"]) in cadres and int(c["cadre_id"]) != link.suggested_id
        ]
    return links


def confirmed_link_count(*, cadre: Cadre) -> int:
    return MentionLink.objects.filter(cadre=cadre, status=LinkStatus.CONFIRMED).count()


# --- for 廉情分析 (integrity): the registry as plain values for the daily run ----------------


@dataclass
class RegistryRows:
    units: list[dict[str, Any]]  # pk, code, name, parent_code, region_code, org_id
    cadres: list[dict[str, Any]]  # pk, name, person_id, unit_code, org_id
    sanctions: list[dict[str, Any]]  # pk, cadre_id, kind, decided_on, in_effect
    open_findings: list[dict[str, Any]]  # pk, cadre_id, unit_code, happened_on


def registry_rows_for_integrity(*, on: dt.date) -> RegistryRows:
    """Units, cadres, sanctions (with whether each is in its 影响期 on `on`) and unrectified
    巡察/审计 findings of the whole registry (the worker's read; integrity scopes its results)."""
    from .models import RecordKind

    units: list[dict[str, Any]] = [
        dict(row)
        for row in Unit.objects.order_by("code").values(
            "pk", "code", "name", "parent_code", "region_code", "org_id"
        )
    ]
    codes = {unit["pk"]: unit["code"] for unit in units}
    cadres: list[dict[str, Any]] = []
    cadre_rows = Cadre.objects.order_by("pk").values("pk", "name", "person_id", "unit_id", "org_id")
    for values in cadre_rows.iterator(chunk_size=10000):
        row: dict[str, Any] = dict(values)
        row["unit_code"] = codes.get(row.pop("unit_id"), "")
        cadres.append(row)
    sanctions = [
        {
            "pk": s.pk,
            "cadre_id": s.cadre_id,
            "kind": s.kind,
            "decided_on": s.decided_on,
            "in_effect": s.in_impact_period(on),
        }
        for s in Sanction.objects.only("pk", "cadre_id", "kind", "decided_on")
    ]
    findings = [
        {
            "pk": r["pk"],
            "cadre_id": r["cadre_id"],
            "unit_code": codes.get(r["unit_id"], ""),
            "happened_on": r["happened_on"],
        }
        for r in Record.objects.filter(
            kind__in=[RecordKind.INSPECTION_FINDING, RecordKind.AUDIT_FINDING], is_resolved=False
        ).values("pk", "cadre_id", "unit_id", "happened_on")
    ]
    return RegistryRows(units=units, cadres=cadres, sanctions=sanctions, open_findings=findings)


def registry_vocabulary(*, org_path: str) -> tuple[list[str], list[str]]:
    """(unit names, cadre names) of a jurisdiction's registry, for the text reader's dictionary."""
    units = Unit.objects.filter(org__path__startswith=org_path).values_list("name", flat=True)
    cadres = Cadre.objects.filter(org__path__startswith=org_path).values_list("name", flat=True)
    return sorted(set(units)), sorted(set(cadres))


def registry_names(*, org_path: str) -> list[str]:
    """Names of the units and current cadres in a jurisdiction (for reading public posts)."""
    units, cadres = registry_vocabulary(org_path=org_path)
    return sorted({*units, *cadres})
