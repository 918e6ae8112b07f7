"""Unit names as people write them: abbreviations, former names, the county left out.

Both sides are rewritten to a canonical form first (data/unit_aliases.txt: 卫健局 → 卫生健康局,
国土局 → 自然资源局, 中共城关镇委员会 → 城关镇党委, … ). A mention's unit then fits a registry
unit when the canonical texts are equal or the unit's name ends with it (县民政局 fits
青山县民政局: the county is left out), partly when one contains the other (东岭镇 in
东岭镇农业综合服务中心) or the characters are mostly the same (a typo).
"""

from __future__ import annotations

import re
from enum import IntEnum
from functools import cache

from lianqing.analytics.resolve.text import _data_lines, clean

_PARTY = re.compile(r"^(?:中国共产党|中共)(.+?)委员会")
_LEVEL_COMMITTEE = re.compile(r"([镇乡县区市])委员会$")
# a county, district or town name leading a unit text: two characters and the level
_LEADING_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,4}?(?:县|镇|乡|区|市|街道)")
SIMILAR_ENOUGH = 0.75  # share of the characters in common for "mostly the same characters"


class UnitFit(IntEnum):
    NONE = 0
    SIMILAR = 1  # most characters the same (a typo or a word dropped)
    PART = 2  # one contains the other: a town for a unit of that town
    SAME = 3  # the same unit, maybe without its county


@cache
def _aliases() -> tuple[re.Pattern[str], dict[str, str]]:
    mapping: dict[str, str] = {}
    for line in _data_lines("unit_aliases.txt"):
        canonical, _, aliases = line.partition("=")
        canonical = clean(canonical)
        mapping[canonical] = canonical
        for alias in aliases.split("、"):
            if clean(alias):
                mapping.setdefault(clean(alias), canonical)
    alternatives = sorted(mapping, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in alternatives)), mapping


@cache
def canonical_unit(text: str | None) -> str:
    """卫健局 → 卫生健康局, 中共城关镇委员会 → 城关镇党委; simplified, no spaces."""
    value = clean(text)
    if not value:
        return ""
    value = _PARTY.sub(r"\1党委", value)
    value = _LEVEL_COMMITTEE.sub(r"\1党委", value)
    pattern, mapping = _aliases()
    return pattern.sub(lambda match: mapping[match.group(0)], value)


def similarity(mention_unit: str, registry_unit: str) -> float:
    """Share of the mention's characters found in the registry unit's name (民证局 ~ 民政局: 2/3)."""
    if not mention_unit or not registry_unit:
        return 0.0
    pool = list(registry_unit)
    found = 0
    for char in mention_unit:
        if char in pool:
            pool.remove(char)
            found += 1
    return found / len(mention_unit)


def unit_fit(mention_unit: str, registry_unit: str) -> UnitFit:
    """How a mention's canonical unit text fits a registry unit's canonical name."""
    if not mention_unit or not registry_unit:
        return UnitFit.NONE
    if mention_unit == registry_unit or (len(mention_unit) >= 2 and registry_unit.endswith(mention_unit)):
        return UnitFit.SAME
    if len(mention_unit) >= 2 and (mention_unit in registry_unit or registry_unit in mention_unit):
        return UnitFit.PART
    place = _LEADING_PLACE.match(mention_unit)
    if place and place.group(0) not in registry_unit:
        return UnitFit.NONE  # 金江县城市管理局 is not 松泽县城市管理局, however alike the rest
    if len(mention_unit) >= 3 and similarity(mention_unit, registry_unit) >= SIMILAR_ENOUGH:
        return UnitFit.SIMILAR
    return UnitFit.NONE


PLACE_ENDINGS = ("街道", "社区", "省", "市", "县", "区", "镇", "乡", "村")


def places(canonical: str) -> list[str]:
    """The place names inside a canonical unit name (青山县, 东岭镇, 青山县东岭镇 …), 2–8 characters."""
    found: list[str] = []
    for end in range(2, len(canonical) + 1):
        if canonical[:end].endswith(PLACE_ENDINGS):
            found.extend(canonical[start:end] for start in range(max(0, end - 8), end - 1))
    return found
