"""The org tree, the subsidy standards, and fund flows down the tree to the last mile.

Each month finance allocates to the paying bureau and the bureau to every town exactly what
the town pays out that month (on the 1st, the payments fall later in the month), so no
money stays anywhere (rules M01, M03); contract money goes from finance to the buyer and on
to the supplier the same day. The one planted retention (M03) and its near-miss are
top-ups late in the span, within 90 days of as_of, so rule M01 does not apply to them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import numpy as np

from lianqing.analytics.generate.calendar import day_number, period_start
from lianqing.analytics.generate.planted import Planter
from lianqing.analytics.generate.population import State
from lianqing.analytics.generate.sink import PackageSink
from lianqing.analytics.generate.world import PROGRAMS, TOWN_OVERRIDE, County

FUND_NAMES = {
    "DB": "城乡低保资金",
    "TK": "特困人员供养资金",
    "GD": "耕地地力保护补贴资金",
    "XM": "政府采购项目资金",
    "YL": "城乡居民基本养老保险基金",
    "CJ": "困难残疾人生活补贴资金",
    "HL": "重度残疾人护理补贴资金",
}
TOP_UP_DAY = dt.date(2025, 11, 15)


def write_orgs_and_standards(sink: PackageSink, counties: list[County], override_town: str) -> None:
    orgs = [o for county in counties for o in county.orgs]
    if len(counties) > 1:
        from lianqing.analytics.generate.world import Org

        orgs.insert(0, Org("410000000", "河南省人民政府", "", "410000", "党政机关", "province"))
    sink.write(
        "orgs",
        {
            "org_code": [o.code for o in orgs],
            "name": [o.name for o in orgs],
            "parent_code": [o.parent or None for o in orgs],
            "region_code": [o.region for o in orgs],
            "kind": [o.kind for o in orgs],
        },
    )
    rows: list[tuple[str, str, str, str | None, int]] = []
    for county in counties:
        for program, (_, _, table) in PROGRAMS.items():
            rows.append((program, county.code, "2024-01", "2024-12", table["2024-01"]))
            rows.append((program, county.code, "2025-01", None, table["2025-01"]))
    cars = [car for county in counties for car in county.official_cars()]
    sink.write(
        "official_vehicles",
        {
            "plate": [car[0] for car in cars],
            "org_code": [car[1] for car in cars],
            "model": [car[2] for car in cars],
            "tank_liters": np.array([car[3] * 10_000 for car in cars], dtype=np.int64),
        },
    )
    rows.append(("低保", override_town, "2024-01", "2024-12", TOWN_OVERRIDE["2024-01"]))
    rows.append(("低保", override_town, "2025-01", None, TOWN_OVERRIDE["2025-01"]))
    sink.write(
        "standards",
        {
            "program": [r[0] for r in rows],
            "region_code": [r[1] for r in rows],
            "period_from": [r[2] for r in rows],
            "period_to": [r[3] for r in rows],
            "max_amount": np.array([r[4] for r in rows], dtype=np.int64),
        },
    )


class _Flows:
    def __init__(self) -> None:
        self.columns: dict[str, list[object]] = defaultdict(list)
        self.count = 0

    def add(
        self, fund: str, name: str, source: str, cents: int, day: int, to_org: str | None, payee: str | None
    ) -> None:
        self.count += 1
        c = self.columns
        c["flow_id"].append(f"ZF{self.count:010d}")
        c["fund_code"].append(fund)
        c["fund_name"].append(name)
        c["from_org_code"].append(source)
        c["to_org_code"].append(to_org)
        c["payee_id"].append(payee)
        c["amount"].append(cents)
        c["date"].append(day)
        c["purpose"].append("资金拨付" if to_org else "支付")

    def write(self, sink: PackageSink) -> None:
        if self.count:
            columns: dict[str, object] = dict(self.columns)
            columns["amount"] = np.array(self.columns["amount"], dtype=np.int64)
            columns["date"] = np.array(self.columns["date"], dtype=np.int64)
            sink.write("fund_flows", columns)


def write_fund_flows(sink: PackageSink, state: State, planter: Planter) -> None:
    flows = _Flows()
    counties = state.counties
    by_bureau: defaultdict[tuple[int, str, str], dict[str, int]] = defaultdict(dict)
    for (county_index, town, program, period), cents in sorted(state.fund_paid.items()):
        by_bureau[(county_index, program, period)][town] = cents
    for (county_index, program, period), towns in sorted(by_bureau.items()):
        county = counties[county_index]
        suffix, bureau_role, _ = PROGRAMS[program]
        fund, name = county.fund_code(program), FUND_NAMES[suffix]
        finance, bureau = county.org("FIN").code, county.org(bureau_role).code
        day = day_number(period_start(period))
        flows.add(fund, name, finance, sum(towns.values()), day, bureau, None)
        for town, cents in sorted(towns.items()):
            flows.add(fund, name, bureau, cents, day, town, None)
    for county_index, buyer, supplier, day, cents in state.projects:
        county = counties[county_index]
        fund = f"ZX{county.code}XM"
        flows.add(fund, FUND_NAMES["XM"], county.org("FIN").code, cents, day, buyer, None)
        flows.add(fund, FUND_NAMES["XM"], buyer, cents, day, None, supplier)

    # M03: a town keeps 10% of what it received; near-miss: another keeps 4%
    county = planter.county
    fund = county.fund_code("低保")
    for keeper, share, hit in ((county.towns[1], 0.10, True), (county.towns[0], 0.04, False)):
        paid = sum(
            cents
            for (county_index, town_code, program, _), cents in state.fund_paid.items()
            if county_index == county.index and town_code == keeper.code and program == "低保"
        )
        extra = math.ceil(paid * share) if hit else math.floor(paid * share)
        day = day_number(TOP_UP_DAY)
        flows.add(fund, FUND_NAMES["DB"], county.org("FIN").code, extra, day, county.org("CIV").code, None)
        flows.add(fund, FUND_NAMES["DB"], county.org("CIV").code, extra, day, keeper.code, None)
        if hit:
            planter.hit("M03", f"{keeper.code}/{fund}")
    flows.write(sink)
