"""The leads app's door to the evidence round trip, which `lianqing.analytics.evidence` does.

Thin: each function takes the stored hit and hands the library its package folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lianqing.analytics import evidence
from lianqing.analytics.engine import Hit as EngineHit
from lianqing.analytics.engine import get_rule
from lianqing.analytics.evidence import DatasetRecords, Place, chart_kinds
from lianqing.leads.models import DataPackage, Hit

__all__ = ["DatasetRecords", "Place", "chart_kinds", "hit_charts", "hit_people", "hit_records", "scan_places"]


def hit_records(hit: Hit) -> list[DatasetRecords]:
    return evidence.hit_records(hit.run.package.path, hit.record_keys)


def hit_charts(hit: Hit) -> list[dict[str, Any]]:
    return evidence.hit_charts(hit.run.package.path, hit)


def hit_people(hit: Hit) -> list[dict[str, str]]:
    return evidence.hit_people(
        hit.run.package.path,
        subject_id=hit.subject_id,
        subject_name=hit.subject_name,
        rule_subject=get_rule(hit.rule_id).subject,
        record_ids=hit.record_keys,
    )


def scan_places(package: DataPackage, hits: Iterable[EngineHit]) -> dict[tuple[str, str], Place]:
    return evidence.hit_places(package.path, hits)
