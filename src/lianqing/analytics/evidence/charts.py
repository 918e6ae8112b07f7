"""Pictures of a hit's facts, as ECharts-ready data (drawn by static/leads/charts.js).

- graph: official — relative — company — contract/benefit (B02, B06, C01, C02, M02, F06, F07)
- sankey: the fund's flow down the org tree with the retained amount marked (M01, M03)
- calendar: the days of spending, trips and transfers, rest days marked (F01–F08)
- fuel, payments, years, declared: a measure against the line it crossed (F09, F11, F12, D01–D03;
  see limits.py)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from lianqing.analytics import workdays
from lianqing.analytics.engine.results import mask_id
from lianqing.analytics.evidence import limits, procurement
from lianqing.analytics.evidence.display import PERSON_ID_SHAPE
from lianqing.analytics.evidence.records import HitLike, PackageReader, parse_record_ids, split_record_ids

GRAPH_RULES = frozenset({"B02", "B06", "C01", "C02", "M02", "F06", "F07"})
SANKEY_RULES = frozenset({"M01", "M03"})
CALENDAR_RULES = frozenset({f"F0{n}" for n in range(1, 9)})
CATEGORIES = ["公职人员", "亲属及其他人员", "企业", "合同", "补贴", "单位", "资金往来"]
MAX_GRAPH_NODES = 80


def chart_kinds(rule_id: str) -> list[str]:
    kinds = []
    if rule_id in GRAPH_RULES:
        kinds.append("graph")
    if rule_id in SANKEY_RULES:
        kinds.append("sankey")
    if rule_id in CALENDAR_RULES:
        kinds.append("calendar")
    if rule_id in limits.FUEL_RULES:
        kinds.append("fuel")
    if rule_id in limits.PAYMENT_RULES:
        kinds.append("payments")
    if rule_id in limits.YEAR_RULES:
        kinds.append("years")
    if rule_id in limits.DECLARATION_RULES:
        kinds.append("declared")
    if rule_id in procurement.FENCE_RULES:
        kinds.append("bids")
    return kinds


def _money(value: Any) -> str:
    return f"{Decimal(value):,.2f}元" if value is not None else ""


class _Graph:
    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.links: dict[tuple[str, str, str], dict[str, Any]] = {}

    def node(self, node_id: str, name: str, category: str, *, detail: str = "", prefer: bool = False) -> None:
        if not node_id:
            return
        index = CATEGORIES.index(category)
        existing = self.nodes.get(node_id)
        if existing is None:
            self.nodes[node_id] = {
                "id": node_id,
                "name": name or node_id,
                "category": index,
                "detail": detail,
            }
        elif prefer or existing["name"] == node_id:
            existing.update(name=name or existing["name"], category=index)
            if detail:
                existing["detail"] = detail

    def link(self, source: str, target: str, label: str) -> None:
        if source and target and source != target:
            self.links.setdefault(
                (source, target, label), {"source": source, "target": target, "label": label}
            )

    def data(self, subject_ids: set[str]) -> dict[str, Any]:
        nodes = list(self.nodes.values())[:MAX_GRAPH_NODES]
        kept = {node["id"] for node in nodes}
        for node in nodes:
            node["is_subject"] = node["id"] in subject_ids
            if node["name"] == node["id"] and PERSON_ID_SHAPE.fullmatch(node["id"]):
                node["name"] = mask_id(node["id"])  # no name known: never a bare id number
        links = [link for link in self.links.values() if link["source"] in kept and link["target"] in kept]
        return {
            "type": "graph",
            "title": "关系图",
            "categories": [{"name": name} for name in CATEGORIES],
            "nodes": nodes,
            "links": links,
        }


def graph_data(reader: PackageReader, hit: HitLike) -> dict[str, Any]:
    keys = parse_record_ids(split_record_ids(hit.record_ids))
    records = {name: reader.rows_by_key(name, ids) for name, ids in keys.items()}
    graph = _Graph()
    persons: set[str] = set()
    companies: set[str] = set()
    orgs: set[str] = set()

    for row in records.get("relatives", []):
        persons.update((row["official_id"], row["relative_id"]))
        graph.node(row["relative_id"], row["relative_name"] or "", "亲属及其他人员")
        graph.node(row["official_id"], "", "公职人员")
        graph.link(row["official_id"], row["relative_id"], row["relation"] or "亲属")
    for row in records.get("officials", []):
        persons.add(row["person_id"])
    for row in records.get("benefits", []):
        node_id = f"benefits:{row['record_id']}"
        graph.node(node_id, f"{row['program']} {row['period']} {_money(row['amount'])}", "补贴")
        graph.node(row["person_id"], row["name"] or "", "亲属及其他人员")
        graph.link(row["person_id"], node_id, "领取")
        persons.add(row["person_id"])
        if row.get("approver_org_code"):
            orgs.add(row["approver_org_code"])
            graph.link(row["approver_org_code"], node_id, "审批")
    for row in records.get("contracts", []):
        node_id = f"contracts:{row['contract_id']}"
        graph.node(node_id, f"{row['project_name'] or row['contract_id']} {_money(row['amount'])}", "合同")
        orgs.add(row["buyer_org_code"])
        companies.add(row["supplier_uscc"])
        graph.node(row["supplier_uscc"], row["supplier_name"] or "", "企业")
        graph.link(row["buyer_org_code"], node_id, "采购")
        graph.link(node_id, row["supplier_uscc"], "供应商")
    for row in records.get("fund_flows", []):
        orgs.add(row["from_org_code"])
        target = row["to_org_code"] or row["payee_id"]
        if row["to_org_code"]:
            orgs.add(row["to_org_code"])
        else:
            companies.add(row["payee_id"])
        graph.link(row["from_org_code"], target, f"拨付 {_money(row['amount'])}")
    for row in records.get("transactions", []):
        persons.update((row["from_id"], row["to_id"]))
        graph.node(row["from_id"], row["from_name"] or "", "亲属及其他人员")
        graph.node(row["to_id"], row["to_name"] or "", "亲属及其他人员")
        graph.link(row["from_id"], row["to_id"], f"{row['channel'] or ''} {_money(row['amount'])}".strip())
    for row in records.get("companies", []) + records.get("shareholders", []):
        companies.add(row["uscc"])
    if hit.rule_id in ("B06", "C01", "C02", "M02", "F06", "F07"):
        persons.add(hit.subject_id)
    if hit.subject_id.split("/")[-1][:2] == "91" and len(hit.subject_id.split("/")[-1]) == 18:
        companies.add(hit.subject_id.split("/")[-1])

    # Who the companies belong to, and which of the persons hold a post (and where).
    company_rows = reader.rows_where_in("companies", "uscc", companies) + reader.rows_where_in(
        "companies", "legal_rep_id", persons
    )
    share_rows = reader.rows_where_in("shareholders", "uscc", companies) + reader.rows_where_in(
        "shareholders", "holder_id", persons
    )
    linked_companies = companies | {row["uscc"] for row in company_rows} | {row["uscc"] for row in share_rows}
    if companies and hit.rule_id not in ("B06", "C01"):  # else the hit is about the person's companies
        linked_companies = companies
    for row in company_rows:
        if row["uscc"] not in linked_companies:
            continue
        graph.node(row["uscc"], row["name"] or "", "企业", detail=row.get("status") or "", prefer=True)
        if row["legal_rep_id"]:
            graph.node(row["legal_rep_id"], row["legal_rep_name"] or "", "亲属及其他人员")
            graph.link(row["legal_rep_id"], row["uscc"], "法定代表人")
            persons.add(row["legal_rep_id"])
    for row in share_rows:
        if row["uscc"] not in linked_companies or row["holder_id"] not in persons | linked_companies:
            continue
        graph.node(row["holder_id"], row["holder_name"] or "", "亲属及其他人员")
        graph.link(row["holder_id"], row["uscc"], f"股东 {row['ratio'] or ''}".strip())
    for row in reader.rows_where_in("officials", "person_id", persons):
        orgs.add(row["org_code"])
        graph.node(
            row["person_id"],
            row["name"] or "",
            "公职人员",
            detail=row.get("position") or "",
            prefer=True,
        )
        graph.link(row["org_code"], row["person_id"], f"任职 {row['position'] or ''}".strip())
    for row in reader.rows_where_in("orgs", "org_code", orgs):
        graph.node(row["org_code"], row["name"] or "", "单位", prefer=True)
    for org_code in orgs:
        graph.node(org_code, org_code, "单位")
    if "/" not in hit.subject_id:
        graph.node(hit.subject_id, hit.subject_name, "亲属及其他人员")
    return graph.data({hit.subject_id, *hit.subject_id.split("/")})


def sankey_data(reader: PackageReader, hit: HitLike) -> dict[str, Any]:
    """The fund's flows (all of them, not only the offending ones), by org, with the remainder."""
    org_code, _, fund_code = hit.subject_id.partition("/")
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    inflow: dict[str, Decimal] = defaultdict(Decimal)
    outflow: dict[str, Decimal] = defaultdict(Decimal)
    codes: set[str] = set()
    flows = (
        reader.query(
            "SELECT from_org_code, to_org_code, sum(amount) AS amount FROM read_parquet(?) "
            "WHERE fund_code = ? GROUP BY ALL",
            [reader.file("fund_flows"), fund_code],
        )
        if reader.has("fund_flows")
        else []
    )
    for row in flows:
        source = row["from_org_code"]
        target = row["to_org_code"] or f"payees:{source}"
        totals[(source, target)] += Decimal(row["amount"] or 0)
        inflow[target] += Decimal(row["amount"] or 0)
        outflow[source] += Decimal(row["amount"] or 0)
        codes.update(code for code in (row["from_org_code"], row["to_org_code"]) if code)
    paid = (
        reader.query(
            "SELECT approver_org_code, sum(amount) AS amount FROM read_parquet(?) "
            "WHERE fund_code = ? AND approver_org_code IS NOT NULL AND approver_org_code <> '' GROUP BY ALL",
            [reader.file("benefits"), fund_code],
        )
        if reader.has("benefits")
        else []
    )
    for row in paid:
        source = row["approver_org_code"]
        totals[(source, f"households:{source}")] += Decimal(row["amount"] or 0)
        outflow[source] += Decimal(row["amount"] or 0)
    retained = inflow.get(org_code, Decimal(0)) - outflow.get(org_code, Decimal(0))
    if hit.rule_id == "M01" and hit.amount is not None:
        retained = hit.amount
    retained_node = f"retained:{org_code}"
    if retained > 0:
        totals[(org_code, retained_node)] += retained
    names = {
        row["org_code"]: row["name"] for row in reader.rows_where_in("orgs", "org_code", codes | {org_code})
    }

    def label(node: str) -> str:
        kind, _, code = node.partition(":")
        if kind == "payees" and code:
            return f"{names.get(code, code)}→收款人"
        if kind == "households" and code:
            return f"{names.get(code, code)}→发放到户"
        if kind == "retained" and code:
            return f"{names.get(code, code)} 滞留/截留 {_money(retained)}"
        return names.get(node, node)

    for source, target in list(totals):  # a sankey cannot draw a cycle: drop the smaller direction
        if (
            (target, source) in totals
            and totals[(source, target)] <= totals[(target, source)]
            and source < target
        ):
            del totals[(source, target)]
    nodes = sorted({node for pair in totals for node in pair})
    return {
        "type": "sankey",
        "title": f"专项资金 {fund_code} 流向",
        "nodes": [
            {
                "name": label(node),
                "id": node,
                "is_subject": node == org_code,
                "is_retained": node == retained_node,
            }
            for node in nodes
        ],
        "links": [
            {"source": label(source), "target": label(target), "value": float(value)}
            for (source, target), value in sorted(totals.items())
            if value > 0
        ],
        "retained": f"{retained:.2f}",
    }


