"""B rules (民生资金): each with a hand-made positive and the near-misses its condition names."""

from __future__ import annotations

from decimal import Decimal

from rule_kit import PackageFactory, benefit, official, run_rule
from rule_kit import person_id as pid


def test_b01_official_in_post_on_the_first_day_of_the_period(make_package: PackageFactory) -> None:
    # Given an official in post in March, one who left in February, one starting on 2 March,
    # and one in post receiving a benefit that is not 低保类
    in_post, left, late, other_program = pid(1), pid(2), pid(3), pid(4)
    package = make_package(
        {
            "officials": [
                official(in_post, position="科员"),
                official(left, end="2024-02-29"),
                official(late, start="2024-03-02"),
                official(other_program),
            ],
            "benefits": [
                benefit("b1", in_post, "2024-03", amount="620.00", name="张三"),
                benefit("b2", in_post, "2024-04", program="特困供养", amount="100.50", name="张三"),
                benefit("b3", left, "2024-03"),
                benefit("b4", late, "2024-03"),
                benefit("b5", other_program, "2024-03", program="临时救助"),
            ],
            "orgs": [{"org_code": "G1", "name": "区民政局", "region_code": "370102"}],
        }
    )
    # When B01 runs
    hits = run_rule(package, "B01")
    # Then only the official in post is a hit, with both benefits summed
    assert set(hits) == {in_post}
    hit = hits[in_post]
    assert hit.amount == Decimal("720.50")
    assert hit.record_ids == f"benefits:b1;benefits:b2;officials:{in_post}|G1|2020-01-01"
    assert hit.explanation.startswith(
        f"张三({in_post[:4]}…{in_post[-4:]})系区民政局科员，2024年3月至2024年4月"
    )
    assert "720.50元" in hit.explanation
    assert in_post not in hit.explanation  # the full id only in record_ids


def test_b02_close_relative_of_an_official_in_post(make_package: PackageFactory) -> None:
    # Given an official's parent (benefit approved by the official's org), child (approved
    # elsewhere), a non-close relative, and the spouse of an official no longer in post
    official_id, gone = pid(1), pid(2)
    parent, child, cousin, spouse = pid(11), pid(12), pid(13), pid(14)
    package = make_package(
        {
            "officials": [official(official_id, org="G1"), official(gone, org="G1", end="2023-12-31")],
            "relatives": [
                {"official_id": official_id, "relative_id": parent, "relation": "父母"},
                {"official_id": official_id, "relative_id": child, "relation": "子女"},
                {"official_id": official_id, "relative_id": cousin, "relation": "其他"},
                {"official_id": gone, "relative_id": spouse, "relation": "配偶"},
            ],
            "benefits": [
                benefit("b1", parent, "2024-03", approver_org_code="G1"),
                benefit("b2", child, "2024-03", approver_org_code="G9"),
                benefit("b3", cousin, "2024-03", approver_org_code="G1"),
                benefit("b4", spouse, "2024-03", approver_org_code="G1"),
            ],
        }
    )
    hits = run_rule(package, "B02")
    assert set(hits) == {parent, child}
    assert hits[parent].severity == "高"
    assert hits[child].severity == "中"
    assert f"relatives:{official_id}|{parent}" in hits[parent].record_ids


def test_b02_village_cadre_of_the_same_county_is_high(make_package: PackageFactory) -> None:
    cadre, sibling = pid(1), pid(2)
    package = make_package(
        {
            "officials": [official(cadre, org="V1", category="村干部", region_code="370102001")],
            "relatives": [{"official_id": cadre, "relative_id": sibling, "relation": "兄弟姐妹"}],
            "benefits": [benefit("b1", sibling, "2024-03", approver_org_code="G1", region_code="370102005")],
        }
    )
    assert run_rule(package, "B02")[sibling].severity == "高"


