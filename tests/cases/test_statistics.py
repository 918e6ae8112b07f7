"""Statistics: the numbers, and every number links to the list behind it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from lianqing.cases.models import Disposal, Kind, Outcome
from lianqing.cases.statistics import Period, case_statistics
from lianqing.core.roles import Role
from tests.cases.factories import act, local_dt, register_case

JANUARY = Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31))


@pytest.fixture
def numbers(org_tree, make_user):
    officer = make_user(Role.PETITION, org=org_tree.petition_office, username="xinfang")
    manager = make_user(Role.CASE_MANAGEMENT, org=org_tree.case_office, username="anguan")
    leader = make_user(Role.LEADER, org=org_tree.commission, username="lingdao")
    register_case(org_tree.commission, received_at=local_dt(2025, 1, 6), source="online")
    register_case(org_tree.commission, received_at=local_dt(2025, 1, 6), source="letter", category="bribery")
    register_case(org_tree.township_a, received_at=local_dt(2025, 1, 20), source="online")
    register_case(org_tree.commission, received_at=local_dt(2025, 2, 3))  # outside January
    lead = register_case(
        org_tree.commission, kind=Kind.LEAD, source="data_scan", received_at=local_dt(2025, 1, 7)
    )
    act(lead, "assign", manager, to_org=org_tree.case_office)
    act(lead, "dispose", manager, method=Disposal.VERIFY)
    act(lead, "record_outcome", manager, outcome=Outcome.ADMONITION)
    return {"officer": officer, "leader": leader}


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def test_counts_by_source_category_region_org_and_forms(numbers, org_tree):
    stats = case_statistics(user=numbers["leader"], period=JANUARY)
    assert stats["totals"]["received"]["value"] == 4
    assert stats["totals"]["leads"]["value"] == 1
    assert stats["intake"]["labels"] == ["2025-01-06", "2025-01-07", "2025-01-20"]
    online = next(s for s in stats["intake"]["series"] if s["key"] == "online")
    assert online["values"] == [1, 0, 1]
    assert {row["key"]: row["value"] for row in stats["category"]} == {"sifeng_dining": 3, "bribery": 1}
    assert {row["label"]: row["value"] for row in stats["forms"]} == {"第一种形态": 1}
    assert {row["label"]: row["value"] for row in stats["disposal"]} == {"初步核实": 1}
    assert sum(row["value"] for row in stats["org"]) == 4
    assert stats["totals"]["overdue"]["value"] == 4  # 2025 deadlines are long past


@pytest.mark.parametrize(
    "period",
    [
        pytest.param(JANUARY, id="daily-from-daily-tallies"),
        pytest.param(Period(dt.date(2024, 12, 1), dt.date(2025, 3, 31)), id="whole-months-from-tallies"),
        pytest.param(Period(dt.date(2024, 12, 15), dt.date(2025, 2, 20)), id="whole-months-and-edge-days"),
    ],
)
def test_every_number_drills_down_to_the_same_list(numbers, client_for, period):
    stats = case_statistics(user=numbers["leader"], period=period)
    client = client_for(numbers["leader"])
    row = next(r for r in stats["category"] if r["key"] == "bribery")
    assert _query(row["url"])["category"] == ["bribery"]
    listing = client.get(row["url"]).content.decode()
    assert listing.count('class="form-check-input case-check"') == row["value"]
    forms_row = stats["forms"][0]
    assert client.get(forms_row["url"]).content.decode().count("case-check") == forms_row["value"]
    for total in ("received", "concluded", "leads", "overdue", "open_with_deadline"):
        listing = client.get(stats["totals"][total]["url"]).content.decode()
        assert listing.count("case-check") == stats["totals"][total]["value"], total
    for row in stats["stock"] + stats["org"] + stats["region"] + stats["disposal"]:
        assert client.get(row["url"]).content.decode().count("case-check") == row["value"], row


def test_monthly_buckets_for_long_periods(numbers):
    stats = case_statistics(user=numbers["leader"], period=Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30)))
    assert stats["intake"]["granularity"] == "month"
    assert stats["intake"]["labels"] == ["2025-01", "2025-02"]


def test_statistics_page_and_roles(numbers, client_for, org_tree, make_user):
    page = client_for(numbers["leader"]).get(
        reverse("cases:statistics"), {"from": "2025-01-01", "to": "2025-01-31"}
    )
    assert page.status_code == 200
    assert 'id="stats-data"' in page.content.decode()
    analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission, username="shuju")
    assert client_for(analyst).get(reverse("cases:statistics")).status_code == 403
    bad = client_for(numbers["leader"]).get(reverse("cases:statistics"), {"from": "yesterday"})
    assert "日期无法识别" in bad.content.decode()
    data = client_for(numbers["leader"]).get(
        reverse("cases:statistics_data"), {"from": "2025-01-01", "to": "2025-01-31"}
    )
    assert data.json()["totals"]["received"]["value"] == 4


@pytest.mark.parametrize(
    "period",
    [
        pytest.param(JANUARY, id="counted-live"),
        pytest.param(Period(dt.date(2024, 12, 1), dt.date(2025, 3, 31)), id="from-tallies"),
    ],
)
def test_a_concluded_petition_counts_in_disposal_and_forms(org_tree, make_user, period):
    # Defect 6: 办结 of a petition records 处置方式 and the outcome, so the statistics count it
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    handler = make_user(Role.SUPERVISION, org=org_tree.supervision_office)
    leader = make_user(Role.LEADER, org=org_tree.commission)
    case = register_case(org_tree.commission, received_at=local_dt(2025, 1, 6))
    act(case, "accept", officer)
    act(case, "assign", officer, to_org=org_tree.supervision_office, handler=handler)
    act(case, "start", handler)
    act(case, "conclude", handler, disposal=Disposal.TALK, outcome=Outcome.ORDERED_REVIEW, result="责令检查")
    stats = case_statistics(user=leader, period=period)
    assert {row["label"]: row["value"] for row in stats["disposal"]} == {"谈话函询": 1}
    assert {row["label"]: row["value"] for row in stats["forms"]} == {"第一种形态": 1}
    assert stats["totals"]["leads"]["value"] == 0  # a petition is not a lead
