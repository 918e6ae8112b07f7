"""M rules (专项资金流向): hand-made positives and near-misses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rule_kit import PackageFactory, official, run_rule
from rule_kit import person_id as pid


def _flow(
    fid: str, to: str | None, amount: str, day: str, source: str = "TOP", payee: str | None = None
) -> dict[str, Any]:
    return {
        "flow_id": fid,
        "fund_code": "F1",
        "fund_name": "衔接资金",
        "from_org_code": source,
        "to_org_code": to,
        "payee_id": payee,
        "amount": amount,
        "date": day,
    }


def _paid(rid: str, org: str, amount: str, day: str, fund: str = "F1") -> dict[str, Any]:
    return {
        "record_id": rid,
        "program": "低保",
        "person_id": pid(int(rid[1:])),
        "amount": amount,
        "period": day[:7],
        "pay_date": day,
        "approver_org_code": org,
        "fund_code": fund,
    }


def test_m01_money_held_beyond_hold_days(make_package: PackageFactory) -> None:
    package = make_package(
        {
            "fund_flows": [
                _flow("x1", "X", "1000.00", "2024-01-01"),
                _flow("x2", None, "600.00", "2024-02-01", source="X", payee="SOMEONE"),  # 400 stays: hit
                _flow("y1", "Y", "1000.00", "2024-01-01"),
                _flow("y2", "Y2", "1000.00", "2024-03-31", source="Y"),  # passed on exactly on day 90
                _flow("z1", "Z", "1000.00", "2025-05-01"),  # day 90 is after as_of
                _flow("w1", "W", "1000.00", "2024-01-01"),
            ],
            "benefits": [_paid("b1", "W", "600.00", "2024-02-01"), _paid("b2", "W", "400.00", "2024-03-01")],
        }
    )
    hits = run_rule(package, "M01", as_of="2025-06-30")
    assert set(hits) == {"X/F1", "Y2/F1"}  # Y2 keeps what Y passed on
    assert hits["X/F1"].amount == Decimal("400.00")
    assert hits["X/F1"].record_ids == "fund_flows:x1"
    assert set(run_rule(package, "M01", as_of="2025-06-30", params={"M01.hold_days": 30})) >= {"Y/F1"}


def test_m02_flows_to_a_company_of_an_officials_relative(make_package: PackageFactory) -> None:
    official_id, spouse, other_official = pid(1), pid(2), pid(3)
    package = make_package(
        {
            "officials": [
                official(official_id, org="G1", start="2023-01-01"),
                official(other_official, org="G9"),
            ],
            "relatives": [{"official_id": official_id, "relative_id": spouse, "relation": "配偶"}],
            "companies": [
                {"uscc": "U1", "name": "甲公司", "legal_rep_id": spouse, "status": "存续"},
                {"uscc": "U2", "name": "乙公司", "legal_rep_id": other_official, "status": "存续"},
                {"uscc": "U3", "name": "丙公司", "legal_rep_id": official_id, "status": "存续"},
            ],
            "shareholders": [],
            "fund_flows": [
                _flow("f1", None, "50000.00", "2024-05-01", source="G1", payee="U1"),  # spouse's company
                _flow(
                    "f2", None, "50000.00", "2024-05-01", source="G1", payee="U2"
                ),  # another org's official
                _flow("f3", None, "50000.00", "2022-05-01", source="G1", payee="U3"),  # before taking post
            ],
        }
    )
    hits = run_rule(package, "M02")
    assert set(hits) == {"G1/U1"}
    assert hits["G1/U1"].record_ids == f"fund_flows:f1;relatives:{official_id}|{spouse}"


def test_m03_too_little_reaches_the_beneficiaries(make_package: PackageFactory) -> None:
    package = make_package(
        {
            "fund_flows": [
                _flow("x1", "X", "1000.00", "2024-01-01"),
                _flow("y1", "Y", "1000.00", "2024-01-01"),
                _flow("z1", "Z", "1000.00", "2024-01-01"),
                _flow("z2", "Z2", "1000.00", "2024-02-01", source="Z"),
                _flow("w1", "W", "1000.00", "2024-01-01"),
            ],
            "benefits": [
                _paid("b1", "X", "900.00", "2024-02-01"),  # 100 kept > 5%
                _paid("b2", "Y", "950.00", "2024-02-01"),  # 50 kept = 5%: not above
                _paid("b3", "Z", "10.00", "2024-02-01", fund="F2"),  # passes everything on
            ],
        }
    )
    hits = run_rule(package, "M03")
    assert set(hits) == {"X/F1"}  # W pays no benefits at all, Z2 neither
    assert hits["X/F1"].amount == Decimal("100.00")
    assert set(run_rule(package, "M03", params={"M03.tolerance": "0.01"})) == {"X/F1", "Y/F1"}
