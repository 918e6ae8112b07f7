"""The leads app's door to the evidence round trip, which `lianqing.analytics.evidence` does.

Thin: each function takes the stored hit and hands the library its package folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lianqing.analytics import evidence
from lianqing.analytics.engine import Hit as EngineHit
from lianqing.analytics.engine import get_rule
from lianqing.analytics.engine.results import mask_id
from lianqing.analytics.evidence import DatasetRecords, PackageReader, Place, chart_kinds
from lianqing.analytics.evidence.display import Cell, EvidenceTable, evidence_tables, revealed_value
from lianqing.core.names import region_label
from lianqing.leads.models import DataPackage, Hit

__all__ = [
    "SUBJECT_TOKEN",
    "DatasetRecords",
    "EvidenceTable",
    "Place",
    "chart_kinds",
    "hit_charts",
    "hit_evidence_tables",
    "hit_people",
    "hit_records",
    "hit_reveal",
    "hit_subject",
    "scan_places",
]

SUBJECT_TOKEN = "subject"  # noqa: S105  (a field name, not a secret)


def hit_records(hit: Hit) -> list[DatasetRecords]:
    return evidence.hit_records(hit.run.package.path, hit.record_keys)


def hit_charts(hit: Hit) -> list[dict[str, Any]]:
    """The hit's pictures for the browser: graph nodes keyed n0, n1 … so no id number leaves."""
    charts = evidence.hit_charts(hit.run.package.path, hit, params=hit.run.params)
    return [_opaque_ids(chart) for chart in charts]


def _opaque_ids(chart: dict[str, Any]) -> dict[str, Any]:
    if chart["type"] != "graph":
        return chart
    key = {node["id"]: f"n{index}" for index, node in enumerate(chart["nodes"])}
    return {
        **chart,
        "nodes": [{**node, "id": key[node["id"]]} for node in chart["nodes"]],
        "links": [
            {**link, "source": key[link["source"]], "target": key[link["target"]]} for link in chart["links"]
        ],
    }


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


def hit_evidence_tables(hit: Hit) -> list[EvidenceTable]:
    """The evidence as the hit page shows it: Chinese headings, names, person ids masked."""
    with PackageReader(hit.run.package.path) as reader:
        return evidence_tables(reader, reader.records(hit.record_keys), region_name=region_label)


def hit_subject(hit: Hit) -> Cell:
    """The hit's subject id as shown: masked (with a reveal token) when it is a person's."""
    if get_rule(hit.rule_id).subject_is_private:
        return Cell(mask_id(hit.subject_id), reveal=SUBJECT_TOKEN)
    return Cell(hit.subject_id)


def hit_reveal(hit: Hit, token: str) -> str | None:
    """The full value behind one masked cell of the hit's page, or None for a token it has not."""
    if token == SUBJECT_TOKEN:
        return hit.subject_id if hit_subject(hit).reveal else None
    with PackageReader(hit.run.package.path) as reader:
        return revealed_value(reader, token, hit.record_keys)
