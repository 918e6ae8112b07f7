"""B11-B14: prisoners, disability certificates, land area and 户籍 against benefits, at every bound."""

from __future__ import annotations

from decimal import Decimal

from rule_kit import PackageFactory, benefit, run_rule
from rule_kit import person_id as pid


def _term(person: str, start: str, end: str | None = None) -> dict[str, str | None]:
    return {"person_id": person, "name": f"服刑{person[-4:]}", "start_date": start, "end_date": end}


def test_b11_subsistence_or_pension_paid_inside_a_prison_term(make_package: PackageFactory) -> None:
    inside, on_start, on_end, released, pension, farmland, destitute = (pid(n) for n in range(1, 8))
    package = make_package(
        {
            "prisoners": [
                _term(inside, "2024-01-15"),
                _term(on_start, "2024-03-01"),  # d = start_date is not inside
                _term(on_end, "2023-01-01", "2024-05-01"),  # d = end_date is inside
                _term(released, "2023-01-01", "2024-04-30"),
                _term(pension, "2023-06-01"),
                _term(farmland, "2023-06-01"),
                _term(destitute, "2023-06-01", "2030-01-01"),
            ],
            "benefits": [
                benefit("b1", inside, "2024-01"),  # d = 2024-01-01, before the term
                benefit("b2", inside, "2024-02", amount="600.00"),
                benefit("b3", on_start, "2024-03"),
                benefit("b4", on_end, "2024-05"),
                benefit("b5", released, "2024-05"),
                benefit("b6", pension, "2024-02", program="城乡居民基本养老保险", amount="180.00"),
                benefit("b7", farmland, "2024-05", program="耕地地力保护补贴"),
                benefit("b8", destitute, "2024-07", program="特困供养"),
            ],
        }
    )
    hits = run_rule(package, "B11")
    assert set(hits) == {inside, on_end, pension, destitute}
    assert hits[inside].record_ids == f"benefits:b2;prisoners:{inside}|2024-01-15"
    assert hits[inside].amount == Decimal("600.00")
    assert hits[pension].severity == "中"
    assert "2024年1月15日起服刑" in hits[inside].explanation
    assert inside not in hits[inside].explanation  # the id is masked


def _cert(
    person: str, cert: str, level: str, issued: str, cancelled: str | None = None
) -> dict[str, str | None]:
    return {
        "person_id": person,
        "cert_no": cert,
        "level": level,
        "issue_date": issued,
        "cancel_date": cancelled,
    }


def test_b12_no_valid_certificate_or_too_mild_for_nursing(make_package: PackageFactory) -> None:
    people = {name: pid(n) for n, name in enumerate("ABCDEFGHIJ", start=1)}
    living, nursing = "困难残疾人生活补贴", "重度残疾人护理补贴"
    package = make_package(
        {
            "disabilities": [
                _cert(people["B"], "CB", "二级", "2024-03-10"),  # issued on pay_date: valid
                _cert(people["C"], "CC", "二级", "2024-03-11"),  # issued the day after
                _cert(people["D"], "CD", "二级", "2020-01-01", "2024-03-10"),  # cancelled on pay_date
                _cert(people["E"], "CE", "二级", "2020-01-01", "2024-03-11"),  # cancelled the day after
                _cert(people["F"], "CF", "三级", "2020-01-01"),
                _cert(people["G"], "CG1", "三级", "2020-01-01"),
                _cert(people["G"], "CG2", "二级", "2021-01-01"),
                _cert(people["H"], "CH", "四级", "2020-01-01"),
                _cert(people["I"], "CI1", "四级", "2020-01-01"),
                _cert(people["I"], "CI2", "一级", "2019-01-01", "2023-12-31"),
            ],
            "benefits": [
                benefit("bA", people["A"], "2024-03", program=living),
                benefit("bB", people["B"], "2024-03", program=living),
                benefit("bC", people["C"], "2024-03", program=living),
                benefit("bD", people["D"], "2024-03", program=nursing),
                benefit("bE", people["E"], "2024-03", program=nursing),
                benefit("bF", people["F"], "2024-03", program=nursing, amount="90.00"),
                benefit("bG", people["G"], "2024-03", program=nursing),
                benefit("bH", people["H"], "2024-03", program=living),
                benefit("bI", people["I"], "2024-03", program=nursing),
                benefit("bJ", people["J"], "2024-03"),  # 低保 needs no certificate
            ],
        }
    )
    hits = run_rule(package, "B12")
    assert set(hits) == {people[name] for name in "ACDFI"}
    assert hits[people["F"]].record_ids == "benefits:bF;disabilities:CF"
    assert hits[people["F"]].amount == Decimal("90.00")
    assert "三级" in hits[people["F"]].explanation
    assert "无有效残疾人证" in hits[people["A"]].explanation
    assert hits[people["I"]].record_ids == "benefits:bI;disabilities:CI1"