def _record_days(reader: PackageReader, keys: dict[str, list[str]]) -> dict[dt.date, dict[str, Any]]:
    days: dict[dt.date, dict[str, Any]] = defaultdict(lambda: {"amount": Decimal(0), "count": 0, "items": []})
    for row in reader.rows_by_key("expenses", keys.get("expenses", [])):
        entry = days[row["date"]]
        entry["amount"] += Decimal(row["amount"] or 0)
        entry["count"] += 1
        entry["items"].append(f"{row['category']} {row['vendor_name'] or ''} {_money(row['amount'])}")
    for row in reader.rows_by_key("vehicle_trips", keys.get("vehicle_trips", [])):
        entry = days[row["start_time"].date()]
        entry["count"] += 1
        entry["items"].append(
            f"{row['plate']} → {row['destination'] or ''}（{row['destination_category'] or ''}）"
        )
    for row in reader.rows_by_key("transactions", keys.get("transactions", [])):
        entry = days[row["time"].date()]
        entry["amount"] += Decimal(row["amount"] or 0)
        entry["count"] += 1
        entry["items"].append(
            f"{row['from_name'] or row['from_id']} {row['channel'] or ''} {_money(row['amount'])}"
        )
    return days


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def calendar_data(reader: PackageReader, hit: HitLike) -> dict[str, Any]:
    days = _record_days(reader, parse_record_ids(split_record_ids(hit.record_ids)))
    if not days:
        return {
            "type": "calendar",
            "title": "日历",
            "ranges": [],
            "days": [],
            "rest_days": [],
            "festivals": [],
        }
    first, last = min(days), max(days)
    # At least the month before and after, so a festival window around the records shows.
    start = (first.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    end = _month_end(_month_end(last) + dt.timedelta(days=1))
    if (end - start).days > 366:  # keep it readable: the year around the last record
        start = (end - dt.timedelta(days=365)).replace(day=1)
    facts = [workdays.day_facts(day) for day in workdays.days(start, end)]
    rest_days = [f.day.isoformat() for f in facts if f.is_rest]
    festivals = [{"date": f.day.isoformat(), "name": f.holiday_chinese} for f in facts if f.festival]
    uncovered = workdays.unknown_years(start, end)
    return {
        "type": "calendar",
        "title": "休息日与节日前后的记录",
        "range": [start.isoformat(), end.isoformat()],
        "days": [
            {
                "date": day.isoformat(),
                "amount": float(entry["amount"]),
                "count": entry["count"],
                "items": entry["items"][:10],
                "is_rest_day": day.isoformat() in rest_days,
            }
            for day, entry in sorted(days.items())
            if start <= day <= end
        ],
        "rest_days": rest_days,
        "festivals": festivals,
        # Shown under the chart: rest days of these years are Saturdays and Sundays only.
        "unknown_years": uncovered,
    }


def hit_charts(
    package_path: str, hit: HitLike, params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The hit's pictures; `params` are the scan's `RULE.name` values (defaults for the rest)."""
    builders = {"graph": graph_data, "sankey": sankey_data, "calendar": calendar_data}
    measures = {
        "fuel": limits.fuel_data,
        "payments": limits.payments_data,
        "years": limits.years_data,
        "declared": limits.declared_data,
    }
    kinds = chart_kinds(hit.rule_id)
    with PackageReader(package_path) as reader:
        charts = [
            builders[kind](reader, hit) if kind in builders else measures[kind](reader, hit, params)
            for kind in kinds
            if kind != "bids"
        ]
    if "bids" in kinds:  # the fence is the scan's: the rule's own SQL over the whole package
        charts.append(procurement.bid_axis_data(package_path, hit, params))
    return charts
