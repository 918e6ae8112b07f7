"""The one door from the dossiers app to the resolver (mentions → cadres with score and reasons).

The web app calls `lianqing.analytics.resolve` (the same library `lianqing resolve` runs) when it
is installed; until then a small stand-in scorer answers the common cases (name or surname plus
title, unit abbreviations) so the screens and the workflow around it work. Everything in this
module speaks in plain values: the registry comes in as `RegistryEntry` rows, one per post.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

CONFIDENT = 0.8  # below this, or with a runner-up this close, the resolver abstains
CLOSE_MARGIN = 0.1
TITLES = (
    "局长",
    "书记",
    "主任",
    "镇长",
    "县长",
    "乡长",
    "站长",
    "所长",
    "科长",
    "部长",
    "主席",
    "校长",
    "院长",
    "队长",
)
UNIT_PREFIXES = ("县", "市", "区")


@dataclass(frozen=True)
class Mention:
    mention_id: str
    name: str
    org_text: str = ""
    position_text: str = ""


@dataclass(frozen=True)
class RegistryEntry:
    key: str  # the cadre's id in the app
    name: str
    unit_name: str
    position: str
    is_current: bool


@dataclass(frozen=True)
class Suggestion:
    mention_id: str
    key: str | None  # None: no confident match (abstained or nobody fits)
    score: float
    reasons: list[str] = field(default_factory=list)
    candidates: list[tuple[str, float]] = field(default_factory=list)


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _sound(text: str) -> str:
    try:
        from pypinyin import lazy_pinyin  # the resolver's dependency; optional for the stand-in
    except ImportError:
        return text
    return "".join(lazy_pinyin(text))


def _split_title(name: str, position_text: str) -> tuple[str, str]:
    for title in TITLES:
        if name.endswith(title) and len(name) > len(title):
            return name[: -len(title)], title
    return name, position_text


def _unit_fits(org_text: str, unit_name: str) -> bool:
    """卫健局 fits 县卫生健康局: the abbreviation's characters appear in order in the full name."""
    text = _plain(org_text).lstrip("".join(UNIT_PREFIXES))
    if not text:
        return False
    position = 0
    for char in text:
        position = unit_name.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


def _score(mention: Mention, entry: RegistryEntry) -> tuple[float, list[str]]:
    name, title = _split_title(_plain(mention.name), _plain(mention.position_text))
    reasons: list[str] = []
    if name == entry.name:
        score = 0.6
        reasons.append("姓名相同")
    elif len(name) == 1 and entry.name.startswith(name):
        score, _ = 0.35, reasons.append("姓氏相同")
    elif len(name) == 1 and _sound(name) == _sound(entry.name[:1]):
        score, _ = 0.3, reasons.append(f"姓氏同音（{name}/{entry.name[:1]}）")
    elif _sound(name) == _sound(entry.name):
        score, _ = 0.5, reasons.append("姓名同音")
    else:
        return 0.0, []
    if mention.org_text and _unit_fits(mention.org_text, entry.unit_name):
        score += 0.3
        reasons.append(f"单位相符（{_plain(mention.org_text)} = {entry.unit_name}）")
        if not entry.is_current:
            score -= 0.1
            reasons.append("已离开该单位")
    if title and title in entry.position:
        score += 0.2
        reasons.append(f"职务相符（{title} / {entry.position}）")
    return min(score, 1.0), reasons


def resolve_mentions(mentions: Sequence[Mention], registry: Sequence[RegistryEntry]) -> list[Suggestion]:
    """One suggestion per mention, in input order."""
    suggestions = []
    for mention in mentions:
        best: dict[str, tuple[float, list[str]]] = {}
        for entry in registry:
            score, reasons = _score(mention, entry)
            if score > best.get(entry.key, (0.0, []))[0]:
                best[entry.key] = (score, reasons)
        ranked = sorted(best.items(), key=lambda item: -item[1][0])[:5]
        candidates = [(key, round(score, 2)) for key, (score, _) in ranked]
        top = ranked[0] if ranked else None
        runner_up = ranked[1][1][0] if len(ranked) > 1 else 0.0
        if top and top[1][0] >= CONFIDENT and top[1][0] - runner_up >= CLOSE_MARGIN:
            suggestions.append(
                Suggestion(mention.mention_id, top[0], round(top[1][0], 2), top[1][1], candidates)
            )
        else:
            suggestions.append(
                Suggestion(mention.mention_id, None, round(top[1][0], 2) if top else 0.0, [], candidates)
            )
    return suggestions
