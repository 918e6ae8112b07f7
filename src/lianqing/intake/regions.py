"""行政区划 (GB/T 2260) for the region cascade, read from python-stdnum's `cn/loc.dat`.

That file lists every county code since 1980 with its years of validity (`[1983-2001]名称`);
only codes still in force are offered. Codes: PP0000 province, PPCC00 city, PPCCDD county.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_ENTRY = re.compile(r'^\s+(\d{4}) county="(?:\[(\d{4})?-(\d{4})?\])?(.+)"$')
_PROVINCE = re.compile(r'^(\d{2}) province="(.+)"$')
_CITY_DISTRICTS = "市辖区"  # GB/T 2260's placeholder for "the districts of this city", not a place to pick


@dataclass(frozen=True)
class Region:
    code: str  # 6 digits
    name: str


@dataclass(frozen=True)
class RegionTable:
    provinces: tuple[Region, ...]
    cities: dict[str, tuple[Region, ...]]  # province code -> cities
    counties: dict[str, tuple[Region, ...]]  # city code -> counties
    names: dict[str, str]  # any code -> name


@cache
def region_table() -> RegionTable:
    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    provinces: list[Region] = []
    cities: dict[str, list[Region]] = {}
    counties: dict[str, list[Region]] = {}
    names: dict[str, str] = {}
    province = ""
    for line in text.splitlines():
        if match := _PROVINCE.match(line):
            province = match.group(1)
            continue
        match = _ENTRY.match(line)
        if not match or not province:
            continue
        rest, _since, until, name = match.groups()
        if until:  # abolished
            continue
        code = province + rest
        if rest == "0000":
            provinces.append(Region(code, name))
        elif rest.endswith("00"):
            cities.setdefault(province + "0000", []).append(Region(code, name))
        elif name != _CITY_DISTRICTS:
            counties.setdefault(code[:4] + "00", []).append(Region(code, name))
        else:
            continue
        names[code] = name
    return RegionTable(
        provinces=tuple(provinces),
        cities={key: tuple(value) for key, value in cities.items()},
        counties={key: tuple(value) for key, value in counties.items()},
        names=names,
    )


def region_provinces() -> tuple[Region, ...]:
    return region_table().provinces


def region_children(code: str) -> tuple[Region, ...]:
    """Cities of a province code, or counties of a city code; empty for anything else."""
    table = region_table()
    if code.endswith("0000"):
        return table.cities.get(code, ())
    if code.endswith("00"):
        return table.counties.get(code, ())
    return ()


def region_name(code: str) -> str:
    """Full name, province first: 山东省 济南市 平阴县. Empty for an unknown code."""
    table = region_table()
    if code not in table.names:
        return ""
    parts = [code[:2] + "0000", code[:4] + "00", code]
    seen: list[str] = []
    for part in parts:
        name = table.names.get(part)
        if name and name not in seen:
            seen.append(name)
    return " ".join(seen)


def region_is_known(code: str) -> bool:
    return code in region_table().names
