"""D01-D03: a cadre's 个人有关事项报告 against properties, vehicles and relatives' companies."""

from __future__ import annotations

from typing import Any

from rule_kit import PackageFactory, official, run_rule
from rule_kit import person_id as pid

DECLARED = "2025-01-20"


def _declare(
    did: str, person: str, item: str, declared_on: str = DECLARED, year: int = 2024
) -> dict[str, Any]:
    return {
        "declaration_id": did,
        "person_id": person,
        "year": year,
        "declared_on": declared_on,
        "item_type": item,
        "item_desc": f"{item}一项",
    }


def _house(hid: str, owner: str, registered: str) -> dict[str, str]:
    return {"property_id": hid, "owner_id": owner, "reg_date": registered}


def test_d01_more_properties_than_declared_on_the_day_of_the_report(make_package: PackageFactory) -> None:
    hides, later, latest, retired, newcomer, citizen = (pid(n) for n in range(1, 7))
    package = make_package(
        {
            "officials": [
                official(hides, name="李强"),
                official(later),
                official(latest),
                official(retired, end="2024-12-31"),  # not in post on declared_on
                official(newcomer, start=DECLARED),  # in post from that very day
            ],
            "declarations": [
                _declare("s1", hides, "房产"),
                _declare("s2", later, "房产"),
                _declare("s3", latest, "房产", declared_on="2025-01-10"),
                _declare("s4", latest, "出国境", declared_on="2025-03-01"),  # the year's date is the latest
                _declare("s5", retired, "其他"),
                _declare("s6", newcomer, "其他"),
                _declare("s7", citizen, "其他"),  # not an official
            ],
            "properties": [
                _house("h1", hides, "2015-01-01"),
                _house("h2", hides, DECLARED),  # registered on declared_on: counts
                _house("h3", later, "2015-01-01"),
                _house("h4", later, "2025-01-21"),  # registered the day after
                _house("h5", latest, "2015-01-01"),
                _house("h6", latest, "2025-02-01"),
                _house("h7", retired, "2015-01-01"),
                _house("h8", newcomer, "2015-01-01"),
                _house("h9", citizen, "2015-01-01"),
            ],
        }
    )
    hits = run_rule(package, "D01")
    assert set(hits) == {f"{hides}/2024", f"{latest}/2024", f"{newcomer}/2024"}
    hit = hits[f"{hides}/2024"]
    assert hit.record_ids == (f"declarations:s1;officials:{hides}|G1|2020-01-01;properties:h1;properties:h2")
    assert hit.amount is None
    assert hit.subject_name == "李强"
    assert hit.explanation.startswith(f"李强({hides[:4]}…{hides[-4:]}/2024)系G1")
    assert "申报房产1处，不动产登记显示其名下截至当日有房产2处" in hit.explanation
    assert hit.severity == "中"


def test_d02_more_vehicles_than_declared(make_package: PackageFactory) -> None:
    hides, honest, later = (pid(n) for n in range(1, 4))

    def car(plate: str, owner: str, registered: str) -> dict[str, str]:
        return {"plate": plate, "owner_id": owner, "reg_date": registered, "vehicle_type": "小型汽车"}

    package = make_package(
        {
            "officials": [official(hides), official(honest), official(later)],
            "declarations": [
                _declare("s1", hides, "房产"),
                _declare("s2", honest, "车辆"),
                _declare("s3", honest, "车辆"),
                _declare("s4", later, "其他"),
            ],
            "vehicles": [
                car("鲁A1", hides, DECLARED),
                car("鲁A2", honest, "2020-01-01"),
                car("鲁A3", honest, "2021-01-01"),
                car("鲁A4", later, "2025-01-21"),
            ],
        }
    )
    hits = run_rule(package, "D02")
    assert set(hits) == {f"{hides}/2024"}
    assert hits[f"{hides}/2024"].record_ids == f"officials:{hides}|G1|2020-01-01;vehicles:鲁A1"
    assert "申报车辆0辆" in hits[f"{hides}/2024"].explanation


def test_d03_relatives_companies_not_declared(make_package: PackageFactory) -> None:
    hides, cousin, closed, young, declared, two = (pid(n) for n in range(1, 7))
    relatives = {
        name: pid(100 + n)
        for n, name in enumerate(["hides", "cousin", "closed", "young", "declared", "two_a", "two_b"])
    }

    def relative(official_id: str, relative_id: str, relation: str = "配偶") -> dict[str, str]:
        return {"official_id": official_id, "relative_id": relative_id, "relation": relation}

    def company(uscc: str, rep: str, status: str = "存续", registered: str = "2020-01-01") -> dict[str, str]:
        return {
            "uscc": uscc,
            "name": f"{uscc}公司",
            "legal_rep_id": rep,
            "reg_date": registered,
            "status": status,
        }

    package = make_package(
        {
            "officials": [official(person) for person in (hides, cousin, closed, young, declared, two)],
            "relatives": [
                relative(hides, relatives["hides"]),
                relative(cousin, relatives["cousin"], "其他"),  # not a close relative
                relative(closed, relatives["closed"]),
                relative(young, relatives["young"], "子女"),
                relative(declared, relatives["declared"]),
                relative(two, relatives["two_a"]),
                relative(two, relatives["two_b"], "子女"),
            ],
            "companies": [
                company("U1", relatives["hides"], registered=DECLARED),  # registered that day: counts
                company("U2", relatives["cousin"]),
                company("U3", relatives["closed"], status="注销"),
                company("U4", relatives["young"], registered="2025-01-21"),
                company("U5", relatives["declared"]),
                company("U6", relatives["two_a"]),
                company("U7", pid(200)),
            ],
            "shareholders": [{"uscc": "U7", "holder_id": relatives["two_b"], "ratio": "0.5"}],
            "declarations": [
                _declare("s1", hides, "房产"),
                _declare("s2", cousin, "其他"),
                _declare("s3", closed, "其他"),
                _declare("s4", young, "其他"),
                _declare("s5", declared, "亲属经商办企业"),
                _declare("s6", two, "亲属经商办企业"),  # one declared, two found
            ],
        }
    )
    hits = run_rule(package, "D03")
    assert set(hits) == {f"{hides}/2024", f"{two}/2024"}
    assert hits[f"{two}/2024"].record_ids == (
        f"companies:U6;declarations:s6;officials:{two}|G1|2020-01-01;relatives:{two}|{relatives['two_a']};"
        f"relatives:{two}|{relatives['two_b']};shareholders:U7|{relatives['two_b']}"
    )
    assert "申报亲属经商办企业1家" in hits[f"{two}/2024"].explanation
    assert "存续企业有2家" in hits[f"{two}/2024"].explanation
