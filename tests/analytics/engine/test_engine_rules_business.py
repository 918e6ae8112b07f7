"""C and P rules (经商办企业, 财政供养): hand-made positives and near-misses."""

from __future__ import annotations

from decimal import Decimal

from rule_kit import PackageFactory, official, run_rule
from rule_kit import person_id as pid


def _company(uscc: str, rep: str | None = None, status: str = "存续", **extra: str) -> dict[str, str | None]:
    return {
        "uscc": uscc,
        "name": f"{uscc}公司",
        "legal_rep_id": rep,
        "status": status,
        "reg_date": "2019-01-01",
        **extra,
    }


def test_c01_official_in_post_at_as_of_running_a_company(make_package: PackageFactory) -> None:
    rep, cadre, retired, revoked, holder = pid(1), pid(2), pid(3), pid(4), pid(5)
    package = make_package(
        {
            "officials": [
                official(rep),
                official(cadre, category="村干部"),
                official(retired, end="2025-01-01"),
                official(revoked),
                official(holder),
            ],
            "companies": [
                _company("U1", rep),
                _company("U2", cadre),
                _company("U3", retired),
                _company("U4", status="吊销"),
                _company("U5"),
            ],
            "shareholders": [{"uscc": "U4", "holder_id": revoked}, {"uscc": "U5", "holder_id": holder}],
        }
    )
    hits = run_rule(package, "C01", as_of="2025-06-30")
    assert set(hits) == {rep, holder}
    assert hits[rep].amount is None
    # Before the retirement date the retired official counts too
    assert retired in run_rule(package, "C01", as_of="2024-12-31")


def test_c02_contract_with_a_relatives_company(make_package: PackageFactory) -> None:
    buyer, child, cousin = pid(1), pid(2), pid(3)
    package = make_package(
        {
            "officials": [official(buyer, org="G1", start="2022-01-01")],
            "relatives": [
                {"official_id": buyer, "relative_id": child, "relation": "子女"},
                {"official_id": buyer, "relative_id": cousin, "relation": "其他"},
            ],
            "companies": [_company("U1", child), _company("U2", cousin)],
            "shareholders": [],
            "contracts": [
                {
                    "contract_id": "K1",
                    "buyer_org_code": "G1",
                    "supplier_uscc": "U1",
                    "amount": "300000.00",
                    "sign_date": "2024-05-01",
                },
                {
                    "contract_id": "K2",
                    "buyer_org_code": "G2",
                    "supplier_uscc": "U1",
                    "amount": "1.00",
                    "sign_date": "2024-05-01",
                },
                {
                    "contract_id": "K3",
                    "buyer_org_code": "G1",
                    "supplier_uscc": "U1",
                    "amount": "2.00",
                    "sign_date": "2021-12-31",
                },
                {
                    "contract_id": "K4",
                    "buyer_org_code": "G1",
                    "supplier_uscc": "U2",
                    "amount": "3.00",
                    "sign_date": "2024-05-01",
                },
            ],
        }
    )
    hits = run_rule(package, "C02")
    assert set(hits) == {buyer}
    assert hits[buyer].amount == Decimal("300000.00")
    assert hits[buyer].record_ids == f"contracts:K1;relatives:{buyer}|{child}"


def test_c03_bidders_sharing_a_phone_or_a_person_shareholder(make_package: PackageFactory) -> None:
    person = pid(1)
    package = make_package(
        {
            "companies": [
                _company("A", phone="0531-1"),
                _company("B", phone="0531-1"),
                _company("C", phone="0531-2", address="甲路1号"),
                _company("D", phone="0531-3", address="乙路2号"),
                _company("E"),
                _company("F"),
                _company("G"),
                _company("H"),
            ],
            "shareholders": [
                {"uscc": "E", "holder_id": "PARENTCO91370000X"},
                {"uscc": "F", "holder_id": "PARENTCO91370000X"},
                {"uscc": "G", "holder_id": person},
                {"uscc": "H", "holder_id": person},
            ],
            "bids": [
                {"tender_id": "T1", "bidder_uscc": "A"},
                {"tender_id": "T1", "bidder_uscc": "B"},
                {"tender_id": "T2", "bidder_uscc": "C"},
                {"tender_id": "T2", "bidder_uscc": "D"},
                {"tender_id": "T3", "bidder_uscc": "E"},
                {"tender_id": "T3", "bidder_uscc": "F"},
                {"tender_id": "T4", "bidder_uscc": "G"},
                {"tender_id": "T4", "bidder_uscc": "H"},
                {"tender_id": "T5", "bidder_uscc": "A"},  # one bidder alone shares nothing
            ],
        }
    )
    hits = run_rule(package, "C03")
    assert set(hits) == {"T1", "T4"}
    assert hits["T1"].record_ids == "bids:T1|A;bids:T1|B;companies:A;companies:B"


