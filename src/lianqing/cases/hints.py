"""Hints for whoever takes in a report: not ours (transfer it), or possibly a duplicate of one we have.

Read-only; the handler decides (报送上级 / 转有关机关 / 重复件并案).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.models import User
from lianqing.intake.regions import region_name

from .access import case_scope, commission_of
from .models import Case, ReportedPerson, Status

HINT_STATUSES = {Status.PENDING, Status.ACCEPTED}
DUPLICATE_WINDOW = dt.timedelta(days=365)
SIMILAR_TEXT = 0.85  # SequenceMatcher ratio above which two summaries count as near-identical
CANDIDATES = 300


@dataclass(frozen=True)
class Duplicate:
    case: Case
    why: str


@dataclass(frozen=True)
class IntakeHints:
    outside_region: str = ""  # the reported region's name when it lies outside the commission's
    duplicates: list[Duplicate] = field(default_factory=list)


def _region_prefix(code: str) -> str:
    """370124 → 370124, 370100 → 3701, 370000 → 37: the codes under a region start with this."""
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def _outside_region(case: Case) -> str:
    own = commission_of(case.home_org).region_code
    if not case.region_code or not own or case.region_code.startswith(_region_prefix(own)):
        return ""
    return region_name(case.region_code[:6]) or case.region_code


def _same_person(case: Case, others: list[Case]) -> dict[int, str]:
    persons = list(case.reported_persons.all())
    if not persons:
        return {}
    found: dict[int, str] = {}
    names = {person.name for person in persons}
    for other in ReportedPerson.objects.filter(case__in=others, name__in=names):
        for person in persons:
            same_org = not person.org_name or not other.org_name or person.org_name == other.org_name
            if other.name == person.name and same_org:
                found.setdefault(other.case_id, _("同一被反映人“%(name)s”") % {"name": person.name})
    return found


def case_intake_hints(*, case: Case, user: User) -> IntakeHints:
    if case.status not in HINT_STATUSES:
        return IntakeHints()
    since = timezone.now() - DUPLICATE_WINDOW
    others = list(
        case_scope(Case.objects.all(), user)
        .filter(kind=case.kind, received_at__gte=since)
        .exclude(pk=case.pk)
        .exclude(status=Status.MERGED)
        .only("pk", "number", "summary", "received_at")
        .order_by("-received_at")[:CANDIDATES]
    )
    reasons = _same_person(case, others)
    for other in others:
        if (
            other.pk not in reasons
            and SequenceMatcher(None, case.summary, other.summary).ratio() >= SIMILAR_TEXT
        ):
            reasons[other.pk] = _("内容几乎相同")
    duplicates = [Duplicate(other, reasons[other.pk]) for other in others if other.pk in reasons][:5]
    return IntakeHints(outside_region=_outside_region(case), duplicates=duplicates)