def test_b03_benefit_after_the_month_of_death(make_package: PackageFactory) -> None:
    dead, dead_same_month = pid(1), pid(2)
    package = make_package(
        {
            "deaths": [
                {"person_id": dead, "death_date": "2024-03-15"},
                {"person_id": dead_same_month, "death_date": "2024-03-01"},
            ],
            "benefits": [
                benefit("b1", dead, "2024-03"),
                benefit("b2", dead, "2024-04", program="临时救助"),
                benefit("b3", dead, "2024-05"),
                benefit("b4", dead_same_month, "2024-03"),
            ],
        }
    )
    hits = run_rule(package, "B03")
    assert set(hits) == {dead}
    assert hits[dead].record_ids == f"benefits:b2;benefits:b3;deaths:{dead}"
    # With a month's grace only May remains
    graced = run_rule(package, "B03", params={"B03.grace_months": "1"})
    assert graced[dead].record_ids == f"benefits:b3;deaths:{dead}"


def test_b04_same_person_program_and_period(make_package: PackageFactory) -> None:
    twice, two_months, two_programs = pid(1), pid(2), pid(3)
    package = make_package(
        {
            "benefits": [
                benefit("b1", twice, "2024-03"),
                benefit("b2", twice, "2024-03"),
                benefit("b3", two_months, "2024-03"),
                benefit("b4", two_months, "2024-04"),
                benefit("b5", two_programs, "2024-03"),
                benefit("b6", two_programs, "2024-03", program="医疗救助"),
            ]
        }
    )
    hits = run_rule(package, "B04")
    assert set(hits) == {twice}
    assert hits[twice].amount == Decimal("1000.00")


def test_b04_months_63_apart_share_a_mask_bit_but_are_no_repeat(make_package: PackageFactory) -> None:
    # 2020-01 and 2025-04 are 63 months apart: one bit of the month mask, two periods
    wrapped, repeated_in_second_program = pid(1), pid(2)
    package = make_package(
        {
            "benefits": [
                benefit("b1", wrapped, "2020-01"),
                benefit("b2", wrapped, "2025-04"),
                benefit("b3", repeated_in_second_program, "2024-03"),
                benefit("b4", repeated_in_second_program, "2024-03", program="特困供养"),
                benefit("b5", repeated_in_second_program, "2024-05", program="特困供养"),
                benefit("b6", repeated_in_second_program, "2024-05", program="特困供养"),
            ]
        }
    )
    hits = run_rule(package, "B04")
    assert set(hits) == {repeated_in_second_program}
    assert hits[repeated_in_second_program].amount == Decimal("1000.00")


def test_b05_payroll_in_the_same_period(make_package: PackageFactory) -> None:
    paid, other_month, other_program = pid(1), pid(2), pid(3)
    package = make_package(
        {
            "benefits": [
                benefit("b1", paid, "2024-03"),
                benefit("b2", other_month, "2024-03"),
                benefit("b3", other_program, "2024-03", program="临时救助"),
            ],
            "payroll": [
                {"person_id": paid, "org_code": "G1", "period": "2024-03", "amount": "5000.00"},
                {"person_id": other_month, "org_code": "G1", "period": "2024-04", "amount": "5000.00"},
                {"person_id": other_program, "org_code": "G1", "period": "2024-03", "amount": "5000.00"},
            ],
        }
    )
    hits = run_rule(package, "B05")
    assert set(hits) == {paid}
    assert hits[paid].record_ids == f"benefits:b1;payroll:{paid}|G1|2024-03"


def test_b06_company_in_business_registered_before_payment(make_package: PackageFactory) -> None:
    rep, shareholder, closed, late = pid(1), pid(2), pid(3), pid(4)
    package = make_package(
        {
            "companies": [
                {
                    "uscc": "U1",
                    "name": "甲公司",
                    "legal_rep_id": rep,
                    "status": "存续",
                    "reg_date": "2020-01-01",
                },
                {"uscc": "U2", "name": "乙公司", "status": "存续", "reg_date": "2020-01-01"},
                {
                    "uscc": "U3",
                    "name": "丙公司",
                    "legal_rep_id": closed,
                    "status": "注销",
                    "reg_date": "2020-01-01",
                },
                {
                    "uscc": "U4",
                    "name": "丁公司",
                    "legal_rep_id": late,
                    "status": "存续",
                    "reg_date": "2024-03-11",
                },
            ],
            "shareholders": [{"uscc": "U2", "holder_id": shareholder, "ratio": "0.5"}],
            "benefits": [
                benefit("b1", rep, "2024-03"),
                benefit("b2", shareholder, "2024-03"),
                benefit("b3", closed, "2024-03"),
                benefit("b4", late, "2024-03", pay_date="2024-03-10"),
            ],
        }
    )
    hits = run_rule(package, "B06")
    assert set(hits) == {rep, shareholder}
    assert f"shareholders:U2|{shareholder}" in hits[shareholder].record_ids


