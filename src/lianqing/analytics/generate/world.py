"""The generated place: counties, their org tree, subsidy standards, names and ID numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from faker import Faker

from lianqing.analytics import idcodes
from lianqing.analytics.generate.calendar import day_number

PROVINCE = "41"  # 河南省
PERSONS_PER_COUNTY = 400_000
TOWNS_PER_COUNTY = 12
VILLAGES_PER_TOWN = 10
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("FIN", "财政局"),
    ("CIV", "民政局"),
    ("AGR", "农业农村局"),
    ("HOU", "住房和城乡建设局"),
    ("EDU", "教育局"),
    ("HEA", "卫生健康委员会"),
    ("TRA", "交通运输局"),
    ("NAT", "自然资源局"),
    ("HRS", "人力资源和社会保障局"),
    ("MKT", "市场监督管理局"),
    ("WAT", "水利局"),
    ("ENV", "生态环境分局"),
)
SCHOOLS_PER_COUNTY = 6
TOWN_NAMES = [
    "城关",
    "城郊",
    "东关",
    "西关",
    "南岗",
    "北岭",
    "王庄",
    "李店",
    "张集",
    "刘湾",
    "陈寨",
    "杨楼",
    "黄岗",
    "赵庄",
    "周营",
    "吴桥",
    "孙坊",
    "马集",
    "朱店",
    "胡岗",
]
VILLAGE_WORDS = [
    "东",
    "西",
    "南",
    "北",
    "前",
    "后",
    "大",
    "小",
    "新",
    "老",
    "上",
    "下",
    "中",
    "高",
    "柳",
    "桥",
    "岗",
    "湾",
    "庄",
    "营",
]

# programs: name -> (fund suffix, paying department, {first period: county max in cents})
PROGRAMS: dict[str, tuple[str, str, dict[str, int]]] = {
    "低保": ("DB", "CIV", {"2024-01": 60_000, "2025-01": 65_000}),
    "特困供养": ("TK", "CIV", {"2024-01": 90_000, "2025-01": 95_000}),
    "耕地地力保护补贴": ("GD", "AGR", {"2024-01": 200_000, "2025-01": 200_000}),
    "城乡居民基本养老保险": ("YL", "HRS", {"2024-01": 30_000, "2025-01": 32_000}),
    "困难残疾人生活补贴": ("CJ", "CIV", {"2024-01": 10_000, "2025-01": 11_000}),
    "重度残疾人护理补贴": ("HL", "CIV", {"2024-01": 10_000, "2025-01": 11_000}),
}
AREA_CENTS_PER_MU = 12_000  # 耕地地力保护补贴: 120 yuan per 亩
# official cars: (model, tank litres), given to an org's plates in turn
CAR_MODELS: tuple[tuple[str, int], ...] = (
    ("大众帕萨特", 70),
    ("丰田凯美瑞", 60),
    ("别克GL8", 65),
    ("大众朗逸", 50),
    ("本田雅阁", 56),
)
# a town-level standard above the county's: the longest region prefix wins (rule B09)
TOWN_OVERRIDE = {"2024-01": 70_000, "2025-01": 75_000}


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    parent: str
    region: str
    kind: str
    role: str  # root, FIN/CIV/…, school, town, village


@dataclass
class County:
    index: int
    code: str  # 6-digit region code
    name: str
    orgs: list[Org] = field(default_factory=list)

    def org(self, role: str) -> Org:
        return next(o for o in self.orgs if o.role == role)

    @property
    def towns(self) -> list[Org]:
        return [o for o in self.orgs if o.role == "town"]

    @property
    def villages(self) -> list[Org]:
        return [o for o in self.orgs if o.role == "village"]

    @property
    def departments(self) -> list[Org]:
        codes = {code for code, _ in DEPARTMENTS}
        return [o for o in self.orgs if o.role in codes]

    @property
    def schools(self) -> list[Org]:
        return [o for o in self.orgs if o.role == "school"]

    def fund_code(self, program: str) -> str:
        return f"ZX{self.code}{PROGRAMS[program][0]}"

    @property
    def car_orgs(self) -> list[Org]:
        """The orgs that keep official cars (three each) and pay receptions."""
        return self.departments + self.towns

    def official_cars(self) -> list[tuple[str, str, str, int]]:
        """(plate, org code, model, tank litres) of the county's official cars."""
        cars = []
        for i, org in enumerate(self.car_orgs):
            for j, letter in enumerate("ABC"):
                model, tank = CAR_MODELS[(i * 3 + j) % len(CAR_MODELS)]
                cars.append((f"{self.index:02d}豫S{i:03d}{letter}", org.code, model, tank))
        return cars


def county_code(index: int) -> str:
    return f"{PROVINCE}{15 + index // 20:02d}{21 + index % 20:02d}"