def _land(household: str, person: str, area: str) -> dict[str, str]:
    return {"household_id": household, "person_id": person, "region_code": "370102001", "area_mu": area}


def test_b13_claimed_area_above_the_registered_area_per_household_and_year(
    make_package: PackageFactory,
) -> None:
    farmer = pid(1)
    area = "耕地地力保护补贴"

    def claim(record: str, household: str, period: str, quantity: str, program: str = area) -> dict[str, str]:
        return benefit(record, farmer, period, program=program, household_id=household, quantity=quantity)

    package = make_package(
        {
            "land_rights": [
                _land("H1", farmer, "10.00"),
                _land("H2", farmer, "10.00"),
                _land("H4", farmer, "6.00"),
                _land("H4", pid(2), "4.00"),
                _land("H5", farmer, "1.00"),
            ],
            "benefits": [
                claim("b1", "H1", "2024-05", "10.50"),  # exactly (1 + 0.05) x 10: not over
                claim("b2", "H2", "2024-05", "10.51"),
                claim("b3", "H3", "2024-05", "1.00"),  # no land rights at all: area 0
                claim("b4", "H4", "2024-05", "5.00"),
                claim("b5", "H4", "2024-11", "5.60"),  # 10.60 over the year > 10.50
                claim("b6", "H4", "2025-05", "10.00"),
                claim("b7", "H5", "2024-05", "100.00", program="低保"),  # not the area program
            ],
        }
    )
    hits = run_rule(package, "B13")
    assert set(hits) == {"H2/2024", "H3/2024", "H4/2024"}
    assert hits["H4/2024"].record_ids == (
        f"benefits:b4;benefits:b5;land_rights:H4|{farmer};land_rights:H4|{pid(2)}"
    )
    assert hits["H4/2024"].amount == Decimal("1000.00")
    assert "按10.60亩领取，确权面积仅10.00亩" in hits["H4/2024"].explanation
    # with 6 %, 10.60 is exactly the bound and 10.51 is within it
    assert set(run_rule(package, "B13", params={"B13.tolerance": "0.06"})) == {"H3/2024"}


def test_b14_subsistence_outside_the_county_of_registration(make_package: PackageFactory) -> None:
    moved, same, unknown, farmland, village, far = (pid(n) for n in range(1, 7))

    def person(person_id: str, region: str) -> dict[str, str]:
        return {"person_id": person_id, "name": f"居民{person_id[-4:]}", "region_code": region}

    package = make_package(
        {
            "orgs": [
                {"org_code": "G370103", "name": "历下区人民政府", "region_code": "370103"},
                {"org_code": "G370102", "name": "历城区人民政府", "region_code": "370102"},
            ],
            "persons": [
                person(moved, "370102"),
                person(same, "370102"),
                person(farmland, "370102"),
                person(village, "370102123001"),
                person(far, "420102"),  # a county the package's orgs do not name
            ],
            "benefits": [
                benefit("b1", moved, "2024-03", region_code="370103001"),
                benefit("b2", same, "2024-03", region_code="370102005"),
                benefit("b3", unknown, "2024-03", region_code="370103001"),  # not in persons
                benefit("b4", farmland, "2024-03", program="耕地地力保护补贴", region_code="370103001"),
                benefit("b5", village, "2024-03", region_code="370102"),
                benefit("b6", far, "2024-03", region_code="370102005"),
            ],
        }
    )
    hits = run_rule(package, "B14")
    assert set(hits) == {moved, far}
    assert "户籍在区划420102，在历城区人民政府领取" in hits[far].explanation
    assert hits[moved].record_ids == f"benefits:b1;persons:{moved}"
    assert "户籍在历城区人民政府" in hits[moved].explanation
    assert "在历下区人民政府领取" in hits[moved].explanation