def test_b07_car_or_enough_properties_before_payment(make_package: PackageFactory) -> None:
    car, motorbike, late_car, two_homes, one_home = pid(1), pid(2), pid(3), pid(4), pid(5)
    package = make_package(
        {
            "vehicles": [
                {"plate": "鲁A1", "owner_id": car, "reg_date": "2023-01-01", "vehicle_type": "小型汽车"},
                {"plate": "鲁A2", "owner_id": motorbike, "reg_date": "2023-01-01", "vehicle_type": "摩托车"},
                {"plate": "鲁A3", "owner_id": late_car, "reg_date": "2024-03-11", "vehicle_type": "小型汽车"},
            ],
            "properties": [
                {"property_id": "P1", "owner_id": two_homes, "reg_date": "2020-01-01"},
                {"property_id": "P2", "owner_id": two_homes, "reg_date": "2021-01-01"},
                {"property_id": "P3", "owner_id": one_home, "reg_date": "2020-01-01"},
                {"property_id": "P4", "owner_id": one_home, "reg_date": "2024-03-11"},
            ],
            "benefits": [
                benefit(f"b{n}", who, "2024-03")
                for n, who in enumerate([car, motorbike, late_car, two_homes, one_home])
            ],
        }
    )
    hits = run_rule(package, "B07")
    assert set(hits) == {car, two_homes}
    assert "vehicles:鲁A1" in hits[car].record_ids
    assert run_rule(package, "B07", params={"B07.min_properties": 3}).keys() == {car}


def test_b07_each_record_from_the_day_its_person_meets_the_condition(make_package: PackageFactory) -> None:
    # Given monthly 低保 of three people: one whose second property is registered on the March pay
    # date and a third after April's, one whose two properties share a registration day, one whose
    # car is registered on the April pay date
    homes, twins, car = pid(1), pid(2), pid(3)
    package = make_package(
        {
            "vehicles": [
                {"plate": "鲁A9", "owner_id": car, "reg_date": "2024-04-10", "vehicle_type": "小型汽车"}
            ],
            "properties": [
                {"property_id": "H1", "owner_id": homes, "reg_date": "2024-01-05"},
                {"property_id": "H2", "owner_id": homes, "reg_date": "2024-03-10"},
                {"property_id": "H3", "owner_id": homes, "reg_date": "2024-04-20"},
                {"property_id": "T1", "owner_id": twins, "reg_date": "2024-02-11"},
                {"property_id": "T2", "owner_id": twins, "reg_date": "2024-02-11"},
            ],
            "benefits": [
                benefit(f"{who[-3:]}-{month}", who, f"2024-{month}")
                for who in (homes, twins, car)
                for month in ("02", "03", "04")
            ],
        }
    )
    # When B07 runs
    hits = run_rule(package, "B07")
    # Then each person's records count from the day the condition holds (a registration on the
    # pay date counts, a later one does not), and a property registered after every payment
    # proves nothing
    records = {
        who: {key for key in hit.record_ids.split(";") if key.startswith("benefits:")}
        for who, hit in hits.items()
    }
    assert records == {
        homes: {f"benefits:{homes[-3:]}-03", f"benefits:{homes[-3:]}-04"},
        twins: {f"benefits:{twins[-3:]}-03", f"benefits:{twins[-3:]}-04"},
        car: {f"benefits:{car[-3:]}-04"},
    }
    assert "properties:H3" not in hits[homes].record_ids
    assert "名下登记不动产2处" in hits[homes].explanation
    assert run_rule(package, "B07", params={"B07.min_properties": 3}).keys() == {car}


