"""Cases for tests, registered through the real service so every invariant holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lianqing.cases.models import Case, Category, Kind, Source
from lianqing.cases.services import case_register
from lianqing.core.models import Org


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
