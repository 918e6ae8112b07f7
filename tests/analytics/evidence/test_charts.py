"""Pictures of a hit's facts: which rules get which picture, and what each picture holds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.leads.packages import OFFICIAL_A, RELATIVE_1, january_package, write_csv_package

from lianqing.analytics.engine import scan
from lianqing.analytics.evidence import chart_kinds, hit_charts


def _imported(tmp_path, tables_or_builder):
    """A package as the importer leaves it (Parquet), from hand-made CSV."""
    from lianqing.analytics.importer import import_package

    source = tables_or_builder(tmp_path / "src")
    out = tmp_path / "pkg"
    assert import_package([str(source)], out).ok
    return out


@pytest.mark.parametrize(
    ("rule_id", "kinds"),
    [
        ("B02", ["graph"]),
        ("M01", ["sankey"]),
        ("F01", ["calendar"]),
        ("F06", ["graph", "calendar"]),
        ("B03", []),
    ],
)
def test_each_rule_gets_its_pictures(rule_id, kinds):
    assert chart_kinds(rule_id) == kinds


def test_b02_graph_links_official_relative_benefits_and_org(tmp_path):
    package = _imported(tmp_path, january_package)
    (found,) = [h for h in scan(package=package, rules=["B02"]).hits if h.subject_id == RELATIVE_1]
    (graph,) = hit_charts(str(package), found)
    nodes = {node["id"]: node for node in graph["nodes"]}
    assert nodes[OFFICIAL_A]["name"] == "张科长"
    assert graph["categories"][nodes[OFFICIAL_A]["category"]]["name"] == "公职人员"
    assert nodes[RELATIVE_1]["is_subject"] is True
    assert nodes["benefits:JAN001"]["name"] == "低保 2025-01 600.00元"
    links = {(link["source"], link["target"]): link["label"] for link in graph["links"]}
    assert links[(OFFICIAL_A, RELATIVE_1)] == "配偶"
    assert links[(RELATIVE_1, "benefits:JAN001")] == "领取"
    assert links[("370124CIV", OFFICIAL_A)] == "任职 科长"


def _fund_package(folder):
    orgs = [
        {"org_code": "FIN", "name": "财政局", "region_code": "370124"},
        {"org_code": "TOWN", "name": "甲镇", "parent_code": "FIN", "region_code": "370124001"},
    ]
    flows = [
        {
            "flow_id": "F1",
            "fund_code": "ZX1",
            "from_org_code": "FIN",
            "to_org_code": "TOWN",
            "amount": "10000.00",
            "date": "2025-01-05",
        },
        {
            "flow_id": "F2",
            "fund_code": "ZX1",
            "from_org_code": "TOWN",
            "payee_id": "91370124MA0000001X",
            "amount": "2000.00",
            "date": "2025-02-05",
        },
    ]
    benefits = [
        {
            "record_id": f"B{n}",
            "program": "低保",
            "person_id": "370124198001010011",
            "amount": "500.00",
            "period": "2025-02",
            "pay_date": "2025-02-10",
            "approver_org_code": "TOWN",
            "fund_code": "ZX1",
        }
        for n in range(4)
    ]
    return write_csv_package(folder, {"orgs": orgs, "fund_flows": flows, "benefits": benefits})


def test_m03_sankey_follows_the_fund_down_the_tree_and_marks_what_stayed(tmp_path):
    package = _imported(tmp_path, _fund_package)
    (found,) = scan(package=package, rules=["M03"]).hits
    (sankey,) = hit_charts(str(package), found)
    links = {(link["source"], link["target"]): link["value"] for link in sankey["links"]}
    assert links[("财政局", "甲镇")] == 10000.0
    assert links[("甲镇", "甲镇→收款人")] == 2000.0
    assert links[("甲镇", "甲镇→发放到户")] == 2000.0
    assert Decimal(sankey["retained"]) == Decimal("6000.00")
    retained = [node for node in sankey["nodes"] if node["is_retained"]]
    assert [node["name"] for node in retained] == ["甲镇 滞留/截留 6,000.00元"]


def test_f01_calendar_marks_the_day_rest_days_and_festivals(tmp_path):
    def build(folder):
        return write_csv_package(
            folder,
            {
                "expenses": [
                    {
                        "expense_id": "E1",
                        "org_code": "FIN",
                        "category": "公务接待",
                        "amount": "480.00",
                        "date": "2025-10-01",
                    }
                ]
            },
        )

    package = _imported(tmp_path, build)
    (found,) = scan(package=package, rules=["F01"]).hits
    (calendar,) = hit_charts(str(package), found)
    assert calendar["range"] == ["2025-09-01", "2025-11-30"]
    (day,) = calendar["days"]
    assert (day["date"], day["amount"], day["is_rest_day"]) == ("2025-10-01", 480.0, True)
    assert "2025-10-04" in calendar["rest_days"]
    assert "2025-09-28" not in calendar["rest_days"]  # 调休: a Sunday that is a workday
    assert {"date": "2025-10-01", "name": "国庆节"} in calendar["festivals"]