def test_c04_split_purchases_within_the_window(make_package: PackageFactory) -> None:
    def contract(cid: str, supplier: str, amount: str, day: str) -> dict[str, str]:
        return {
            "contract_id": cid,
            "buyer_org_code": "G1",
            "supplier_uscc": supplier,
            "amount": amount,
            "sign_date": day,
        }

    package = make_package(
        {
            "contracts": [
                # 30 days from first to last (2024-05-01..05-30): a hit
                contract("a1", "S1", "400000.00", "2024-05-01"),
                contract("a2", "S1", "400000.00", "2024-05-10"),
                contract("a3", "S1", "400000.00", "2024-05-30"),
                contract("a4", "S1", "400000.00", "2024-09-30"),  # outside every window: not listed
                # 31 days: no
                contract("b1", "S2", "400000.00", "2024-05-01"),
                contract("b2", "S2", "400000.00", "2024-05-10"),
                contract("b3", "S2", "400000.00", "2024-05-31"),
                # sum below the threshold: no
                contract("c1", "S3", "300000.00", "2024-05-01"),
                contract("c2", "S3", "300000.00", "2024-05-02"),
                contract("c3", "S3", "300000.00", "2024-05-03"),
                # one contract is not below the threshold: no
                contract("d1", "S4", "1000000.00", "2024-05-01"),
                contract("d2", "S4", "400000.00", "2024-05-02"),
                contract("d3", "S4", "400000.00", "2024-05-03"),
            ]
        }
    )
    hits = run_rule(package, "C04")
    assert set(hits) == {"G1/S1"}
    assert hits["G1/S1"].record_ids == "contracts:a1;contracts:a2;contracts:a3"
    assert hits["G1/S1"].amount == Decimal("1200000.00")
    assert set(run_rule(package, "C04", params={"C04.window_days": 31})) == {"G1/S1", "G1/S2"}


def test_p01_paid_by_two_orgs_in_one_period(make_package: PackageFactory) -> None:
    twice, moved = pid(1), pid(2)
    package = make_package(
        {
            "payroll": [
                {"person_id": twice, "org_code": "G1", "period": "2024-03", "amount": "5000.00"},
                {"person_id": twice, "org_code": "G2", "period": "2024-03", "amount": "4000.00"},
                {"person_id": moved, "org_code": "G1", "period": "2024-03", "amount": "5000.00"},
                {"person_id": moved, "org_code": "G2", "period": "2024-04", "amount": "5000.00"},
            ]
        }
    )
    hits = run_rule(package, "P01")
    assert set(hits) == {twice}
    assert hits[twice].amount == Decimal("9000.00")


def test_p02_salary_after_the_month_of_death(make_package: PackageFactory) -> None:
    dead, dead_late = pid(1), pid(2)
    package = make_package(
        {
            "deaths": [
                {"person_id": dead, "death_date": "2024-03-15"},
                {"person_id": dead_late, "death_date": "2024-04-30"},
            ],
            "payroll": [
                {"person_id": dead, "org_code": "G1", "period": "2024-03", "amount": "5000.00"},
                {"person_id": dead, "org_code": "G1", "period": "2024-04", "amount": "5000.00"},
                {"person_id": dead_late, "org_code": "G1", "period": "2024-04", "amount": "5000.00"},
            ],
        }
    )
    hits = run_rule(package, "P02")
    assert set(hits) == {dead}
    assert hits[dead].record_ids == f"deaths:{dead};payroll:{dead}|G1|2024-04"
