"""C05 and F09-F12: new suppliers, fuel against the tank, official cards, reception costs, at every bound."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from rule_kit import PackageFactory, official, run_rule
from rule_kit import person_id as pid


def test_c05_large_contract_for_a_company_younger_than_the_window(make_package: PackageFactory) -> None:
    founded = dt.date(2025, 1, 1)

    def company(uscc: str, reg: dt.date) -> dict[str, str]:
        return {"uscc": uscc, "name": f"{uscc}公司", "reg_date": reg.isoformat(), "status": "存续"}

    def contract(cid: str, uscc: str, signed: dt.date, amount: str = "1000000.00") -> dict[str, str]:
        return {
            "contract_id": cid,
            "buyer_org_code": "G1",
            "supplier_uscc": uscc,
            "amount": amount,
            "sign_date": signed.isoformat(),
        }

    package = make_package(
        {
            "orgs": [{"org_code": "G1", "name": "县交通运输局", "region_code": "370102"}],
            "companies": [
                company("U1", founded),
                company("U2", founded),
                company("U3", founded),
                company("U4", founded),
                company("U5", founded),
            ],
            "contracts": [
                contract("K1", "U1", founded + dt.timedelta(days=179)),  # 179 days, exactly min_amount
                contract("K2", "U2", founded + dt.timedelta(days=180)),  # 180 days: not fewer
                contract("K3", "U3", founded, "2000000.00"),  # signed the day it was founded
                contract("K4", "U4", founded - dt.timedelta(days=1), "2000000.00"),  # before it existed
                contract("K5", "U5", founded + dt.timedelta(days=10), "999999.99"),
                contract("K6", "U6", founded, "5000000.00"),  # supplier not registered
            ],
        }
    )
    hits = run_rule(package, "C05")
    assert set(hits) == {"U1", "U3"}
    assert hits["U1"].record_ids == "companies:U1;contracts:K1"
    assert hits["U1"].amount == Decimal("1000000.00")
    assert "成立179天即与县交通运输局签订大额合同" in hits["U1"].explanation
    assert set(run_rule(package, "C05", params={"C05.days": 181})) == {"U1", "U2", "U3"}


def _fill(fid: str, plate: str, time: str, liters: str, amount: str = "100.00") -> dict[str, str]:
    return {"fill_id": fid, "plate": plate, "time": time, "liters": liters, "amount": amount}


def test_f09_fills_within_the_window_above_the_tank(make_package: PackageFactory) -> None:
    package = make_package(
        {
            "orgs": [{"org_code": "G1", "name": "县财政局", "region_code": "370102"}],
            "official_vehicles": [
                {"plate": plate, "org_code": "G1", "model": "帕萨特", "tank_liters": "50"}
                for plate in ("A", "B", "C", "E", "F", "G")
            ],
            "fuel_fills": [
                _fill("a1", "A", "2024-05-06 08:00:00", "30"),
                _fill("a2", "A", "2024-05-06 12:00:00", "25.01"),  # the window's end is inside: 55.01
                _fill("b1", "B", "2024-05-06 08:00:00", "30"),
                _fill("b2", "B", "2024-05-06 12:00:01", "25.01"),  # one second past the window
                _fill("c1", "C", "2024-05-06 08:00:00", "30"),
                _fill("c2", "C", "2024-05-06 11:00:00", "25"),  # exactly (1 + 0.1) x 50: not over
                _fill("d1", "D", "2024-05-06 08:00:00", "100"),  # not an official vehicle
                _fill("e1", "E", "2024-05-06 08:00:00", "55.0001", "400.00"),  # one fill alone
                _fill("f1", "F", "2024-05-06 08:00:00", "20"),
                _fill("f2", "F", "2024-05-06 10:00:00", "20"),
                _fill("f3", "F", "2024-05-06 13:00:00", "20"),  # 40 in any 4 hours
                _fill("g1", "G", "2024-05-06 07:00:00", "10", "70.00"),  # in no window over the tank
                _fill("g2", "G", "2024-05-06 09:00:00", "30", "210.00"),
                _fill("g3", "G", "2024-05-06 12:00:00", "30", "211.00"),
            ],
        }
    )
    hits = run_rule(package, "F09")
    assert set(hits) == {"A", "E", "G"}
    assert hits["G"].record_ids == "fuel_fills:g2;fuel_fills:g3;official_vehicles:G"
    assert hits["G"].amount == Decimal("421.00")
    assert hits["G"].subject_name == "县财政局"
    assert "油箱容积50.00升，4小时内加油最多达60.00升" in hits["G"].explanation
    assert set(run_rule(package, "F09", params={"F09.window_hours": 5})) == {"A", "B", "E", "F", "G"}
    # a limit of 50.01 litres: C's 55 is over it, B's fills stay 4 hours and a second apart
    assert set(run_rule(package, "F09", params={"F09.tolerance": "0.0002"})) == {"A", "C", "E", "G"}


def _payment(
    pid_: str,
    holder: str,
    time: str,
    amount: str,
    merchant: str = "某饭店",
    category: str = "餐饮",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "payment_id": pid_,
        "card_no": extra.pop("card_no", f"C{holder[-4:]}"),
        "holder_id": holder,
        "time": time,
        "merchant_name": merchant,
        "merchant_category": category,
        "amount": amount,
        **extra,
    }


def test_f10_official_card_on_rest_days_at_listed_merchants(make_package: PackageFactory) -> None:
    holiday, adjusted, hotel, mall, weekday = (pid(n) for n in range(1, 6))
    package = make_package(
        {
            "officials": [official(holiday, name="张明")],
            "card_payments": [
                _payment("p1", holiday, "2024-10-03 12:00:00", "800.00"),  # National Day
                _payment("p2", adjusted, "2024-10-12 12:00:00", "800.00"),  # 调休 Saturday: a workday
                _payment("p3", hotel, "2024-03-09 12:00:00", "800.00", "某宾馆", "酒店"),  # not listed
                _payment("p4", mall, "2024-03-09 15:00:00", "2000.00", "某商场", "商场"),  # Saturday
                _payment("p5", weekday, "2024-03-11 15:00:00", "300.00", "某景区", "景区"),  # Monday
            ],
        }
    )
    hits = run_rule(package, "F10")
    assert set(hits) == {holiday, mall}
    assert hits[holiday].subject_name == "张明"
    assert hits[holiday].explanation.startswith(f"张明({holiday[:4]}…{holiday[-4:]})2024年10月3日休息日")
    assert hits[mall].amount == Decimal("2000.00")


def test_f11_payments_split_below_the_limit_on_one_day(make_package: PackageFactory) -> None:
    split, equal, short, midnight, merchants = (pid(n) for n in range(1, 6))
    package = make_package(
        {
            "card_payments": [
                _payment("a1", split, "2024-05-06 12:00:00", "3000.00"),
                _payment("a2", split, "2024-05-06 12:05:00", "2000.00"),  # together exactly 5000
                _payment("b1", equal, "2024-05-06 12:00:00", "5000.00"),  # one payment = threshold
                _payment("b2", equal, "2024-05-06 12:05:00", "1.00"),
                _payment("c1", short, "2024-05-06 12:00:00", "2999.99"),
                _payment("c2", short, "2024-05-06 12:05:00", "2000.00"),  # 4999.99
                _payment("d1", midnight, "2024-05-06 23:59:59", "3000.00"),
                _payment("d2", midnight, "2024-05-07 00:00:00", "2000.00"),  # the next day
                _payment("e1", merchants, "2024-05-06 12:00:00", "3000.00"),
                _payment("e2", merchants, "2024-05-06 12:05:00", "2000.00", "另一饭店"),
            ],
        }
    )
    hits = run_rule(package, "F11")
    assert set(hits) == {split}
    assert hits[split].record_ids == "card_payments:a1;card_payments:a2"
    assert hits[split].amount == Decimal("5000.00")
    assert "在某饭店同日分2笔支付" in hits[split].explanation
    assert set(run_rule(package, "F11", params={"F11.threshold": "4999.99"})) == {split, short}


def _reception(eid: str, org: str, day: str, amount: str, category: str = "公务接待") -> dict[str, str]:
    return {"expense_id": eid, "org_code": org, "category": category, "amount": amount, "date": day}


def test_f12_reception_costs_rising_steeply_year_on_year(make_package: PackageFactory) -> None:
    package = make_package(
        {
            "orgs": [{"org_code": "G1", "name": "县财政局", "region_code": "370102"}],
            "expenses": [
                _reception("g1a", "G1", "2023-03-01", "40000.00"),
                _reception("g1b", "G1", "2024-03-01", "30000.00"),
                _reception("g1c", "G1", "2024-09-01", "22000.01"),  # 52000.01 > 1.3 x 40000
                _reception("g2a", "G2", "2023-03-01", "40000.00"),
                _reception("g2b", "G2", "2024-03-01", "52000.00"),  # exactly 1.3 x
                _reception("g3a", "G3", "2023-03-01", "10000.00"),
                _reception("g3b", "G3", "2024-03-01", "49999.99"),  # below min_amount
                _reception("g4a", "G4", "2024-03-01", "100000.00"),  # no previous year
                _reception("g5a", "G5", "2022-03-01", "10000.00"),
                _reception("g5b", "G5", "2024-03-01", "80000.00"),  # two years apart
                _reception("g6a", "G6", "2023-03-01", "10000.00", "会议"),
                _reception("g6b", "G6", "2024-03-01", "80000.00", "会议"),
            ],
        }
    )
    hits = run_rule(package, "F12")
    assert set(hits) == {"G1/2024"}
    hit = hits["G1/2024"]
    assert hit.amount == Decimal("52000.01")
    assert hit.record_ids == "expenses:g1a;expenses:g1b;expenses:g1c"
    assert hit.subject_name == "县财政局/2024年"
    assert "2024年公务接待费52000.01元，2023年40000.00元" in hit.explanation
    assert "当年2笔" in hit.explanation
    assert set(run_rule(package, "F12", params={"F12.min_amount": "49999.99"})) == {"G1/2024", "G3/2024"}
