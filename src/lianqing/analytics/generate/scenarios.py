"""The planted cases, rule by rule (RULES.md), each true case beside its near-misses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from lianqing.analytics.generate.calendar import Calendar
from lianqing.analytics.generate.planted import D, Person, Planter
from lianqing.analytics.generate.world import Org

DT = dt.datetime
CLOSE = "配偶"
NOT_CLOSE = "其他"


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    result = []
    while f"{year}-{month:02d}" <= last:
        result.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def _first(calendar: Calendar, start: D, test: Callable[[D], bool]) -> D:
    day = start
    while not test(day):
        day += dt.timedelta(days=1)
    return day


def plant_benefits(p: Planter) -> None:
    county, town = p.county, p.town
    village = next(v for v in county.villages if v.parent == town.code)
    # B01: a village cadre in post on 低保; near: ex-official, not yet in post, a non-低保 program
    cadre = p.official(village, category="村干部", start=D(2020, 1, 1))
    p.benefit(cadre, _months("2025-03", "2025-05"))
    p.hit("B01", cadre.person_id)
    former = p.official(p.dept("CIV"), end=D(2023, 12, 31))
    p.benefit(former, _months("2024-03", "2024-05"))
    newcomer = p.official(village, category="村干部", start=D(2025, 6, 15))
    p.benefit(newcomer, ["2025-05", "2025-06"])
    serving = p.official(p.dept("AGR"))
    p.benefit(serving, ["2024-05"], program="耕地地力保护补贴", cents=80_000)

    # B02: an official's spouse on 低保; near: a relation that is not 近亲属, an ex-official's child
    official = p.official(p.dept("CIV"))
    spouse = p.relative(official, CLOSE)
    p.benefit(spouse, _months("2025-01", "2025-03"))
    p.hit("B02", spouse.person_id)
    cousin = p.relative(p.official(p.dept("CIV")), NOT_CLOSE)
    p.benefit(cousin, _months("2025-01", "2025-03"))
    child = p.relative(p.official(p.dept("HOU"), end=D(2023, 6, 30)), "子女")
    p.benefit(child, _months("2024-01", "2024-04"))

    # B03: paid after the month of death; near: paid in the month of death
    late = p.person(born=D(1940, 2, 2))
    p.death(late, D(2024, 8, 10))
    p.benefit(late, _months("2024-06", "2024-10"))
    p.hit("B03", late.person_id)
    timely = p.person(born=D(1941, 3, 3))
    p.death(timely, D(2024, 8, 10))
    p.benefit(timely, _months("2024-06", "2024-08"))

    # B04: two records, same person, program and period; near: two programs in one period
    twice = p.person()
    p.benefit(twice, ["2024-07", "2024-07", "2024-08"])
    p.hit("B04", twice.person_id)
    both = p.person()
    p.benefit(both, ["2024-05"])
    p.benefit(both, ["2024-05"], program="耕地地力保护补贴", cents=90_000)

    # B05: salary and 低保 in one month; near: salary starts the month after 低保 ends
    teacher = p.person()
    p.payroll(teacher, county.schools[1], list(_months("2024-01", "2025-12")))
    p.benefit(teacher, _months("2025-02", "2025-04"))
    p.hit("B05", teacher.person_id)
    hired = p.person()
    p.payroll(hired, county.schools[1], _months("2025-03", "2025-12"))
    p.benefit(hired, _months("2024-10", "2025-02"))

    # B06: legal rep of an operating company; near: a closed company, a company founded later
    boss = p.person()
    p.company(boss, reg=D(2020, 5, 1))
    p.benefit(boss, ["2024-04"])
    p.hit("B06", boss.person_id)
    closed = p.person()
    p.company(closed, status="注销", reg=D(2019, 1, 1))
    p.benefit(closed, ["2024-04"])
    partner = p.person()
    p.company(p.person(), reg=D(2025, 9, 1), shareholders=(partner,))
    p.benefit(partner, _months("2024-01", "2024-12"))

    # B07: a car, two properties; near: a farm vehicle and one property, a car bought later
    driver = p.person()
    p.rows["vehicles"].append(
        {
            "plate": p.next("豫QP"),
            "owner_id": driver.person_id,
            "reg_date": D(2022, 3, 1),
            "vehicle_type": "小型汽车",
        }
    )
    p.benefit(driver, ["2024-05"])
    p.hit("B07", driver.person_id)
    landlord = p.person()
    for year in (2015, 2019):
        p.rows["properties"].append(
            {
                "property_id": p.next("BDCP"),
                "owner_id": landlord.person_id,
                "address": "某小区",
                "area": 88.0,
                "reg_date": D(year, 1, 1),
            }
        )
    p.benefit(landlord, ["2024-05"])
    p.hit("B07", landlord.person_id)
    farmer = p.person()
    p.rows["vehicles"].append(
        {
            "plate": p.next("豫QP"),
            "owner_id": farmer.person_id,
            "reg_date": D(2021, 3, 1),
            "vehicle_type": "农用车",
        }
    )
    p.rows["properties"].append(
        {
            "property_id": p.next("BDCP"),
            "owner_id": farmer.person_id,
            "address": "某村",
            "area": 120.0,
            "reg_date": D(2010, 1, 1),
        }
    )
    p.benefit(farmer, ["2024-05"])
    buyer = p.person()
    p.rows["vehicles"].append(
        {
            "plate": p.next("豫QP"),
            "owner_id": buyer.person_id,
            "reg_date": D(2025, 11, 1),
            "vehicle_type": "小型汽车",
        }
    )
    p.benefit(buyer, _months("2024-01", "2024-06"))

    # B08: one account, three people of two households; near: one household, two people
    first = p.person()
    second = p.person(household=first.household_id)
    third = p.person()
    for member in (first, second, third):
        p.benefit(member, ["2024-09"], account=first.account_no, holder=first)
    p.hit("B08", first.account_no)
    family = p.person()
    for member in (family, p.person(household=family.household_id), p.person(household=family.household_id)):
        p.benefit(member, ["2024-09"], account=family.account_no, holder=family)
    pair = p.person()
    for member in (pair, p.person()):
        p.benefit(member, ["2024-09"], account=pair.account_no, holder=pair)

    # B09: above the standard; near: exactly the standard, a town's own higher standard, next year's
    over = p.person()
    p.benefit(over, ["2024-03"], cents=70_000)
    p.hit("B09", over.person_id)
    p.benefit(p.person(), ["2024-03"], cents=60_000)
    p.benefit(p.person(), ["2024-03"], cents=68_000, town=county.towns[0])
    p.benefit(p.person(), ["2025-03"], cents=64_000)

    # B10: a bad check digit, an unregistered person, a name that differs; near: a valid X
    stranger = p.person(registered=False)
    broken = stranger.person_id[:17] + ("0" if stranger.person_id[17] != "0" else "1")
    p.benefit(stranger, ["2024-02"])
    p.rows["benefits"][-1]["person_id"] = broken
    p.rows["benefits"][-1]["account_holder_id"] = broken
    p.hit("B10", broken)
    outsider = p.person(registered=False)
    p.benefit(outsider, ["2024-02"])
    p.hit("B10", outsider.person_id)
    renamed = p.person()
    p.benefit(renamed, ["2024-02"], name=renamed.name[:-1] + ("伟" if renamed.name[-1] != "伟" else "强"))
    p.hit("B10", renamed.person_id)
    while True:
        with_x = p.person()
        if with_x.person_id.endswith("X"):
            break
    p.benefit(with_x, ["2024-02"])


def plant_business(p: Planter) -> None:
    county = p.county
    village = county.villages[3]
    # C01: an official in post running an operating company; near: a village cadre, an
    # ex-official, a closed company, a spouse (not the official) holding shares
    owner = p.official(p.dept("MKT"), start=D(2015, 1, 1))
    p.company(owner)
    p.hit("C01", owner.person_id)
    p.company(p.official(village, category="村干部"))
    p.company(p.person(), shareholders=(p.official(p.dept("ENV"), end=D(2025, 6, 30)),))
    p.company(p.official(p.dept("WAT")), status="注销")
    p.company(p.person(), shareholders=(p.relative(p.official(p.dept("TRA")), CLOSE),))

    # C02: the official's org buys from a child's company; near: a cousin's company, an
    # ex-official's spouse, a spouse's company bought from by another org
    official = p.official(p.dept("HOU"))
    p.contract(p.dept("HOU"), p.company(p.relative(official, "子女")), 80_000_000, D(2025, 4, 10))
    p.hit("C02", official.person_id)
    p.contract(
        p.dept("HOU"), p.company(p.relative(p.official(p.dept("HOU")), NOT_CLOSE)), 80_000_000, D(2025, 4, 10)
    )
    left = p.official(p.dept("NAT"), end=D(2024, 12, 31))
    p.contract(p.dept("NAT"), p.company(p.relative(left, CLOSE)), 50_000_000, D(2025, 3, 1))
    elsewhere = p.official(p.dept("HEA"))
    p.contract(p.dept("TRA"), p.company(p.relative(elsewhere, CLOSE)), 50_000_000, D(2025, 3, 1))

    # C03: bidders sharing a legal rep, a phone, an address, a shareholder; near: a shared
    # phone across different tenders, father and son as legal reps
    rep = p.person()
    tender = p.tender([p.company(rep), p.company(rep), p.company(p.person())])
    p.hit("C03", tender)
    phone = p.next("1380000")
    tender = p.tender([p.company(p.person(), phone=phone), p.company(p.person(), phone=phone)])
    p.hit("C03", tender)
    address = f"{county.name}经开区{p.next('')}号"
    tender = p.tender([p.company(p.person(), address=address), p.company(p.person(), address=address)])
    p.hit("C03", tender)
    investor = p.person()
    tender = p.tender(
        [p.company(p.person(), shareholders=(investor,)), p.company(p.person(), shareholders=(investor,))]
    )
    p.hit("C03", tender)
    phone = p.next("1380000")
    p.tender([p.company(p.person(), phone=phone), p.company(p.person())])
    p.tender([p.company(p.person(), phone=phone), p.company(p.person())])
    father = p.person(born=D(1960, 1, 1))
    son = p.person(born=D(1988, 1, 1), household=father.household_id)
    p.tender([p.company(father), p.company(son)])

    # C04: three contracts under the threshold within 30 days summing over it; near: one cent
    # short, 31 days apart, only two, one of them over the threshold
    buyer = p.dept("TRA")
    supplier = p.company(p.person())
    for cents, day in (
        (40_000_000, D(2025, 5, 1)),
        (35_000_000, D(2025, 5, 10)),
        (30_000_000, D(2025, 5, 20)),
    ):
        p.contract(buyer, supplier, cents, day)
    p.hit("C04", f"{buyer.code}/{supplier}")
    short = p.company(p.person())
    for cents, day in (
        (40_000_000, D(2025, 5, 1)),
        (35_000_000, D(2025, 5, 10)),
        (24_999_999, D(2025, 5, 20)),
    ):
        p.contract(buyer, short, cents, day)
    spread = p.company(p.person())
    for day in (D(2025, 5, 1), D(2025, 5, 16), D(2025, 5, 31)):
        p.contract(buyer, spread, 40_000_000, day)
    two = p.company(p.person())
    for cents, day in ((60_000_000, D(2025, 6, 1)), (50_000_000, D(2025, 6, 10))):
        p.contract(buyer, two, cents, day)
    big = p.company(p.person())
    for cents, day in (
        (120_000_000, D(2025, 7, 1)),
        (30_000_000, D(2025, 7, 5)),
        (20_000_000, D(2025, 7, 9)),
    ):
        p.contract(buyer, big, cents, day)


def plant_payroll(p: Planter) -> None:
    school, hospital = p.county.schools[0], p.dept("HEA")
    # P01: paid by two orgs in one month; near: moved from one org to another
    double = p.person()
    p.payroll(double, school, _months("2024-01", "2025-12"))
    p.payroll(double, hospital, ["2025-06"])
    p.hit("P01", double.person_id)
    moved = p.person()
    p.payroll(moved, school, _months("2024-01", "2024-06"))
    p.payroll(moved, hospital, _months("2024-07", "2025-12"))
    # P02: paid after the month of death; near: paid in the month of death
    dead = p.person(born=D(1966, 1, 1))
    p.death(dead, D(2025, 2, 20))
    p.payroll(dead, school, _months("2024-01", "2025-04"))
    p.hit("P02", dead.person_id)
    last = p.person(born=D(1967, 1, 1))
    p.death(last, D(2025, 2, 20))
    p.payroll(last, school, _months("2024-01", "2025-02"))


def plant_conduct(p: Planter, calendar: Calendar, replicate: int) -> None:
    county = p.county
    orgs = county.departments
    holiday = _first(calendar, D(2025, 10, 1), lambda d: not calendar.workday(d) and d.weekday() < 5)
    adjusted = _first(calendar, D(2025, 1, 1), lambda d: calendar.workday(d) and d.weekday() >= 5)
    workday = _first(calendar, D(2025, 3, 3), calendar.workday)
    weekend = _first(calendar, D(2025, 3, 3), lambda d: not calendar.workday(d))
    # F01: a reception on a rest day; near: on a 调休 workday
    p.expense(orgs[0], holiday, "公务接待", "餐饮", 48_000, 4, "工作接待")
    p.hit("F01", orgs[0].code)
    p.expense(orgs[1], adjusted, "公务接待", "餐饮", 48_000, 4, "工作接待")
    # F02: 180 yuan a head; near: exactly 150, no headcount
    p.expense(orgs[2], workday, "公务接待", "餐饮", 90_000, 5, "工作接待")
    p.hit("F02", orgs[2].code)
    p.expense(orgs[3], workday, "公务接待", "餐饮", 75_000, 5, "工作接待")
    p.expense(orgs[3], workday, "公务接待", "餐饮", 80_000, 0, "工作接待")
    # each reception above has a twin of the same cost on a 2024 workday, so that no org's
    # receptions rise from one year to the next (F12) however many replicates there are
    last_year = _first(calendar, D(2024, 3, 4), calendar.workday)
    for org, cents in (
        (orgs[0], 48_000),
        (orgs[1], 48_000),
        (orgs[2], 90_000),
        (orgs[3], 75_000),
        (orgs[3], 80_000),
    ):
        p.expense(org, last_year, "公务接待", "餐饮", cents, 10, "工作接待")
    # F03: a KTV and a scenic spot; near: a hotel
    p.expense(orgs[4], workday, "其他", "娱乐场所", 300_000, None, "活动费")
    p.expense(orgs[4], workday, "会议", "景区", 500_000, None, "会议费")
    p.hit("F03", orgs[4].code)
    p.expense(orgs[5], workday, "会议", "酒店", 500_000, None, "会议费")
    # F04: shopping cards, a fuel card in the memo; near: ordinary fuel
    p.expense(orgs[6], workday, "办公用品", "购物卡", 1_000_000, None, "办公用品")
    p.hit("F04", orgs[6].code)
    p.expense(orgs[7], workday, "公务用车", "加油", 200_000, None, "购买加油卡")
    p.hit("F04", orgs[7].code)
    p.expense(orgs[8], workday, "公务用车", "加油", 40_000, None, "车辆加油")
    # F05: a rest-day dinner, a KTV on a workday; near: dinner on a workday, the office at the
    # weekend, a scenic spot on a 调休 workday
    plates = [f"豫SP{replicate:02d}{k}" for k in range(4)]
    p.trip(plates[0], orgs[0], DT.combine(weekend, dt.time(18, 30)), "餐饮")
    p.hit("F05", plates[0])
    p.trip(plates[1], orgs[1], DT.combine(workday, dt.time(20, 0)), "娱乐场所")
    p.hit("F05", plates[1])
    p.trip(plates[2], orgs[2], DT.combine(workday, dt.time(12, 0)), "餐饮")
    p.trip(plates[2], orgs[2], DT.combine(weekend, dt.time(9, 0)), "机关")
    p.trip(plates[3], orgs[3], DT.combine(adjusted, dt.time(10, 0)), "景区")


def plant_gifts(p: Planter, calendar: Calendar) -> None:
    county = p.county
    towns = county.towns
    festive = _first(calendar, D(2025, 1, 27), calendar.festive)
    quiet = _first(calendar, D(2025, 3, 10), lambda d: not calendar.festive(d))
    later_quiet = _first(calendar, D(2025, 7, 10), lambda d: not calendar.festive(d))

    def supplier_of(org_index: int) -> tuple[Org, Person]:
        org = towns[org_index]
        rep = p.person()
        p.contract(org, p.company(rep), 20_000_000, D(2024, 11, 1))
        return org, rep

    # F06: a managed party's 红包 at Spring Festival; near: 199.99, by bank, outside any
    # festival window, from a friend, to an ex-official
    org, rep = supplier_of(4)
    official = p.official(org)
    p.transfer(rep, official, 200_000, DT.combine(festive, dt.time(10)), "微信红包")
    p.hit("F06", official.person_id)
    org, rep = supplier_of(5)
    p.transfer(rep, p.official(org), 19_999, DT.combine(festive, dt.time(10)), "微信红包")
    org, rep = supplier_of(6)
    p.transfer(rep, p.official(org), 300_000, DT.combine(festive, dt.time(10)), "银行转账")
    org, rep = supplier_of(7)
    p.transfer(rep, p.official(org), 200_000, DT.combine(quiet, dt.time(10)), "微信红包")
    p.transfer(p.person(), p.official(towns[8]), 200_000, DT.combine(festive, dt.time(10)), "微信红包")
    org, rep = supplier_of(9)
    p.transfer(
        rep, p.official(org, end=D(2024, 12, 31)), 200_000, DT.combine(festive, dt.time(10)), "微信红包"
    )

    # F07: three transfers from a 低保 recipient, 6000 from a supplier, three from a
    # subordinate to a leader; near: spread over more than 365 days, 4999.98, three senders
    town = p.town
    official = p.official(town)
    recipient = p.person()
    p.benefit(recipient, ["2024-12"])
    for month in (3, 5, 7):
        p.transfer(recipient, official, 50_000, DT(2025, month, 1, 9), "银行转账")
    p.hit("F07", official.person_id)
    org, rep = supplier_of(10)
    official = p.official(org)
    for month in (4, 6):
        p.transfer(rep, official, 300_000, DT(2025, month, 1, 9), "银行转账")
    p.hit("F07", official.person_id)
    leader = p.official(p.dept("EDU"), leader=True)
    subordinate = p.official(p.dept("EDU"))
    for month in (3, 4, 5):
        p.transfer(subordinate, leader, 30_000, DT(2025, month, 10, 9), "银行转账")
    p.hit("F07", leader.person_id)
    official = p.official(town)
    recipient = p.person()
    p.benefit(recipient, ["2024-02"])
    for day in (D(2024, 3, 1), D(2024, 9, 17), D(2025, 3, 1)):
        p.transfer(recipient, official, 50_000, DT.combine(day, dt.time(9)), "银行转账")
    org, rep = supplier_of(11)
    official = p.official(org)
    for month in (4, 6):
        p.transfer(rep, official, 249_999, DT(2025, month, 1, 9), "银行转账")
    official = p.official(town)
    for _ in range(3):
        recipient = p.person()
        p.benefit(recipient, ["2024-02"])
        p.transfer(recipient, official, 100_000, DT(2025, 4, 1, 9), "银行转账")

    # F08: twelve senders in two days; near: nine, ten spread over four days, by bank, to an
    # ex-official
    def senders(official: Person, days: list[D], count: int, channel: str = "微信红包") -> None:
        for index in range(count):
            p.transfer(
                p.person(), official, 20_000, DT.combine(days[index % len(days)], dt.time(12)), channel
            )

    official = p.official(p.dept("HRS"))
    senders(official, [quiet, quiet + dt.timedelta(days=1)], 12)
    p.hit("F08", official.person_id)
    senders(p.official(p.dept("HRS")), [quiet], 9)
    senders(p.official(p.dept("HRS")), [later_quiet, later_quiet + dt.timedelta(days=3)], 10)
    senders(p.official(p.dept("HRS")), [quiet], 12, "银行转账")
    senders(p.official(p.dept("HRS"), end=D(2024, 12, 31)), [quiet], 12)


def plant_fund_flows(p: Planter, replicate: int) -> None:
    county = p.county
    finance = p.dept("FIN")
    # M01: held 136 days; near: passed on on day 90, received within 90 days of as_of
    for role, received, passed, hit in (
        ("NAT", D(2025, 3, 1), D(2025, 7, 15), True),
        ("WAT", D(2025, 3, 1), D(2025, 5, 30), False),
        ("ENV", D(2025, 10, 15), D(2026, 1, 20), False),
    ):
        org = p.dept(role)
        fund = f"ZX{county.code}M{replicate:02d}{role}"
        p.flow(fund, finance, 50_000_000, received, to_org=org)
        if passed <= D(2025, 12, 31):
            p.flow(fund, org, 50_000_000, passed, payee=p.company(p.person()))
        if hit:
            p.hit("M01", f"{org.code}/{fund}")
    # M02: paid to a company of an official's spouse, of the official himself (closed, so not
    # C01); near: a cousin's company, an ex-official's spouse, an official of another org
    payer = p.dept("HRS")
    fund = f"ZX{county.code}X{replicate:02d}HRS"
    day = D(2025, 6, 1)
    payees = []
    spouse_company = p.company(p.relative(p.official(payer), CLOSE))
    payees.append(spouse_company)
    p.hit("M02", f"{payer.code}/{spouse_company}")
    own_company = p.company(p.person(), status="注销", shareholders=(p.official(payer),))
    payees.append(own_company)
    p.hit("M02", f"{payer.code}/{own_company}")
    payees.append(p.company(p.relative(p.official(payer), NOT_CLOSE)))
    payees.append(p.company(p.relative(p.official(payer, end=D(2024, 12, 31)), CLOSE)))
    payees.append(p.company(p.official(p.dept("MKT")), status="注销"))
    p.flow(fund, finance, 30_000_000 * len(payees), day, to_org=payer)
    for payee in payees:
        p.flow(fund, payer, 30_000_000, day, payee=payee)


def plant_procurement(p: Planter) -> None:
    """Cardinal's indicators on the contract's own contracts/bids (RULES.md R): R018, R024, R028,
    R058, each with near-misses. Every tender with one winner and another priced bidder joins the
    R024/R058 population, so the tenders not meant to trip a fence keep the runner-up 4 % to 6 %
    above the winner like the background."""
    buyer = p.dept("EDU")

    def tender(method: str | None, prices: list[int], *, winners: int = 1) -> tuple[str, list[str]]:
        bidders = [p.company(p.person()) for _ in prices]
        tender_id = p.tender(bidders, prices=prices, winners=winners)
        if method is not None:
            p.contract(buyer, bidders[0], prices[0], D(2025, 5, 20), tender=tender_id, method=method)
        return tender_id, bidders

    # a market of ordinary tenders, runner-up 4 % to 6 % above the winner, so that the fences
    # stand where the background puts them even in a small package
    for index in range(20):
        tender(None, [25_000_000, 25_000_000 + 1_000_000 + 500_000 * index // 19])

    # R018: one bidder in a 公开招标 and in a 邀请招标; near: one bidder in a 单一来源 and a
    # 竞争性谈判 (not competitive by Cardinal's default), two bidders in a 公开招标, one bidder
    # without a contract naming the method
    for method in ("公开招标", "邀请招标"):
        tender_id, _ = tender(method, [30_000_000])
        p.hit("R018", f"tender:{tender_id}")
    tender("单一来源", [30_000_000])
    tender("竞争性谈判", [30_000_000])
    tender("公开招标", [30_000_000, 31_500_000])
    tender(None, [30_000_000])

    # R024: the runner-up 0.1 % above the winner (the tender, the winner and the runner-up);
    # near: 4 % above (the background's lowest), the other bid below the winner's
    tender_id, (winner, runner_up, _) = tender("公开招标", [40_000_000, 40_040_000, 42_000_000])
    for subject in (f"tender:{tender_id}", f"tenderer:{winner}", f"tenderer:{runner_up}"):
        p.hit("R024", subject)
    tender("公开招标", [40_000_000, 41_600_000])
    tender("公开招标", [40_000_000, 39_990_000])

    # R058: the runner-up 50 % above the winner (the tender and the winner); near: 6 % above
    # (the background's highest), two winners (no sole winner)
    tender_id, (winner, _) = tender("竞争性磋商", [20_000_000, 30_000_000])
    for subject in (f"tender:{tender_id}", f"tenderer:{winner}"):
        p.hit("R058", subject)
    tender("竞争性磋商", [20_000_000, 21_200_000])
    tender("竞争性磋商", [20_000_000, 21_000_000, 40_000_000], winners=2)

    # R028: two losers bid the same price (the tender and both); near: one cent apart
    tender_id, (_, first, second) = tender("询价", [10_000_000, 10_500_000, 10_500_000])
    for subject in (f"tender:{tender_id}", f"tenderer:{first}", f"tenderer:{second}"):
        p.hit("R028", subject)
    tender("询价", [10_000_000, 10_500_000, 10_500_001])
