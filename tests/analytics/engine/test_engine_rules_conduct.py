"""F rules (四风): hand-made positives and near-misses, on the real 2024 holiday calendar."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rule_kit import PackageFactory, official, run_rule
from rule_kit import person_id as pid


def _expense(
    eid: str, org: str, day: str, category: str = "公务接待", amount: str = "1000.00", **extra: Any
) -> dict[str, Any]:
    return {"expense_id": eid, "org_code": org, "category": category, "amount": amount, "date": day, **extra}


def _txn(
    tid: str, sender: str, receiver: str, day: str, amount: str = "500.00", channel: str = "微信红包"
) -> dict[str, str]:
    return {
        "txn_id": tid,
        "time": f"{day} 10:00:00",
        "from_id": sender,
        "to_id": receiver,
        "amount": amount,
        "channel": channel,
    }


def test_f01_reception_on_a_rest_day(make_package: PackageFactory) -> None:
    package = make_package(
        {
            "expenses": [
                _expense("e1", "HOLIDAY", "2024-10-03"),  # National Day holiday
                _expense("e2", "ADJUSTED", "2024-10-12"),  # a Saturday made a workday (调休)
                _expense("e3", "TRAVEL", "2024-03-10", category="差旅"),  # Sunday, not a reception
                _expense("e4", "WEEKEND", "2024-03-09"),  # Saturday
                _expense("e5", "WEEKDAY", "2024-03-11"),  # Monday
            ]
        }
    )
    assert set(run_rule(package, "F01")) == {"HOLIDAY", "WEEKEND"}


def test_f02_amount_per_head_above_the_standard(make_package: PackageFactory) -> None:
    package = make_package(
        {
            "expenses": [
                _expense("e1", "OVER", "2024-03-11", amount="301.00", headcount="2"),
                _expense("e2", "EQUAL", "2024-03-11", amount="300.00", headcount="2"),
                _expense("e3", "NOBODY", "2024-03-11", amount="900.00", headcount="0"),
                _expense("e4", "MEETING", "2024-03-11", category="会议", amount="900.00", headcount="1"),
                _expense("e5", "HIGH", "2024-03-11", amount="401.00", headcount="2"),
            ]
        }
    )
    assert set(run_rule(package, "F02")) == {"OVER", "HIGH"}
    assert set(run_rule(package, "F02", params={"F02.per_head_max": "200"})) == {"HIGH"}


def test_f03_entertainment_or_scenic_vendors(make_package: PackageFactory) -> None:
    package = make_package(
        {
            "expenses": [
                _expense(
                    "e1",
                    "KTV",
                    "2024-03-11",
                    category="其他",
                    vendor_category="娱乐场所",
                    vendor_name="某KTV",
                ),
                _expense("e2", "PARK", "2024-03-11", category="差旅", vendor_category="景区"),
                _expense("e3", "FOOD", "2024-03-11", vendor_category="餐饮"),
            ]
        }
    )
    hits = run_rule(package, "F03")
    assert set(hits) == {"KTV", "PARK"}
    assert "某KTV" in hits["KTV"].explanation


def test_f04_shopping_and_top_up_cards(make_package: PackageFactory) -> None:
    package = make_package(
        {
            "expenses": [
                _expense("e1", "CARD", "2024-03-11", category="办公用品", vendor_category="购物卡"),
                _expense(
                    "e2",
                    "MEMO",
                    "2024-03-11",
                    category="办公用品",
                    vendor_category="其他",
                    memo="购买加油卡5张",
                ),
                _expense(
                    "e3", "FUEL", "2024-03-11", category="公务用车", vendor_category="加油", memo="加油"
                ),
            ]
        }
    )
    assert set(run_rule(package, "F04")) == {"CARD", "MEMO"}


def test_f05_private_use_of_official_cars(make_package: PackageFactory) -> None:
    def trip(tid: str, plate: str, start: str, category: str) -> dict[str, str]:
        return {"trip_id": tid, "plate": plate, "start_time": start, "destination_category": category}

    package = make_package(
        {
            "vehicle_trips": [
                trip("t1", "鲁A1", "2024-10-02 09:00:00", "景区"),  # holiday, scenic spot
                trip("t2", "鲁A2", "2024-03-11 12:00:00", "餐饮"),  # workday restaurant
                trip("t3", "鲁A3", "2024-03-11 21:00:00", "娱乐场所"),  # entertainment, any day
                trip("t4", "鲁A4", "2024-03-09 09:00:00", "机关"),  # weekend, to an office
            ]
        }
    )
    hits = run_rule(package, "F05")
    assert set(hits) == {"鲁A1", "鲁A3"}
    assert hits["鲁A1"].amount is None


def test_f06_gifts_from_managed_parties_in_festival_windows(make_package: PackageFactory) -> None:
    leader, staff, colleague, rep, stranger, recipient = pid(1), pid(2), pid(3), pid(4), pid(5), pid(6)
    package = make_package(
        {
            "officials": [
                official(leader, org="G1", is_leader=True),
                official(staff, org="G1"),
                official(colleague, org="G1"),
            ],
            "contracts": [
                {
                    "contract_id": "K1",
                    "buyer_org_code": "G1",
                    "supplier_uscc": "U1",
                    "amount": "1.00",
                    "sign_date": "2023-01-01",
                }
            ],
            "companies": [{"uscc": "U1", "name": "甲公司", "legal_rep_id": rep, "status": "存续"}],
            "shareholders": [],
            "benefits": [
                {
                    "record_id": "b1",
                    "program": "低保",
                    "person_id": recipient,
                    "amount": "1.00",
                    "period": "2023-01",
                    "pay_date": "2023-01-10",
                    "approver_org_code": "G1",
                }
            ],
            "transactions": [
                _txn("t1", rep, leader, "2024-10-02"),  # supplier's legal rep, National Day: hit
                _txn("t2", rep, leader, "2024-10-02", amount="199.99"),  # below min_amount
                _txn("t3", rep, leader, "2024-10-02", channel="银行转账"),  # excluded channel
                _txn("t4", rep, leader, "2024-10-14", channel="微信转账"),  # 7 days after 10-07: hit
                _txn("t5", rep, leader, "2024-10-15", channel="微信转账"),  # 8 days after
                _txn("t6", stranger, leader, "2024-10-02"),  # not a managed party
                _txn("t7", staff, leader, "2024-10-01", amount="300.00"),  # subordinate of a leader: hit
                _txn("t8", leader, staff, "2024-10-01", amount="300.00"),  # a leader is not managed by staff
                _txn(
                    "t9", recipient, colleague, "2024-02-10", amount="200.00"
                ),  # benefit recipient, Spring Festival
            ],
        }
    )
    hits = run_rule(package, "F06")
    assert set(hits) == {leader, colleague}
    transactions = [key for key in hits[leader].record_ids.split(";") if key.startswith("transactions:")]
    assert transactions == ["transactions:t1", "transactions:t4", "transactions:t7"]
    assert hits[leader].amount == Decimal("1300.00")
    assert set(run_rule(package, "F06", params={"F06.festival_days": 8})[leader].record_ids.split(";")) >= {
        "transactions:t5"
    }


def test_f07_frequent_gifts_from_one_managed_party_within_365_days(make_package: PackageFactory) -> None:
    officials = {
        name: pid(n) for n, name in enumerate(["yearly", "too_slow", "large", "small", "spread"], start=1)
    }
    parties = {name: pid(100 + n) for n, name in enumerate(officials)}
    benefits = [
        {
            "record_id": f"b{n}",
            "program": "低保",
            "person_id": parties[name],
            "amount": "1.00",
            "period": "2023-01",
            "pay_date": "2023-01-10",
            "approver_org_code": f"G{n}",
        }
        for n, name in enumerate(officials)
    ]
    others = [pid(200 + n) for n in range(3)]
    benefits += [
        {
            "record_id": f"x{n}",
            "program": "低保",
            "person_id": other,
            "amount": "1.00",
            "period": "2023-01",
            "pay_date": "2023-01-10",
            "approver_org_code": "G4",
        }
        for n, other in enumerate(others)
    ]
    txns = [
        _txn("a1", parties["yearly"], officials["yearly"], "2024-01-01", "100.00", "银行转账"),
        _txn("a2", parties["yearly"], officials["yearly"], "2024-06-01", "100.00", "其他"),
        _txn("a3", parties["yearly"], officials["yearly"], "2024-12-30", "100.00"),  # 364 days after a1
        _txn("b1", parties["too_slow"], officials["too_slow"], "2024-01-01", "100.00"),
        _txn("b2", parties["too_slow"], officials["too_slow"], "2024-06-01", "100.00"),
        _txn("b3", parties["too_slow"], officials["too_slow"], "2024-12-31", "100.00"),  # 365 days after b1
        _txn("c1", parties["large"], officials["large"], "2024-01-01", "2500.00"),
        _txn("c2", parties["large"], officials["large"], "2024-03-01", "2500.00"),
        _txn("d1", parties["small"], officials["small"], "2024-01-01", "2500.00"),
        _txn("d2", parties["small"], officials["small"], "2024-03-01", "2499.99"),
    ]
    txns += [
        _txn(f"e{n}", other, officials["spread"], "2024-03-01", "100.00") for n, other in enumerate(others)
    ]
    package = make_package(
        {
            "officials": [official(person, org=f"G{n}") for n, person in enumerate(officials.values())],
            "benefits": benefits,
            "transactions": txns,
        }
    )
    hits = run_rule(package, "F07")
    assert set(hits) == {officials["yearly"], officials["large"]}
    assert hits[officials["large"]].amount == Decimal("5000.00")


def test_f08_many_senders_within_the_window(make_package: PackageFactory) -> None:
    wedding, four_days, bank, repeat = pid(1), pid(2), pid(3), pid(4)
    days = ["2024-05-01", "2024-05-02", "2024-05-03"]
    txns = [_txn(f"w{n}", f"S{n}", wedding, days[n % 3], "200.00") for n in range(10)]
    txns += [_txn(f"f{n}", f"S{n}", four_days, days[n % 3], "200.00") for n in range(9)]
    txns += [_txn("f9", "S9", four_days, "2024-05-04", "200.00")]
    txns += [_txn(f"k{n}", f"S{n}", bank, days[n % 3], "200.00") for n in range(9)]
    txns += [_txn("k9", "S9", bank, "2024-05-02", "200.00", "银行转账")]
    txns += [_txn(f"r{n}", f"S{n % 9}", repeat, days[n % 3], "200.00") for n in range(10)]
    package = make_package(
        {"officials": [official(who) for who in (wedding, four_days, bank, repeat)], "transactions": txns}
    )
    hits = run_rule(package, "F08")
    assert set(hits) == {wedding}
    assert hits[wedding].amount == Decimal("2000.00")
    assert four_days in run_rule(package, "F08", params={"F08.window_days": 4})
