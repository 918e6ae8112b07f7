"""Pictures that put a hit's measured values against the line it crossed (drawn by charts.js).

- fuel (F09): the plate's fills on a time line, the liters of the last `window_hours` hours
  stepping up against the tank and the tank plus `tolerance`;
- payments (F11): the day's payments of the holder's cards, stacked by merchant, against
  `threshold`;
- years (F12): the org's 公务接待 by month, the year before beside the year, with both totals;
- declared (D01–D03): what the cadre declared for the year beside what the packages show
  (houses, vehicles, close relatives' companies), with the items.

The data carries no words of its own (the app names the series in the reader's language), only
the package's values: dates, numbers, stations, merchants, addresses, company names.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from lianqing.analytics.contract import CLOSE_RELATIONS
from lianqing.analytics.engine.library import load_library
from lianqing.analytics.evidence.records import HitLike, PackageReader, parse_record_ids, split_record_ids

FUEL_RULES = frozenset({"F09"})
PAYMENT_RULES = frozenset({"F11"})
YEAR_RULES = frozenset({"F12"})
DECLARATION_RULES = frozenset({"D01", "D02", "D03"})
MAX_FILLS = 200
MAX_PAYMENT_GROUPS = 30
MAX_ITEMS = 20
FUEL_MARGIN = dt.timedelta(days=1)  # fills shown before the first and after the last of the hit's
# The declared item_type of each kind, and the rule that compares it (DATA-CONTRACT.md, RULES.md).
DECLARED_KINDS: tuple[tuple[str, str, str], ...] = (
    ("house", "房产", "D01"),
    ("vehicle", "车辆", "D02"),
    ("business", "亲属经商办企业", "D03"),
)


def param(rule_id: str, name: str, params: Mapping[str, Any] | None) -> Decimal:
    """The scan's value of a rule parameter (`RULE.name` in params), else its default."""
    value = (params or {}).get(f"{rule_id}.{name}")
    if value is None:
        (rule,) = [rule for rule in load_library() if rule.id == rule_id]
        value = rule.params[name].default
    return Decimal(str(value))


def _number(value: Any) -> float:
    return float(value) if value is not None else 0.0


def _keys(hit: HitLike) -> dict[str, list[str]]:
    return parse_record_ids(split_record_ids(hit.record_ids))