def build_counties(count: int, first: tuple[str, str] | None = None) -> list[County]:
    """`count` counties; `first` (6-digit region code, name) makes the first one a given place."""
    counties = []
    for index in range(count):
        code = county_code(index)
        name = f"{['新', '光', '固', '商', '息', '淮', '潢', '罗'][index % 8]}{'山城川河阳平安'[index // 8 % 7]}县"
        if index == 0 and first is not None:
            code, name = first
        county = County(index, code, name)
        root = Org(
            f"{code}000",
            f"{county.name}人民政府",
            "" if count == 1 else "410000000",
            code,
            "党政机关",
            "root",
        )
        county.orgs.append(root)
        for role, name in DEPARTMENTS:
            county.orgs.append(
                Org(f"{code}{role}", f"{county.name}{name}", root.code, code, "党政机关", role)
            )
        for school in range(SCHOOLS_PER_COUNTY):
            name = (
                f"{county.name}第{school + 1}中学" if school < 4 else f"{county.name}人民医院{school - 3}院区"
            )
            county.orgs.append(Org(f"{code}S{school:02d}", name, f"{code}EDU", code, "事业单位", "school"))
        for town in range(TOWNS_PER_COUNTY):
            town_region = f"{code}{101 + town:03d}"
            town_name = f"{TOWN_NAMES[town % len(TOWN_NAMES)]}镇"
            county.orgs.append(
                Org(
                    f"{town_region}",
                    f"{county.name}{town_name}人民政府",
                    root.code,
                    town_region,
                    "党政机关",
                    "town",
                )
            )
            for village in range(VILLAGES_PER_TOWN):
                words = VILLAGE_WORDS
                village_name = f"{words[(town + village) % 20]}{words[(village * 7 + town) % 20]}村"
                county.orgs.append(
                    Org(
                        f"{town_region}{201 + village:03d}",
                        f"{town_name}{village_name}村民委员会",
                        town_region,
                        f"{town_region}{201 + village:03d}",
                        "村居",
                        "village",
                    )
                )
        counties.append(county)
    return counties


def standard_cents(program: str, region: str, period: str, override_town: str) -> int:
    """The max amount that applies (longest region prefix, latest period_from ≤ period)."""
    table = TOWN_OVERRIDE if program == "低保" and region.startswith(override_town) else PROGRAMS[program][2]
    return next(value for start, value in sorted(table.items(), reverse=True) if start <= period)


class NamePools:
    """Chinese names drawn from Faker zh_CN once; people are then sampled from the pools."""

    def __init__(self, seed: int) -> None:
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        self.surnames = np.array([fake.last_name() for _ in range(3000)])
        male = [fake.first_name_male() for _ in range(600)]
        female = [fake.first_name_female() for _ in range(600)]
        self.male = np.array(sorted({a + b for a in male[:40] for b in male[40:80]} | set(male)))
        self.female = np.array(sorted({a + b for a in female[:40] for b in female[40:80]} | set(female)))
        self.streets = np.array(sorted({fake.street_name() for _ in range(400)}))
        self.companies = np.array(sorted({fake.company_prefix() for _ in range(600)}))

    def names(self, rng: np.random.Generator, is_male: np.ndarray) -> np.ndarray:
        surnames = self.surnames[rng.integers(0, len(self.surnames), len(is_male))]
        given = np.where(
            is_male,
            self.male[rng.integers(0, len(self.male), len(is_male))],
            self.female[rng.integers(0, len(self.female), len(is_male))],
        )
        return np.char.add(surnames, given)


BIRTH_FIRST = dt.date(1925, 1, 1)


class IdAllocator:
    """Unique 公民身份号码: region + birth date + a sequence number per (region, date) + check digit.

    The sequence's last digit is odd for men and even for women, as GB 11643 says.
    """

    def __init__(self, counties: int) -> None:
        self.days = (dt.date(2025, 12, 31) - BIRTH_FIRST).days + 1
        self.used = np.zeros((counties, self.days, 2), dtype=np.int32)  # next free number per sex

    def allocate(
        self, county: np.ndarray, region_codes: np.ndarray, birth_days: np.ndarray, is_male: np.ndarray
    ) -> np.ndarray:
        """IDs for people given county index, 6-digit region (int), birth date (date32) and sex."""
        offset = birth_days.astype(np.int64) - day_number(BIRTH_FIRST)
        sex = is_male.astype(np.int64)
        key = (county.astype(np.int64) * self.days + offset) * 2 + sex
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        starts = np.r_[0, np.flatnonzero(np.diff(sorted_key)) + 1]
        rank_sorted = np.arange(len(key)) - np.repeat(starts, np.diff(np.r_[starts, len(key)]))
        rank = np.empty_like(rank_sorted)
        rank[order] = rank_sorted
        flat = self.used.reshape(-1)
        number = flat[key] + rank
        np.add.at(flat, key, 1)
        if number.max(initial=0) >= 500:
            raise OverflowError("too many people born on one day in one county")
        sequence = number * 2 + sex  # odd for men
        dates = (np.datetime64("1970-01-01") + birth_days.astype("timedelta64[D]")).astype("datetime64[D]")
        ymd = np.char.replace(dates.astype(str), "-", "").astype(np.int64)
        body = region_codes.astype(np.int64) * 10**11 + ymd * 1000 + sequence
        check = idcodes.person_id_check_digits(idcodes.digits_of(body, 17))
        return np.char.add(body.astype("U17"), check)


def uscc_numbers(region: str, serials: np.ndarray) -> np.ndarray:
    """统一社会信用代码 for companies: 91 + region + 9-character serial + check character."""
    body = np.int64(int("91" + region)) * 10**9 + serials.astype(np.int64)
    digits = idcodes.digits_of(body, 17)
    check = idcodes.uscc_check_digits(digits)
    return np.char.add(body.astype("U17"), check)
