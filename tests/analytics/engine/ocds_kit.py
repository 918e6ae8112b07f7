"""Hand-made OCDS compiled releases for the R rules, and running one rule over them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lianqing.analytics.engine import scan
from lianqing.analytics.ocds import import_ocds


def bid(
    tenderers: str | Sequence[str] | None,
    amount: float | int | str | None = None,
    *,
    status: str | None = "valid",
    currency: str | None = "USD",
    date: str | None = None,
) -> dict[str, Any]:
    """One /bids/details entry; `tenderers` is one id, several ids (a consortium) or None."""
    people = [tenderers] if isinstance(tenderers, str) else list(tenderers or [])
    entry: dict[str, Any] = {"tenderers": [{"id": person, "name": f"公司{person}"} for person in people]}
    if status is not None:
        entry["status"] = status
    if amount is not None:
        entry["value"] = {"amount": amount} | ({"currency": currency} if currency is not None else {})
    if date is not None:
        entry["date"] = date
    return entry


def award(
    suppliers: str | Sequence[str], *, status: str | None = "active", items: Iterable[str] = ()
) -> dict[str, Any]:
    people = [suppliers] if isinstance(suppliers, str) else list(suppliers)
    entry: dict[str, Any] = {"suppliers": [{"id": person, "name": f"公司{person}"} for person in people]}
    if status is not None:
        entry["status"] = status
    codes = list(items)
    if codes:
        entry["items"] = [{"classification": {"scheme": "UNSPSC", "id": code}} for code in codes]
    return entry


def release(
    ocid: str,
    *,
    bids: Sequence[dict[str, Any]] | None = None,
    awards: Sequence[dict[str, Any]] | None = None,
    method: str | None = "open",
    details: str | None = None,
    status: str | None = None,
    buyer: str | None = None,
    entity: str | None = None,
    period: tuple[str, str] | None = None,
    tenderers: Any = None,
) -> dict[str, Any]:
    tender: dict[str, Any] = {"id": f"{ocid}-tender", "title": f"项目{ocid}"}
    if method is not None:
        tender["procurementMethod"] = method
    if details is not None:
        tender["procurementMethodDetails"] = details
    if status is not None:
        tender["status"] = status
    if entity is not None:
        tender["procuringEntity"] = {"id": entity, "name": f"代理{entity}"}
    if period is not None:
        tender["tenderPeriod"] = {"startDate": period[0], "endDate": period[1]}
    if tenderers is not None:
        tender["numberOfTenderers"] = tenderers
    data: dict[str, Any] = {"ocid": ocid, "tender": tender}
    if buyer is not None:
        data["buyer"] = {"id": buyer, "name": f"单位{buyer}"}
    if bids is not None:
        data["bids"] = {"details": list(bids)}
    if awards is not None:
        data["awards"] = list(awards)
    return data


def priced(
    ocid: str, winner: float, *others: tuple[str, float], winner_id: str = "W", **options: Any
) -> dict[str, Any]:
    """A price-only process: the winner's bid and the others' bids, one active award to the winner."""
    return release(
        ocid,
        bids=[bid(winner_id, winner), *(bid(who, amount) for who, amount in others)],
        awards=[award(winner_id)],
        **options,
    )


@dataclass(frozen=True)
class Case:
    """One fixture: releases, a rule and its settings, and exactly the hits expected."""

    id: str
    rule: str
    releases: tuple[dict[str, Any], ...]
    expected: dict[str, str]  # subject_id -> value as hits.csv writes it
    params: dict[str, str] = field(default_factory=dict)


def write_releases(path: Path, releases: Iterable[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in releases), encoding="utf-8"
    )
    return path


def run_case(case: Case, folder: Path, *, engine: str = "duckdb") -> dict[str, str]:
    """Import the case's releases and run its rule: {subject_id: value}."""
    package = folder / "package"
    if not package.exists():
        import_ocds(write_releases(folder / "releases.jsonl", case.releases), package, workers=1)
    params = {f"{case.rule}.{name}": value for name, value in case.params.items()}
    result = scan(package=package, rules=[case.rule], params=params, as_of="2025-06-30", engine=engine)
    return {hit.subject_id: hit.value for hit in result.hits}
