"""Planted cases for the rules on the registers of issues 12 and 16 (B11-B14, C05, F09-F12,
D01-D03), each true case beside its near-misses at the rule's bounds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lianqing.analytics.generate.calendar import Calendar
from lianqing.analytics.generate.planted import D, Person, Planter, _seconds
from lianqing.analytics.generate.scenarios import CLOSE, NOT_CLOSE, _first, _months
from lianqing.analytics.generate.world import AREA_CENTS_PER_MU, Org

DT = dt.datetime
PENSION, LIVING, NURSING, AREA = (
    "城乡居民基本养老保险",
    "困难残疾人生活补贴",
    "重度残疾人护理补贴",
    "耕地地力保护补贴",
)
DECLARED = D(2025, 1, 20)


def plant_registers(p: Planter, calendar: Calendar, replicate: int) -> None:
    _prisoners(p)
    _disabilities(p)
    _land(p)
    _residence(p)
    _new_suppliers(p)
    _fuel(p, calendar, replicate)
    _cards(p, calendar, replicate)
    if replicate == 0:  # yearly totals per org: one set of orgs, planted once
        _receptions(p, calendar)
    _declarations(p)


def _prison(p: Planter, person: Person, start: D, end: D | None) -> None:
    p.rows["prisoners"].append(
        {
            "person_id": person.person_id,
            "name": person.name,
            "start_date": start,
            "end_date": end,
            "source": "监狱管理局",
        }
    )


def _prisoners(p: Planter) -> None:
    # B11: 低保 while serving; a pension whose period starts on the release day; near: the term
    # starts on the period's first day, released the day before it
    serving = p.person()
    _prison(p, serving, D(2024, 2, 10), None)
    p.benefit(serving, _months("2024-01", "2024-04"))
    p.hit("B11", serving.person_id)
    elderly = p.person(born=D(1950, 5, 5))
    _prison(p, elderly, D(2023, 5, 1), D(2024, 6, 1))
    p.benefit(elderly, ["2024-06", "2024-07"], program=PENSION)
    p.hit("B11", elderly.person_id)
    entering = p.person()
    _prison(p, entering, D(2024, 3, 1), None)
    p.benefit(entering, ["2024-03"])
    released = p.person()
    _prison(p, released, D(2022, 1, 1), D(2024, 5, 31))
    p.benefit(released, _months("2024-06", "2024-08"))


def _certificate(p: Planter, person: Person, level: str, issued: D, cancelled: D | None = None) -> None:
    p.rows["disabilities"].append(
        {
            "person_id": person.person_id,
            "name": person.name,
            "cert_no": p.next("CJZ"),
            "level": level,
            "issue_date": issued,
            "cancel_date": cancelled,
        }
    )


def _disabilities(p: Planter) -> None:
    # B12 (benefits are paid on the 15th): no certificate; only a 三级 one for 护理补贴; cancelled
    # on the pay day; near: issued on the pay day, cancelled the day after, 三级 beside 一级
    uncertified = p.person()
    p.benefit(uncertified, _months("2024-03", "2024-05"), program=LIVING)
    p.hit("B12", uncertified.person_id)
    mild = p.person()
    _certificate(p, mild, "三级", D(2015, 1, 1))
    p.benefit(mild, ["2024-03"], program=NURSING)
    p.hit("B12", mild.person_id)
    cancelled = p.person()
    _certificate(p, cancelled, "二级", D(2015, 1, 1), D(2024, 6, 15))
    p.benefit(cancelled, ["2024-06"], program=NURSING)
    p.hit("B12", cancelled.person_id)
    new = p.person()
    _certificate(p, new, "二级", D(2024, 3, 15))
    p.benefit(new, ["2024-03"], program=NURSING)
    leaving = p.person()
    _certificate(p, leaving, "一级", D(2015, 1, 1), D(2024, 6, 16))
    p.benefit(leaving, ["2024-06"], program=NURSING)
    both = p.person()
    _certificate(p, both, "三级", D(2012, 1, 1))
    _certificate(p, both, "一级", D(2020, 1, 1))
    p.benefit(both, ["2024-06"], program=NURSING)


def _claim(p: Planter, farmer: Person, period: str, mu: str) -> None:
    quantity = Decimal(mu)
    cents = int(quantity * AREA_CENTS_PER_MU)
    p.benefit(farmer, [period], program=AREA, cents=cents, quantity=quantity)


def _plot(p: Planter, farmer: Person, mu: str) -> None:
    p.rows["land_rights"].append(
        {
            "household_id": farmer.household_id,
            "person_id": farmer.person_id,
            "region_code": farmer.village.code,
            "area_mu": Decimal(mu),
        }
    )


def _land(p: Planter) -> None:
    # B13 (tolerance 5 %): 10.51 亩 claimed on 10; no land registered at all; near: exactly
    # 10.50 on 10, two plots of 6 and 4.5 against 10.5 claimed over the year
    over = p.person()
    _plot(p, over, "10.00")
    _claim(p, over, "2024-05", "10.51")
    p.hit("B13", f"{over.household_id}/2024")
    unregistered = p.person()
    _claim(p, unregistered, "2025-05", "3.00")
    p.hit("B13", f"{unregistered.household_id}/2025")
    exact = p.person()
    _plot(p, exact, "10.00")
    _claim(p, exact, "2024-05", "10.50")
    _claim(p, exact, "2025-05", "10.00")
    split = p.person()
    _plot(p, split, "6.00")
    p.rows["land_rights"].append(
        {
            **p.rows["land_rights"][-1],
            "person_id": p.person(household=split.household_id).person_id,
            "area_mu": Decimal("4.50"),
        }
    )
    _claim(p, split, "2024-05", "5.00")
    _claim(p, split, "2024-11", "5.50")


def _residence(p: Planter) -> None:
    # B14: 户籍 in another county; near: 户籍 given to the village (9 digits) of the same county
    moved = p.person()
    p.rows["persons"][-1]["region_code"] = "420102"
    p.benefit(moved, ["2024-09", "2024-10"])
    p.hit("B14", moved.person_id)
    local = p.person()
    p.rows["persons"][-1]["region_code"] = local.village.code
    p.benefit(local, ["2024-09"])


def _new_suppliers(p: Planter) -> None:
    # C05 (180 days, 1,000,000 yuan): 179 days old at exactly the amount; signed on the day it was
    # founded; near: 180 days, a day before it existed, one cent short
    buyer = p.dept("WAT")
    founded = D(2025, 3, 1)
    for age, cents, hit in (
        (179, 100_000_000, True),
        (0, 500_000_000, True),
        (180, 100_000_000, False),
        (-1, 200_000_000, False),
        (10, 99_999_999, False),
    ):
        supplier = p.company(p.person(), reg=founded)
        p.contract(buyer, supplier, cents, founded + dt.timedelta(days=age))
        if hit:
            p.hit("C05", supplier)


def _fuel(p: Planter, calendar: Calendar, replicate: int) -> None:
    # F09 (4 hours, 10 %, a 60-litre tank: 66 litres): 35 + 31.01 four hours apart, 70 at once;
    # near: four hours and a second apart, exactly 66, a car that is not an official one
    day = _first(calendar, D(2025, 4, 7), calendar.workday)
    org = p.dept("AGR")
    cases: list[tuple[list[tuple[int, str]], bool]] = [
        ([(0, "35"), (4 * 3600, "31.01")], True),
        ([(0, "70")], True),
        ([(0, "35"), (4 * 3600 + 1, "31.01")], False),
        ([(0, "35"), (3 * 3600, "31")], False),
    ]
    for k, (fills, hit) in enumerate(cases):
        plate = f"豫SF{replicate:02d}{k}"
        p.rows["official_vehicles"].append(
            {"plate": plate, "org_code": org.code, "model": "丰田凯美瑞", "tank_liters": Decimal(60)}
        )
        _fill(p, plate, org, DT.combine(day, dt.time(8)), fills)
        if hit:
            p.hit("F09", plate)
    _fill(p, f"豫SX{replicate:02d}0", org, DT.combine(day, dt.time(8)), [(0, "100")])


def _fill(p: Planter, plate: str, org: Org, start: DT, fills: list[tuple[int, str]]) -> None:
    for offset, liters in fills:
        quantity = Decimal(liters)
        p.rows["fuel_fills"].append(
            {
                "fill_id": p.next("JYP"),
                "card_no": f"9100P{plate[-3:]}",
                "plate": plate,
                "org_code": org.code,
                "time": _seconds(start + dt.timedelta(seconds=offset)),
                "liters": quantity,
                "amount": int(quantity * 780),
                "station": "中石化城关加油站",
            }
        )


def _pay(p: Planter, holder: Person, org: Org, when: DT, cents: int, merchant: str, category: str) -> None:
    p.rows["card_payments"].append(
        {
            "payment_id": p.next("GWP"),
            "card_no": f"6283P{holder.person_id[-8:]}",
            "holder_id": holder.person_id,
            "org_code": org.code,
            "time": _seconds(when),
            "merchant_name": merchant,
            "merchant_category": category,
            "amount": cents,
        }
    )


def _cards(p: Planter, calendar: Calendar, replicate: int) -> None:
    org = p.dept("EDU")
    holiday = _first(calendar, D(2025, 10, 1), lambda d: not calendar.workday(d) and d.weekday() < 5)
    adjusted = _first(calendar, D(2025, 1, 1), lambda d: calendar.workday(d) and d.weekday() >= 5)
    weekend = _first(calendar, D(2025, 3, 3), lambda d: not calendar.workday(d))
    workday = _first(calendar, D(2025, 3, 3), calendar.workday)
    # F10: a dinner on National Day; near: on a 调休 Saturday, a hotel at the weekend
    diner = p.official(org)
    _pay(p, diner, org, DT.combine(holiday, dt.time(19)), 128_000, "某大酒店", "餐饮")
    p.hit("F10", diner.person_id)
    _pay(p, p.official(org), org, DT.combine(adjusted, dt.time(19)), 128_000, "某大酒店", "餐饮")
    _pay(p, p.official(org), org, DT.combine(weekend, dt.time(19)), 58_000, "某宾馆", "酒店")
    # F11 (5,000 yuan): 3,000 + 2,000 at one restaurant on one day; near: 5,000 + 1, 2,999.99 +
    # 2,000, the second payment after midnight
    splitter = p.official(org)
    for hour, cents in ((12, 300_000), (13, 200_000)):
        _pay(p, splitter, org, DT.combine(workday, dt.time(hour)), cents, "某农家乐", "餐饮")
    p.hit("F11", splitter.person_id)
    for first, second, gap in ((500_000, 100, 1), (299_999, 200_000, 1), (300_000, 200_000, 2)):
        holder = p.official(org)
        _pay(p, holder, org, DT.combine(workday, dt.time(23, 30)), first, "某农家乐", "餐饮")
        later = DT.combine(workday, dt.time(23, 30)) + dt.timedelta(minutes=29 if gap == 1 else 31)
        _pay(p, holder, org, later, second, "某农家乐", "餐饮")


def _receptions(p: Planter, calendar: Calendar) -> None:
    # F12 (30 %, 50,000 yuan), in schools that have no other receptions: 40,000 then 52,000.01;
    # near: exactly 1.3 times, under 50,000, no receptions the year before
    schools = p.county.schools
    spring_2024 = _first(calendar, D(2024, 4, 8), calendar.workday)
    spring_2025 = _first(calendar, D(2025, 4, 7), calendar.workday)
    for school, before, after, hit in (
        (schools[2], [4_000_000], [2_600_000, 2_600_001], True),
        (schools[3], [4_000_000], [5_200_000], False),
        (schools[4], [1_000_000], [4_999_999], False),
        (schools[5], [], [10_000_000], False),
    ):
        for day, amounts in ((spring_2024, before), (spring_2025, after)):
            for cents in amounts:
                p.expense(school, day, "公务接待", "餐饮", cents, cents // 12_000 + 1, "工作接待")
        if hit:
            p.hit("F12", f"{school.code}/2025")


def _declare(p: Planter, cadre: Person, items: list[str], declared: D = DECLARED) -> None:
    for item in ["其他", *items]:
        p.rows["declarations"].append(
            {
                "declaration_id": p.next("SBP"),
                "person_id": cadre.person_id,
                "year": 2024,
                "declared_on": declared,
                "item_type": item,
                "item_desc": f"{item}一项",
            }
        )


def _house(p: Planter, owner: Person, registered: D) -> None:
    p.rows["properties"].append(
        {
            "property_id": p.next("BDCP"),
            "owner_id": owner.person_id,
            "address": "某小区",
            "area": 96.0,
            "reg_date": registered,
        }
    )


def _car(p: Planter, owner: Person, registered: D) -> None:
    p.rows["vehicles"].append(
        {
            "plate": p.next("豫QD"),
            "owner_id": owner.person_id,
            "reg_date": registered,
            "vehicle_type": "小型汽车",
        }
    )


def _declarations(p: Planter) -> None:
    org = p.dept("NAT")
    # D01: two houses, one registered on the report's day, one declared; the year's day is its
    # latest row; near: the second house registered the day after, an ex-official
    hides = p.official(org, leader=True)
    _house(p, hides, D(2016, 5, 1))
    _house(p, hides, DECLARED)
    _declare(p, hides, ["房产"])
    p.hit("D01", f"{hides.person_id}/2024")
    late = p.official(org, leader=True)
    _house(p, late, D(2016, 5, 1))
    _house(p, late, D(2025, 2, 1))
    _declare(p, late, ["房产"], D(2025, 1, 10))
    _declare(p, late, ["出国境"], D(2025, 3, 1))
    p.hit("D01", f"{late.person_id}/2024")
    honest = p.official(org, leader=True)
    _house(p, honest, D(2016, 5, 1))
    _house(p, honest, DECLARED + dt.timedelta(days=1))
    _declare(p, honest, ["房产"])
    former = p.official(org, leader=True, end=D(2024, 12, 31))
    _house(p, former, D(2016, 5, 1))
    _declare(p, former, [])
    # D02: a car registered on the report's day, undeclared; near: two cars, both declared
    driver = p.official(org, leader=True)
    _car(p, driver, DECLARED)
    _declare(p, driver, [])
    p.hit("D02", f"{driver.person_id}/2024")
    owner = p.official(org, leader=True)
    _car(p, owner, D(2019, 1, 1))
    _car(p, owner, D(2021, 1, 1))
    _declare(p, owner, ["车辆", "车辆"])
    # D03: a spouse's company and a child's shareholding, one declared; near: a cousin's
    # company, a closed one, one founded after the report
    parent = p.official(org, leader=True)
    p.company(p.relative(parent, CLOSE), reg=D(2019, 1, 1))
    p.company(p.person(), reg=D(2019, 1, 1), shareholders=(p.relative(parent, "子女"),))
    _declare(p, parent, ["亲属经商办企业"])
    p.hit("D03", f"{parent.person_id}/2024")
    for relation, status, founded in (
        (NOT_CLOSE, "存续", D(2019, 1, 1)),
        (CLOSE, "注销", D(2019, 1, 1)),
        (CLOSE, "存续", DECLARED + dt.timedelta(days=1)),
    ):
        cadre = p.official(org, leader=True)
        p.company(p.relative(cadre, relation), status=status, reg=founded)
        _declare(p, cadre, [])
