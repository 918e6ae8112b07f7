"""Planted cases: for every rule of RULES.md, true cases and near-misses, and the truth.

Every planted case uses people, companies, plates and accounts of its own, so it triggers
exactly the rules it is written down for (`Planter.hit`) and no other; a near-miss sits just
the other side of a rule's condition (one yuan under a threshold, one day outside a window,
a relation that is not 近亲属, an ex-official, a 农用车, a closed company…).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from lianqing.analytics.generate.calendar import day_number
from lianqing.analytics.generate.population import State
from lianqing.analytics.generate.sink import PackageSink
from lianqing.analytics.generate.world import County, Org, standard_cents, uscc_numbers

D = dt.date


@dataclass
class Person:
    person_id: str
    name: str
    household_id: str
    village: Org
    account_no: str


def _seconds(when: dt.datetime) -> int:
    return day_number(when.date()) * 86_400 + when.hour * 3600 + when.minute * 60 + when.second


class Planter:
    def __init__(self, state: State, county: County) -> None:
        self.state = state
        self.county = county
        self.rows: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        self.truth: set[tuple[str, str]] = set()
        self.town = county.towns[1]  # approves the planted benefits
        self.serial = 0

    def next(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial:06d}"

    # --- people and organisations -------------------------------------------------------
    def person(
        self,
        *,
        male: bool = True,
        born: D | None = None,
        registered: bool = True,
        household: str | None = None,
    ) -> Person:
        state = self.state
        if born is None:  # spread birthdays: ID sequence numbers are per county and day
            born = D(1960, 1, 1) + dt.timedelta(days=int(state.rng.integers(0, 35 * 365)))
        person_id = str(
            state.allocator.allocate(
                np.array([self.county.index]),
                np.array([int(self.county.code)]),
                np.array([day_number(born)]),
                np.array([male]),
            )[0]
        )
        name = str(state.pools.names(state.rng, np.array([male]))[0])
        village = next(v for v in self.county.villages if v.parent == self.town.code)
        person = Person(person_id, name, household or self.next("HP"), village, self.next("6230"))
        if registered:
            self.rows["persons"].append(
                {
                    "person_id": person_id,
                    "name": name,
                    "gender": "男" if male else "女",
                    "birth_date": born,
                    "region_code": self.county.code,
                    "household_id": person.household_id,
                    "address": f"{village.name[:-5]}{self.serial}号",
                }
            )
        return person

    def official(
        self,
        org: Org,
        *,
        category: str = "公务员",
        start: D = dt.date(2012, 3, 1),
        end: D | None = None,
        leader: bool = False,
        person: Person | None = None,
    ) -> Person:
        person = person or self.person()
        position, rank = (
            ("村委委员", None)
            if category == "村干部"
            else (("副局长", "副科级") if leader else ("科员", "一级科员"))
        )
        self.rows["officials"].append(
            {
                "person_id": person.person_id,
                "name": person.name,
                "org_code": org.code,
                "region_code": org.region,
                "position": position,
                "rank": rank,
                "category": category,
                "is_leader": leader,
                "start_date": start,
                "end_date": end,
            }
        )
        return person

    def relative(self, official: Person, relation: str) -> Person:
        relative = self.person(male=relation not in ("配偶",))
        self.rows["relatives"].append(
            {
                "official_id": official.person_id,
                "relative_id": relative.person_id,
                "relative_name": relative.name,
                "relation": relation,
            }
        )
        return relative

    def dept(self, role: str) -> Org:
        return self.county.org(role)

    # --- benefits -----------------------------------------------------------------------
    def benefit(
        self,
        person: Person,
        periods: list[str],
        *,
        program: str = "低保",
        cents: int | None = None,
        town: Org | None = None,
        account: str | None = None,
        holder: Person | None = None,
        name: str | None = None,
        quantity: Decimal | None = None,
    ) -> None:
        town = town or self.town
        for period in periods:
            amount = (
                cents
                if cents is not None
                else standard_cents(program, town.code, period, self.state.override_town) - 5000
            )
            self.rows["benefits"].append(
                {
                    "record_id": self.next("BP"),
                    "program": program,
                    "person_id": person.person_id,
                    "name": name or person.name,
                    "region_code": town.code,
                    "household_id": person.household_id,
                    "amount": amount,
                    "period": period,
                    "pay_date": D(int(period[:4]), int(period[5:]), 15),
                    "account_no": account or person.account_no,
                    "account_holder_id": (holder or person).person_id,
                    "approver_org_code": town.code,
                    "fund_code": self.county.fund_code(program),
                    "quantity": quantity,
                }
            )
            self.state.fund_paid[(self.county.index, town.code, program, period)] += amount

    def death(self, person: Person, day: D) -> None:
        self.rows["deaths"].append(
            {"person_id": person.person_id, "name": person.name, "death_date": day, "source": "殡葬火化"}
        )

    def payroll(self, person: Person, org: Org, periods: list[str]) -> None:
        for period in periods:
            self.rows["payroll"].append(
                {
                    "person_id": person.person_id,
                    "name": person.name,
                    "org_code": org.code,
                    "period": period,
                    "amount": 520_000,
                }
            )

    # --- companies, contracts, bids -------------------------------------------------------
    def company(
        self,
        rep: Person,
        *,
        status: str = "存续",
        reg: D = dt.date(2018, 4, 1),
        shareholders: tuple[Person, ...] = (),
        phone: str | None = None,
        address: str | None = None,
    ) -> str:
        counters = self.state.counters
        uscc = str(uscc_numbers(self.county.code, np.array([counters.company]))[0])
        counters.company += 1
        name = f"{self.county.name[:-1]}{rep.name}{counters.company}有限公司"
        self.rows["companies"].append(
            {
                "uscc": uscc,
                "name": name,
                "legal_rep_id": rep.person_id,
                "legal_rep_name": rep.name,
                "reg_date": reg,
                "region_code": self.county.code,
                "status": status,
                "phone": phone or f"139{counters.company:08d}",
                "address": address or f"{self.county.name}创业大道{counters.company}号",
            }
        )
        for holder in (rep, *shareholders):
            self.rows["shareholders"].append(
                {
                    "uscc": uscc,
                    "holder_id": holder.person_id,
                    "holder_name": holder.name,
                    "ratio": 1 / (1 + len(shareholders)),
                }
            )
        return uscc

    def contract(
        self,
        buyer: Org,
        supplier: str,
        cents: int,
        day: D,
        *,
        tender: str | None = None,
        method: str | None = None,
    ) -> None:
        self.state.counters.contract += 1
        number = self.state.counters.contract
        self.rows["contracts"].append(
            {
                "contract_id": f"HT{number:08d}",
                "tender_id": tender,
                "buyer_org_code": buyer.code,
                "supplier_uscc": supplier,
                "supplier_name": None,
                "amount": cents,
                "sign_date": day,
                "method": method or ("询价" if cents < 100_000_000 else "公开招标"),
                "project_name": f"采购项目{number}",
            }
        )

    def tender(self, bidders: list[str], *, prices: list[int] | None = None, winners: int = 1) -> str:
        """A tender of `bidders`, the first `winners` of them winning; by default the runner-up
        bids 4 % to 6 % above the first, spread like the background's (inside the R024/R058
        fences), the others a little above it."""
        tender = self.next("ZBP")
        if prices is None:
            runner_up = 50_000_000 + round(
                50_000_000 * (0.04 + 0.02 * ((self.serial * 0.6180339887498949) % 1.0))
            )
            prices = [50_000_000] + [runner_up + 10_000 * index for index in range(len(bidders) - 1)]
        for index, (bidder, price) in enumerate(zip(bidders, prices, strict=True)):
            self.rows["bids"].append(
                {"tender_id": tender, "bidder_uscc": bidder, "price": price, "won": index < winners}
            )
        return tender

    # --- conduct ----------------------------------------------------------------------------
    def expense(
        self,
        org: Org,
        day: D,
        category: str,
        vendor_category: str,
        cents: int,
        headcount: int | None,
        memo: str,
    ) -> None:
        self.rows["expenses"].append(
            {
                "expense_id": self.next("BXP"),
                "org_code": org.code,
                "claimant_id": None,
                "category": category,
                "amount": cents,
                "date": day,
                "vendor_name": f"{vendor_category}商户",
                "vendor_category": vendor_category,
                "headcount": headcount,
                "memo": memo,
            }
        )

    def trip(self, plate: str, org: Org, start: dt.datetime, category: str) -> None:
        self.rows["vehicle_trips"].append(
            {
                "trip_id": self.next("XCP"),
                "plate": plate,
                "org_code": org.code,
                "start_time": _seconds(start),
                "end_time": _seconds(start + dt.timedelta(hours=2)),
                "destination": f"某{category}",
                "destination_category": category,
            }
        )

    def transfer(self, sender: Person, receiver: Person, cents: int, when: dt.datetime, channel: str) -> None:
        self.rows["transactions"].append(
            {
                "txn_id": self.next("JYP"),
                "time": _seconds(when),
                "from_id": sender.person_id,
                "from_name": sender.name,
                "to_id": receiver.person_id,
                "to_name": receiver.name,
                "amount": cents,
                "channel": channel,
                "memo": None,
            }
        )

    def flow(
        self,
        fund: str,
        source: Org,
        cents: int,
        day: D,
        *,
        to_org: Org | None = None,
        payee: str | None = None,
    ) -> None:
        self.rows["fund_flows"].append(
            {
                "flow_id": self.next("BFP"),
                "fund_code": fund,
                "fund_name": "专项资金",
                "from_org_code": source.code,
                "to_org_code": to_org.code if to_org else None,
                "payee_id": payee,
                "amount": cents,
                "date": day,
                "purpose": "项目资金拨付",
            }
        )

    def hit(self, rule: str, subject: str) -> None:
        self.truth.add((rule, subject))

    # --- writing ----------------------------------------------------------------------------
    def write(self, sink: PackageSink) -> None:
        for dataset, rows in self.rows.items():
            if not rows:
                continue
            columns: dict[str, list[Any]] = {key: [row[key] for row in rows] for key in rows[0]}
            for key, values in columns.items():
                if values and isinstance(next((v for v in values if v is not None), None), D):
                    columns[key] = [None if v is None else day_number(v) for v in values]
            sink.write(dataset, {k: _typed(v) for k, v in columns.items()})


def _typed(values: list[Any]) -> Any:
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return np.array(values, dtype=np.int64)
    return values