def fuel_data(reader: PackageReader, hit: HitLike, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    window_hours = int(param("F09", "window_hours", params))
    tolerance = param("F09", "tolerance", params)
    hit_rows = [
        row
        for row in reader.rows_by_key("fuel_fills", _keys(hit).get("fuel_fills", []))
        if row["plate"] == hit.subject_id
    ]
    hit_fills = {row["fill_id"] for row in hit_rows}
    vehicles = reader.rows_where_in("official_vehicles", "plate", [hit.subject_id], limit=1)
    tank = Decimal(vehicles[0]["tank_liters"]) if vehicles else Decimal(0)
    empty = {"type": "fuel", "plate": hit.subject_id, "fills": [], "window_hours": window_hours}
    if not hit_rows:
        return empty
    times = [row["time"] for row in hit_rows]
    start, end = min(times) - FUEL_MARGIN, max(times) + FUEL_MARGIN
    rows = reader.query(
        "SELECT fill_id, time, liters, amount, station FROM read_parquet(?) "
        f"WHERE plate = ? AND time BETWEEN ? AND ? ORDER BY time, fill_id LIMIT {MAX_FILLS}",
        [reader.file("fuel_fills"), hit.subject_id, start, end],
    )
    window = dt.timedelta(hours=window_hours)
    fills = []
    for row in rows:
        # The liters of the window that ends at this fill: its highest point is the rule's measure.
        inside = sum(
            (
                Decimal(other["liters"])
                for other in rows
                if row["time"] - window <= other["time"] <= row["time"]
            ),
            Decimal(0),
        )
        fills.append(
            {
                "time": row["time"].strftime("%Y-%m-%d %H:%M:%S"),
                "liters": _number(row["liters"]),
                "amount": _number(row["amount"]),
                "station": row["station"] or "",
                "window_liters": float(inside),
                "in_hit": row["fill_id"] in hit_fills,
            }
        )
    return {
        **empty,
        "tank_liters": float(tank),
        "limit_liters": float((1 + tolerance) * tank),
        "tolerance": float(tolerance),
        "fills": fills,
        "range": [start.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S")],
    }


def payments_data(
    reader: PackageReader, hit: HitLike, params: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    threshold = param("F11", "threshold", params)
    hit_rows = reader.rows_by_key("card_payments", _keys(hit).get("card_payments", []))
    hit_ids = {row["payment_id"] for row in hit_rows}
    days = sorted({row["time"].date() for row in hit_rows})
    cards = sorted({row["card_no"] for row in hit_rows})
    rows = (
        reader.query(
            "SELECT payment_id, card_no, time, merchant_name, amount FROM read_parquet(?) "
            "WHERE card_no IN (SELECT unnest(?::VARCHAR[])) "
            "AND CAST(time AS DATE) IN (SELECT unnest(?::DATE[])) ORDER BY time, payment_id",
            [reader.file("card_payments"), cards, days],
        )
        if days
        else []
    )
    groups: dict[tuple[dt.date, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["time"].date(), row["merchant_name"] or "")].append(row)
    # The split merchants first (by day), then the day's other payments.
    ordered = sorted(
        groups.items(), key=lambda item: (not any(r["payment_id"] in hit_ids for r in item[1]), item[0])
    )[:MAX_PAYMENT_GROUPS]
    return {
        "type": "payments",
        "threshold": float(threshold),
        "days": [day.isoformat() for day in days],
        "groups": [
            {
                "day": day.isoformat(),
                "merchant": merchant,
                "in_hit": any(row["payment_id"] in hit_ids for row in payments),
                "total": float(sum((Decimal(row["amount"]) for row in payments), Decimal(0))),
                "payments": [
                    {
                        "time": row["time"].strftime("%H:%M"),
                        "amount": _number(row["amount"]),
                        "in_hit": row["payment_id"] in hit_ids,
                    }
                    for row in payments
                ],
            }
            for (day, merchant), payments in ordered
        ],
    }


def years_data(
    reader: PackageReader, hit: HitLike, params: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    org_code, _, year_text = hit.subject_id.rpartition("/")
    year = int(year_text)
    rows = (
        reader.query(
            "SELECT year(date) AS year, month(date) AS month, sum(amount) AS total, count(*) AS count "
            "FROM read_parquet(?) WHERE org_code = ? AND category = '公务接待' AND year(date) IN (?, ?) "
            "GROUP BY ALL",
            [reader.file("expenses"), org_code, year - 1, year],
        )
        if reader.has("expenses")
        else []
    )
    months: dict[int, list[float]] = {year - 1: [0.0] * 12, year: [0.0] * 12}
    totals: dict[int, Decimal] = {year - 1: Decimal(0), year: Decimal(0)}
    counts: dict[int, int] = {year - 1: 0, year: 0}
    for row in rows:
        months[row["year"]][row["month"] - 1] = float(row["total"])
        totals[row["year"]] += Decimal(row["total"])
        counts[row["year"]] += row["count"]
    previous = totals[year - 1]
    return {
        "type": "years",
        "org_code": org_code,
        "years": [year - 1, year],
        "months": [months[year - 1], months[year]],
        "totals": [float(previous), float(totals[year])],
        "counts": [counts[year - 1], counts[year]],
        "increase": float((totals[year] - previous) / previous) if previous else None,
        "increase_limit": float(param("F12", "increase", params)),
        "min_amount": float(param("F12", "min_amount", params)),
    }


def _declaration(
    reader: PackageReader, person_id: str, year: int
) -> tuple[dt.date | None, dict[str, list[str]]]:
    rows = (
        reader.query(
            "SELECT declared_on, item_type, item_desc FROM read_parquet(?) WHERE person_id = ? AND year = ? "
            "ORDER BY declaration_id",
            [reader.file("declarations"), person_id, year],
        )
        if reader.has("declarations")
        else []
    )
    items: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        items[row["item_type"]].append(row["item_desc"] or "")
    return (max(row["declared_on"] for row in rows) if rows else None), items


def _found_houses(reader: PackageReader, person_id: str, declared_on: dt.date) -> list[str]:
    rows = reader.rows_where_in("properties", "owner_id", [person_id])
    found = {
        row["property_id"]: " ".join(
            part
            for part in (row["address"] or row["property_id"], f"{row['area']:g}㎡" if row["area"] else "")
            if part
        )
        for row in sorted(rows, key=lambda row: (row["reg_date"], row["property_id"]))
        if row["reg_date"] <= declared_on
    }
    return list(found.values())


def _found_vehicles(reader: PackageReader, person_id: str, declared_on: dt.date) -> list[str]:
    rows = reader.rows_where_in("vehicles", "owner_id", [person_id])
    found = {
        row["plate"]: f"{row['plate']} {row['vehicle_type'] or ''}".strip()
        for row in sorted(rows, key=lambda row: (row["reg_date"], row["plate"]))
        if row["reg_date"] <= declared_on
    }
    return list(found.values())


def _found_businesses(reader: PackageReader, person_id: str, declared_on: dt.date) -> list[str]:
    relatives = {
        row["relative_id"]: f"{row['relation']}{row['relative_name'] or ''}"
        for row in reader.rows_where_in("relatives", "official_id", [person_id])
        if row["relation"] in CLOSE_RELATIONS
    }
    if not relatives:
        return []
    roles: dict[str, set[str]] = defaultdict(set)
    for row in reader.rows_where_in("companies", "legal_rep_id", relatives):
        roles[row["uscc"]].add(relatives[row["legal_rep_id"]])
    for row in reader.rows_where_in("shareholders", "holder_id", relatives):
        roles[row["uscc"]].add(relatives[row["holder_id"]])
    companies = {
        row["uscc"]: row
        for row in reader.rows_where_in("companies", "uscc", roles)
        if row["status"] == "存续" and row["reg_date"] is not None and row["reg_date"] <= declared_on
    }
    return [
        f"{companies[uscc]['name'] or uscc}（{'、'.join(sorted(roles[uscc]))}）"
        for uscc in sorted(companies, key=lambda code: (companies[code]["reg_date"], code))
    ]


def declared_data(
    reader: PackageReader, hit: HitLike, params: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    person_id, _, year_text = hit.subject_id.rpartition("/")
    year = int(year_text)
    declared_on, declared = _declaration(reader, person_id, year)
    finders = {"house": _found_houses, "vehicle": _found_vehicles, "business": _found_businesses}
    kinds = []
    for kind, item_type, rule_id in DECLARED_KINDS:
        found = finders[kind](reader, person_id, declared_on) if declared_on else []
        kinds.append(
            {
                "kind": kind,
                "rule_id": rule_id,
                "declared": len(declared.get(item_type, [])),
                "found": len(found),
                "declared_items": [item for item in declared.get(item_type, []) if item][:MAX_ITEMS],
                "found_items": found[:MAX_ITEMS],
                "is_hit": rule_id == hit.rule_id,
            }
        )
    return {
        "type": "declared",
        "year": year,
        "declared_on": declared_on.isoformat() if declared_on else None,
        "kinds": kinds,
    }