def test_b08_account_shared_by_persons_of_several_households(make_package: PackageFactory) -> None:
    holder = pid(1)
    rows = []
    # account A: 3 persons of 2 households (holder is an official in post) -> hit
    rows += [
        benefit(
            f"a{n}",
            pid(10 + n),
            "2024-03",
            account_no="A",
            household_id=f"H{n % 2}",
            account_holder_id=holder,
        )
        for n in range(3)
    ]
    # account B: 3 persons of one household -> no
    rows += [benefit(f"b{n}", pid(20 + n), "2024-03", account_no="B", household_id="H7") for n in range(3)]
    # account C: 2 persons of 2 households -> no
    rows += [benefit(f"c{n}", pid(30 + n), "2024-03", account_no="C", household_id=f"H{n}") for n in range(2)]
    package = make_package({"benefits": rows, "officials": [official(holder)]})
    hits = run_rule(package, "B08")
    assert set(hits) == {"A"}
    assert hits["A"].severity == "高"
    assert hits["A"].amount == Decimal("1500.00")


def test_b09_longest_matching_region_prefix_wins(make_package: PackageFactory) -> None:
    county, province, at_limit, no_standard = pid(1), pid(2), pid(3), pid(4)
    package = make_package(
        {
            "standards": [
                {"program": "低保", "region_code": "37", "period_from": "2024-01", "max_amount": "600.00"},
                {
                    "program": "低保",
                    "region_code": "370102",
                    "period_from": "2024-01",
                    "period_to": "2024-12",
                    "max_amount": "800.00",
                },
            ],
            "benefits": [
                benefit("b1", county, "2024-03", amount="700.00", region_code="370102001"),  # within 800
                benefit("b2", province, "2024-03", amount="700.00", region_code="370103"),  # above 600
                benefit("b3", at_limit, "2024-03", amount="800.00", region_code="370102"),  # equal, not above
                benefit(
                    "b4", no_standard, "2023-12", amount="9000.00", region_code="370102"
                ),  # no standard yet
            ],
        }
    )
    assert set(run_rule(package, "B09")) == {province}


def test_b09_only_programs_with_a_standard_are_checked(make_package: PackageFactory) -> None:
    over, other_program = pid(1), pid(2)
    package = make_package(
        {
            "standards": [
                {
                    "program": "低保",
                    "region_code": "370102",
                    "period_from": "2024-01",
                    "max_amount": "600.00",
                },
                {
                    "program": "特困供养",
                    "region_code": "370102",
                    "period_from": "2024-01",
                    "max_amount": "900.00",
                },
            ],
            "benefits": [
                benefit("b1", over, "2024-03", amount="600.01", region_code="370102"),  # above its 600
                # above the 低保 standard but within its own program's 900
                benefit(
                    "b2", other_program, "2024-03", amount="700.00", region_code="370102", program="特困供养"
                ),
                # a program without any standard is never above one
                benefit(
                    "b3", other_program, "2024-03", amount="9000.00", region_code="370102", program="医疗救助"
                ),
            ],
        }
    )
    hits = run_rule(package, "B09")
    assert set(hits) == {over}
    assert hits[over].amount == Decimal("600.01")


def test_b10_identity_checks(make_package: PackageFactory) -> None:
    good, missing, renamed = pid(1), pid(2), pid(3)
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    bad_date = "370102" + "19990231" + "001"
    bad_date += "0"  # whatever the check digit, the birth date is not a real date
    persons = [
        {"person_id": good, "name": "张三"},
        {"person_id": renamed, "name": "李四"},
        {"person_id": bad_check, "name": "王五"},
    ]
    rows = [
        benefit("b1", good, "2024-03", name="张三"),
        benefit("b2", missing, "2024-03", name="赵六"),
        benefit("b3", renamed, "2024-03", name="李斯"),
        benefit("b4", bad_check, "2024-03", name="王五"),
        benefit("b5", bad_date, "2024-03", name="钱七"),
    ]
    hits = run_rule(make_package({"benefits": rows, "persons": persons}), "B10")
    assert set(hits) == {missing, renamed, bad_check, bad_date}
    assert "李四" in hits[renamed].explanation
    # Without persons only the GB 11643 failures remain
    assert set(run_rule(make_package({"benefits": rows}), "B10")) == {bad_check, bad_date}
