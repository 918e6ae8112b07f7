"""分级负责、归口办理: what the reporter said about levels, read against the receiving commission.

The reporter may choose the commission level (AddressedLevel) and say each reported person's
level (PersonLevel, 干部管理权限). The receiving commission's own level follows from its GB/T 2260
region code (PP0000 province, PPCC00 city, else county). Staff are told when a choice or a person
lies above that level, or when the reporter addressed a lower one; nothing is routed by itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from lianqing.intake.models import AddressedLevel, PersonLevel, Report, ReportedPerson

_COMMISSION_RANK = {
    AddressedLevel.PROVINCE: 3,
    AddressedLevel.CITY: 2,
    AddressedLevel.COUNTY: 1,
    AddressedLevel.TOWNSHIP: 0,
}
_PERSON_RANK = {PersonLevel.PROVINCE: 3, PersonLevel.CITY: 2, PersonLevel.COUNTY: 1}


def commission_rank(region_code: str) -> int | None:
    """3 province, 2 city, 1 county, 0 township (a 9-digit code); None without a region code."""
    if not region_code.isdigit() or len(region_code) < 6:
        return None
    if len(region_code) > 6:
        return 0
    if region_code.endswith("0000"):
        return 3
    return 2 if region_code.endswith("00") else 1


def jurisdiction_notes(report: Report, persons: Iterable[ReportedPerson]) -> list[str]:
    own = commission_rank(report.org.region_code)
    if own is None:
        return []
    notes: list[str] = []
    if report.addressed_level:
        chosen = _COMMISSION_RANK[AddressedLevel(report.addressed_level)]
        label = AddressedLevel(report.addressed_level).label
        if chosen > own:
            notes.append(
                _("举报人选择向%(level)s举报，高于本机关这一级：请按管辖报送或转交。") % {"level": label}
            )
        elif chosen < own:
            notes.append(_("举报人选择向%(level)s举报：可按管辖交下级办理。") % {"level": label})
    for person in persons:
        rank = _PERSON_RANK.get(PersonLevel(person.level)) if person.level else None
        if rank is not None and rank > own:
            notes.append(
                _("被反映人%(name)s为%(level)s，按干部管理权限属上级管辖。")
                % {"name": person.name or person.org_name, "level": PersonLevel(person.level).label}
            )
    return notes
