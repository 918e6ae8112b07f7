"""Creating a case row: number, reported people, first deadline, tally and the first timeline step.

Used by `services.case_register` and by the actions that open a new case from an old one
(转为问题线索, 立案审查调查). Status changes after creation go through `workflow.transition`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.models import Org, User
from lianqing.core.rows import row_insert_numbered, rows_insert

from .errors import CaseError
from .events import case_registered_event
from .models import Case, HigherLevel, Kind, ReportedPerson, Source, Status
from .tally import tally_change, tally_row
from .time_limits import next_deadline, time_limits

NUMBER_PREFIX = {Kind.PETITION: "XF", Kind.LEAD: "XS", Kind.INVESTIGATION: "SC"}


def case_create(
    *,
    kind: str,
    source: str,
    category: str,
    summary: str,
    region_code: str,
    org: Org,
    received_at: dt.datetime,
    reported_persons: Iterable[dict[str, str]],
    created_by: User | None,
    confidentiality: int,
    details: dict[str, Any] | None = None,
    is_reporter_named: bool = False,
    higher_level: str = HigherLevel.NONE,
    source_case: Case | None = None,
) -> Case:
    if not summary or not summary.strip():
        raise CaseError(_("请填写摘要"), field="summary")
    case = Case(
        kind=Kind(kind),
        source=Source(source),
        category=category,
        summary=summary.strip(),
        details=details or {},
        region_code=region_code or org.region_code,
        home_org=org,
        org=org,
        status=Status.PENDING,
        confidentiality=confidentiality,
        higher_level=higher_level,
        is_reporter_named=is_reporter_named,
        received_at=received_at,
        source_case=source_case,
        created_by=created_by,
    )
    case.deadline, case.deadline_label = next_deadline(case, time_limits())
    # One statement draws the id and writes the number made from it (every portal report runs this).
    row_insert_numbered(
        case, number="number", prefix=f"{NUMBER_PREFIX[Kind(kind)]}{timezone.localdate(received_at).year}"
    )
    tally_change(None, tally_row(case))
    named = [person for person in reported_persons if person.get("name", "").strip()]
    rows_insert(
        [
            ReportedPerson(
                case=case,
                name=person.get("name", "").strip(),
                org_name=person.get("org_name", "").strip(),
                position=person.get("position", "").strip(),
            )
            for person in named
        ]
    )
    # In the worker after commit, one task: the cadre registry suggests who each reported person
    # is, then the first reading.
    from lianqing.triage.services import reading_queue

    reading_queue(case.pk, links=bool(named))
    case_registered_event(case=case, by=created_by)
    return case


def case_derive(
    *, case: Case, kind: str, org: Org, by: User | None, now: dt.datetime, summary: str = ""
) -> Case:
    """A new case opened from `case` (转为问题线索, 立案审查调查), about the same people."""
    return case_create(
        kind=kind,
        source=case.source,
        category=case.category,
        summary=summary or case.summary,
        region_code=case.region_code,
        org=org,
        received_at=now,
        reported_persons=[
            {"name": p.name, "org_name": p.org_name, "position": p.position}
            for p in case.reported_persons.all()
        ],
        created_by=by,
        confidentiality=case.confidentiality,
        source_case=case,
    )
