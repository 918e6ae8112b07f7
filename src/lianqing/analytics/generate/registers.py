"""Background for the registers of issues 12 and 16: disability certificates, prison terms,
land rights, fuel fills, official-card payments and cadres' declarations, clean by construction.

As in population.py, every kind keeps apart what the rules bring together: certificates are
valid whenever their holders are paid a disability subsidy, and 护理补贴 goes to 一级/二级 only
(B12); prisoners are ordinary household members, who draw no 低保 or pension (B11); a farmer
claims exactly the registered area (B13); a car is filled at most once a day with at most 55 %
of its tank (F09); an official card pays once a day, on workdays (F10, F11); a leader declares
every property and vehicle registered by the day of the report (D01, D02) and has no relative
in business (D03).
"""

from __future__ import annotations

import numpy as np

from lianqing.analytics.generate.calendar import day_number
from lianqing.analytics.generate.sink import PackageSink
from lianqing.analytics.generate.world import County

LEVELS = np.array(["一级", "二级", "三级", "四级"])
LEVEL_P = np.array([0.1, 0.25, 0.35, 0.3])
STATIONS = np.array(["中石化城关加油站", "中石油东环加油站", "中石化南关加油站", "中石油北环加油站"])
# (merchant category, name suffix, low yuan, high yuan) of official-card payments on workdays
CARD_USES: tuple[tuple[str, str, int, int], ...] = (
    ("酒店", "宾馆", 200, 1200),
    ("加油", "加油站", 200, 600),
    ("餐饮", "饭店", 100, 1500),
    ("其他", "文印店", 50, 800),
)
DECLARED_YEARS = (2023, 2024)  # reported early in the next year, before as_of


