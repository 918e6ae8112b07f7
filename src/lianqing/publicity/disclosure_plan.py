"""From a data package's benefits, orgs, standards and persons to what a village's page shows.
Plain functions over rows (no database): which village each payment belongs to, the masked
line, totals per program and month, the standards that apply, and what cannot be published.

A payment's village: its `region_code` when that is a village's (an org of kind 村居); else the
village named at the start of the person's registered address (persons dataset), matched to a
村居 org's name; else it is reported as unplaced and not published.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .masking import name_mask

Row = dict[str, Any]
VILLAGE_KIND = "村居"
_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "社区")


@dataclass
class Village:
    code: str
    name: str
    town: str


@dataclass
class PlannedLine:
    village: str
    program: str
    masked_name: str
    household_size: int | None
    amount_cents: int
    period: str
    approver: str
    lookup_digest: str


@dataclass
class Plan:
    villages: dict[str, Village] = field(default_factory=dict)
    lines: list[PlannedLine] = field(default_factory=list)
    standards: list[dict[str, str]] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)


def cents(value: object) -> int | None:
    try:
        return int((Decimal(str(value)) * 100).to_integral_value())
    except (InvalidOperation, ValueError, TypeError):
        return None


def lookup_digest(key: bytes, person_id: str, name: str) -> str:
    """A keyed digest of (ID number, name): what the self look-up matches, never the number."""
    message = f"{person_id.strip().upper()}|{name.strip()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def villages_of(orgs: list[Row]) -> dict[str, Village]:
    names = {str(o.get("org_code") or ""): str(o.get("name") or "") for o in orgs}
    villages = {}
    for org in orgs:
        if str(org.get("kind") or "") != VILLAGE_KIND:
            continue
        code = str(org.get("region_code") or org.get("org_code") or "")
        villages[code] = Village(
            code=code,
            name=str(org.get("name") or code),
            town=names.get(str(org.get("parent_code") or ""), ""),
        )
    return villages


def _village_stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def available(*, benefits: list[Row], orgs: list[Row], standards: list[Row]) -> dict[str, list[str]]:
    """What a package offers to publish: programs with a standard, and its villages."""
    programs = sorted(
        {str(r.get("program") or "") for r in benefits} & {str(s.get("program") or "") for s in standards}
    )
    return {"programs": programs, "villages": sorted(villages_of(orgs))}


def plan(
    *,
    benefits: list[Row],
    orgs: list[Row],
    standards: list[Row],
    persons: list[Row],
    programs: list[str],
    village_codes: list[str] | None,
    digest_key: bytes,
) -> Plan:
    """The lines to publish for the chosen programs and villages (None: every village)."""
    result = Plan()
    known = villages_of(orgs)
    standard_programs = {str(s.get("program") or "") for s in standards}
    paid_programs = {str(r.get("program") or "") for r in benefits}
    chosen_programs = []
    for program in programs:
        if program not in standard_programs:
            result.problems.append({"kind": "program", "value": program, "reason": "no_standard"})
        elif program not in paid_programs:
            result.problems.append({"kind": "program", "value": program, "reason": "not_paid"})
        else:
            chosen_programs.append(program)
    if village_codes is None:
        chosen = dict(known)
    else:
        chosen = {}
        for code in village_codes:
            if code in known:
                chosen[code] = known[code]
            else:
                result.problems.append({"kind": "village", "value": code, "reason": "unknown_village"})
    result.villages = chosen
    org_names = {str(o.get("org_code") or ""): str(o.get("name") or "") for o in orgs}
    household_sizes = Counter(str(p.get("household_id") or "") for p in persons if p.get("household_id"))
    stems = sorted(((_village_stem(v.name), code) for code, v in known.items()), key=lambda s: -len(s[0]))
    address_of = {str(p.get("person_id") or ""): str(p.get("address") or "") for p in persons}
    unplaced: Counter[str] = Counter()
    wanted = set(chosen_programs)
    for row in benefits:
        program = str(row.get("program") or "")
        if program not in wanted:
            continue
        village = _place(row, known, stems, address_of)
        if village is None:
            unplaced[str(row.get("region_code") or "")] += 1
            continue
        if village not in chosen:
            continue
        amount = cents(row.get("amount"))
        if amount is None:
            result.problems.append(
                {"kind": "row", "value": str(row.get("record_id") or ""), "reason": "bad_amount"}
            )
            continue
        household = str(row.get("household_id") or "")
        result.lines.append(
            PlannedLine(
                village=village,
                program=program,
                masked_name=name_mask(str(row.get("name") or "")),
                household_size=household_sizes.get(household) or None,
                amount_cents=amount,
                period=str(row.get("period") or "")[:7],
                approver=org_names.get(
                    str(row.get("approver_org_code") or ""), str(row.get("approver_org_code") or "")
                ),
                lookup_digest=lookup_digest(
                    digest_key, str(row.get("person_id") or ""), str(row.get("name") or "")
                ),
            )
        )
    for region, count in sorted(unplaced.items()):
        result.problems.append(
            {"kind": "unplaced", "value": region, "reason": "unknown_village", "count": str(count)}
        )
    result.standards = _standards(standards, chosen_programs)
    return result


def _place(
    row: Row, known: dict[str, Village], stems: list[tuple[str, str]], address_of: dict[str, str]
) -> str | None:
    region = str(row.get("region_code") or "")
    if region in known:
        return region
    address = address_of.get(str(row.get("person_id") or ""), "")
    if address:
        for stem, code in stems:
            if stem and address.startswith(stem) and code.startswith(region):
                return code
    return None


def _standards(standards: list[Row], programs: list[str]) -> list[dict[str, str]]:
    rows = []
    for s in standards:
        if str(s.get("program") or "") in programs:
            amount = cents(s.get("max_amount"))
            rows.append(
                {
                    "program": str(s.get("program") or ""),
                    "region_code": str(s.get("region_code") or ""),
                    "period_from": str(s.get("period_from") or ""),
                    "period_to": str(s.get("period_to") or ""),
                    "max_cents": str(amount if amount is not None else ""),
                }
            )
    return sorted(rows, key=lambda r: (r["program"], r["region_code"], r["period_from"]))


def totals(lines: list[PlannedLine]) -> dict[str, list[dict[str, Any]]]:
    """Per village: count and sum per (program, period), newest period first."""
    sums: dict[str, dict[tuple[str, str], list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for line in lines:
        cell = sums[line.village][(line.program, line.period)]
        cell[0] += 1
        cell[1] += line.amount_cents
    return {
        village: [
            {"program": p, "period": period, "count": c, "cents": s}
            for (p, period), (c, s) in sorted(
                cells.items(), key=lambda kv: (kv[0][0], kv[0][1]), reverse=False
            )
        ]
        for village, cells in sums.items()
    }
