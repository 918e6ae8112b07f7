"""Cases for tests, registered through the real service so every invariant holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lianqing.cases.errors import CaseError
from lianqing.cases.models import Case, Category, Disposal, Kind, Outcome, Source
from lianqing.cases.services import case_register
from lianqing.cases.workflow import transition
from lianqing.core.models import Org, User


def register_case(
    org: Org,
    *,
    kind: str = Kind.PETITION,
    source: str = Source.ONLINE,
    category: str = Category.SIFENG_DINING,
    summary: str = "某局干部工作日中午公款吃喝",
    received_at: dt.datetime | None = None,
    persons: list[dict[str, str]] | None = None,
    **extra: Any,
) -> Case:
    return case_register(
        kind=kind,
        source=source,
        category=category,
        summary=summary,
        region_code=org.region_code,
        org=org,
        received_at=received_at or timezone.now(),
        reported_persons=persons
        if persons is not None
        else [{"name": "张三", "org_name": "某局", "position": "科长"}],
        **extra,
    )


def local_dt(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def act(case: Case, action: str, by: User, *, expected_version: int | None = None, **facts: Any) -> Case:
    """Take a workflow action by name, as the case page does (the facts typed by the action)."""
    from lianqing.cases.workflow import ACTIONS

    spec = ACTIONS.get(action)
    if spec is None:
        raise CaseError(f"unknown action {action}")
    return transition(case=case, by=by, facts=spec.facts(**facts), expected_version=expected_version)


CONCLUDED = {"disposal": Disposal.VERIFY, "outcome": Outcome.ADMONITION}