def _spread_days(
    rng: np.random.Generator, days: np.ndarray, owners: int, per_owner: np.ndarray
) -> np.ndarray:
    """For each owner, `per_owner` distinct days of `days` (a stride walk never revisits a day)."""
    n = len(days)
    counts = np.minimum(per_owner, n // 8)
    starts = rng.integers(0, n, owners)
    strides = rng.integers(1, np.maximum(2, n // np.maximum(counts, 1)), owners)
    step = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return days[(np.repeat(starts, counts) + step * np.repeat(strides, counts)) % n]


def disabilities(
    rng: np.random.Generator,
    sink: PackageSink,
    eligible: np.ndarray,
    person_ids: np.ndarray,
    names: np.ndarray,
) -> np.ndarray:
    """Certificates for about 2 % of the eligible; the level index (0-3) of each person's valid
    certificate, -1 for none. A few old certificates were cancelled before 2024 (and not renewed)."""
    size = len(person_ids)
    holders = eligible & (rng.random(size) < 0.02)
    who = np.flatnonzero(holders)
    level = rng.choice(4, size=len(who), p=LEVEL_P)
    issued = rng.integers(day_number_of("2005-01-01"), day_number_of("2023-12-31") + 1, len(who))
    cancelled = rng.random(len(who)) < 0.05
    cancel_day = np.where(
        cancelled, np.minimum(issued + rng.integers(200, 3000, len(who)), day_number_of("2023-12-31")), 0
    )
    sink.write(
        "disabilities",
        {
            "person_id": person_ids[who],
            "name": names[who],
            "cert_no": np.char.add(np.char.add(person_ids[who], "1"), (level + 1).astype("U1")),
            "level": LEVELS[level],
            "issue_date": issued,
            "cancel_date": [
                int(day) if gone else None for day, gone in zip(cancel_day, cancelled, strict=True)
            ],
        },
    )
    valid_level = np.full(size, -1)
    valid_level[who[~cancelled]] = level[~cancelled]
    return valid_level


def day_number_of(text: str) -> int:
    return day_number(np.datetime64(text).astype(object))


def prisoners(
    rng: np.random.Generator,
    sink: PackageSink,
    eligible: np.ndarray,
    person_ids: np.ndarray,
    names: np.ndarray,
) -> None:
    """Prison terms of about 0.3 % of the eligible (adults drawing no 低保 and no pension)."""
    who = np.flatnonzero(eligible & (rng.random(len(person_ids)) < 0.003))
    start = rng.integers(day_number_of("2008-01-01"), day_number_of("2025-06-30") + 1, len(who))
    end = start + rng.integers(180, 8 * 365, len(who))
    serving = end > day_number_of("2025-12-31")
    sink.write(
        "prisoners",
        {
            "person_id": person_ids[who],
            "name": names[who],
            "start_date": start,
            "end_date": [None if open_ else int(day) for day, open_ in zip(end, serving, strict=True)],
            "source": np.where(rng.random(len(who)) < 0.5, "监狱管理局", "社区矫正机构"),
        },
    )


def land_rights(
    sink: PackageSink, households: np.ndarray, persons: np.ndarray, regions: np.ndarray, area: np.ndarray
) -> None:
    """One registered plot per farming household (area in ten-thousandths of a 亩)."""
    sink.write(
        "land_rights",
        {"household_id": households, "person_id": persons, "region_code": regions, "area_mu": area},
    )


def fuel_fills(
    rng: np.random.Generator,
    sink: PackageSink,
    county: County,
    workdays: np.ndarray,
    share: float,
    serial: int,
) -> int:
    """About 60 fills a car over the two years (scaled by the chunk's share of the county), on
    distinct workdays, each 30-55 % of the tank; returns the next serial number."""
    cars = county.official_cars()
    per_car = np.full(len(cars), max(1, round(60 * share)))
    days = _spread_days(rng, workdays, len(cars), per_car)
    car = np.repeat(np.arange(len(cars)), np.minimum(per_car, len(workdays) // 8))
    count = len(car)
    tanks = np.array([c[3] for c in cars])[car]
    liters = (tanks * rng.integers(3000, 5501, count)).astype(np.int64)  # ten-thousandths: 30-55 %
    price = rng.integers(720, 811, count)  # cents per litre
    seconds = days.astype(np.int64) * 86_400 + rng.integers(7 * 3600, 19 * 3600, count)
    ids = serial + np.arange(count)
    plates = np.array([c[0] for c in cars])
    sink.write(
        "fuel_fills",
        {
            "fill_id": np.char.add("JYK", np.char.zfill(ids.astype("U10"), 10)),
            "card_no": np.char.add("91000", np.char.zfill(car.astype("U6"), 6)),
            "plate": plates[car],
            "org_code": np.array([c[1] for c in cars])[car],
            "time": seconds,
            "liters": liters,
            "amount": liters * price // 10_000,
            "station": STATIONS[rng.integers(0, len(STATIONS), count)],
        },
    )
    return serial + count


def card_payments(
    rng: np.random.Generator,
    sink: PackageSink,
    holders: np.ndarray,
    orgs: np.ndarray,
    workdays: np.ndarray,
    streets: np.ndarray,
    serial: int,
) -> int:
    """A few payments per official card (holder person ids, their orgs), on distinct workdays."""
    if not len(holders):
        return serial
    per_card = rng.integers(1, 13, len(holders))
    days = _spread_days(rng, workdays, len(holders), per_card)
    card = np.repeat(np.arange(len(holders)), np.minimum(per_card, len(workdays) // 8))
    count = len(card)
    use = rng.integers(0, len(CARD_USES), count)
    low = np.array([u[2] for u in CARD_USES])[use]
    high = np.array([u[3] for u in CARD_USES])[use]
    ids = serial + np.arange(count)
    sink.write(
        "card_payments",
        {
            "payment_id": np.char.add("GWK", np.char.zfill(ids.astype("U12"), 12)),
            "card_no": np.char.add("6283", np.char.zfill((serial + card).astype("U12"), 12)),
            "holder_id": holders[card],
            "org_code": orgs[card],
            "time": days.astype(np.int64) * 86_400 + rng.integers(9 * 3600, 21 * 3600, count),
            "merchant_name": np.char.add(
                streets[rng.integers(0, len(streets), count)], np.array([u[1] for u in CARD_USES])[use]
            ),
            "merchant_category": np.array([u[0] for u in CARD_USES])[use],
            "amount": (low + rng.random(count) * (high - low)).astype(np.int64) * 100,
        },
    )
    return serial + count + len(holders)


def declarations(
    rng: np.random.Generator,
    sink: PackageSink,
    leaders: np.ndarray,
    person_ids: np.ndarray,
    assets: dict[str, tuple[np.ndarray, np.ndarray]],
    serial: int,
) -> int:
    """Each leader's yearly report: one row per property and vehicle registered by its day, and
    their marriage (其他). `assets` maps 房产/车辆 to (owner index, registration day) arrays."""
    rows: dict[str, list[object]] = {
        key: [] for key in ("person_id", "year", "declared_on", "item_type", "item_desc")
    }
    owned = {
        item: _by_owner(owners[np.isin(owners, leaders)], days[np.isin(owners, leaders)])
        for item, (owners, days) in assets.items()
    }
    for leader in leaders.tolist():
        for year in DECLARED_YEARS:
            declared = day_number_of(f"{year + 1}-01-10") + int(rng.integers(0, 80))
            items = [("其他", "本人婚姻情况：已婚")]
            for item, by_owner in owned.items():
                items += [(item, f"{item}一项") for day in by_owner.get(leader, []) if day <= declared]
            for item, desc in items:
                rows["person_id"].append(person_ids[leader])
                rows["year"].append(year)
                rows["declared_on"].append(declared)
                rows["item_type"].append(item)
                rows["item_desc"].append(desc)
    count = len(rows["year"])
    if not count:
        return serial
    ids = serial + np.arange(count)
    sink.write(
        "declarations",
        {
            "declaration_id": np.char.add("SB", np.char.zfill(ids.astype("U10"), 10)),
            "person_id": rows["person_id"],
            "year": np.array(rows["year"], dtype=np.int64),
            "declared_on": np.array(rows["declared_on"], dtype=np.int64),
            "item_type": rows["item_type"],
            "item_desc": rows["item_desc"],
        },
    )
    return serial + count


def _by_owner(owners: np.ndarray, days: np.ndarray) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    for owner, day in zip(owners.tolist(), days.tolist(), strict=True):
        result.setdefault(owner, []).append(day)
    return result
