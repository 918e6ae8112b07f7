"""What else a report says besides its category: people with their titles and units (for the
registry resolver), places, dates, and the readable priority points.

Everything here returns plain values and codes; the app words them for its readers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lianqing.analytics.text.normalize import to_simplified
from lianqing.analytics.text.persons import SURNAMES, TITLE_WORDS, persons

_TITLES = "|".join(sorted(TITLE_WORDS, key=len, reverse=True))
_UNIT = re.compile(
    r"([\u4e00-\u9fff]{1,8}?(?:卫健局|局|委员会|委|办公室|办|法院|检察院|医院|院|所|站|镇政府|镇|乡|街道|村委会|村|社区|中心|公司|学校|中学|小学))"
)
_LEADING_NOISE = "在到去是的了和与从于往向给把被我们他她它这那有个说叫让对就都也还又举报反映"
_SURNAME_TITLE = re.compile(rf"([{''.join(sorted(SURNAMES))}])(?:{_TITLES})")
_PLACE = re.compile(r"([\u4e00-\u9fff]{1,4}?(?:镇|乡|街道|村|庄|屯|寨|社区|县城))")
_DATE = re.compile(
    r"(\d{4}年\d{1,2}月(?:\d{1,2}[日号])?|\d{1,2}月\d{1,2}[日号]|\d{4}年|"
    r"[一二三四五六七八九十]{1,3}月(?:份)?|(?:去年|今年|前年|上个?月|本月|这个月|最近|近期|前几天|上周|上星期)|"
    r"(?:春节|中秋|端午|国庆|元旦|清明|五一|过年)(?:前|后|期间|前后)?)"
)
_ONGOING = ("至今", "仍在", "还在", "一直", "每月", "每年", "长期", "多年", "到现在", "持续")
LEADER_TITLES = (
    "局长",
    "书记",
    "镇长",
    "乡长",
    "县长",
    "主任",
    "院长",
    "校长",
    "处长",
    "部长",
    "主席",
    "董事长",
)
LARGE_AMOUNT, VERY_LARGE_AMOUNT = 10_000.0, 100_000.0


@dataclass(frozen=True)
class TextMention:
    """A person as the text names them: "汪建国" or "汪局长", with the unit and title nearby."""

    name: str
    org_text: str = ""
    position_text: str = ""


_NOISE = re.compile(f"[{_LEADING_NOISE}]")


def _strip_noise(word: str) -> str:
    """The part after the last function word: "梅在西河乡" → "西河乡"."""
    return _NOISE.split(word)[-1]


def _unit_before(text: str, end: int) -> str:
    """The unit written just before `end`; adjacent parts are one unit (城关镇 + 党委)."""
    window = text[max(0, end - 14) : end]
    units: list[tuple[int, str]] = []
    for match in _UNIT.finditer(window):
        if units and units[-1][0] == match.start():
            units[-1] = (match.end(), units[-1][1] + match.group(1))
        else:
            units.append((match.end(), match.group(1)))
    found = [_strip_noise(unit) for end_at, unit in units if end_at >= len(window) - 1]
    return found[-1] if found and len(found[-1]) >= 2 else ""


def _title_after(text: str, start: int) -> str:
    match = re.match(rf"(?:{_TITLES})", text[start : start + 4])
    return match.group(0) if match else ""


def mentions(text: str) -> list[TextMention]:
    """Each person once, in order of first mention: full names, and surname + title where the
    text never gives the full name (汪局长)."""
    simplified = to_simplified(text)
    found: list[TextMention] = []
    spans: list[tuple[int, int]] = []
    for name in persons(text, simplified):
        plain = to_simplified(name)
        at = simplified.find(plain)
        if at < 0:
            found.append(TextMention(name=name))
            continue
        title, unit_end = _title_after(simplified, at + len(plain)), at
        if not title:  # 局长汪建国
            before = simplified[max(0, at - 4) : at]
            title = next((t for t in sorted(TITLE_WORDS, key=len, reverse=True) if before.endswith(t)), "")
            unit_end = at - len(title)
        found.append(TextMention(name=name, org_text=_unit_before(simplified, unit_end), position_text=title))
        spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(plain), simplified))
    named = {mention.name for mention in found}
    for match in _SURNAME_TITLE.finditer(simplified):
        start = match.start()
        title = match.group(0)[1:]
        same_person = any(
            to_simplified(m.name)[0] == match.group(1) and m.position_text == title for m in found
        )
        if any(begin <= start < end for begin, end in spans) or match.group(0) in named or same_person:
            continue
        named.add(match.group(0))
        found.append(
            TextMention(name=match.group(0), org_text=_unit_before(simplified, start), position_text=title)
        )
    return found


def places(text: str) -> list[str]:
    simplified = to_simplified(text)
    found: list[str] = []
    for match in _PLACE.finditer(simplified):
        place = _strip_noise(match.group(1))
        if len(place) >= 2 and place not in found:
            found.append(place)
    return found


def dates(text: str) -> list[str]:
    found: list[str] = []
    for match in _DATE.finditer(to_simplified(text)):
        if match.group(1) not in found:
            found.append(match.group(1))
    return found


@dataclass(frozen=True)
class PriorityPoint:
    code: str  # real_name, leader, large_amount, very_large_amount, ongoing, repeated
    points: int
    detail: str = ""  # the words or figure it rests on


def priority_points(
    text: str,
    *,
    is_reporter_named: bool,
    amount: float | None,
    titles: list[str],
    repeats: int,
) -> list[PriorityPoint]:
    """The reasons a report should be read early, each with its points; their sum is the priority."""
    points: list[PriorityPoint] = []
    if is_reporter_named:
        points.append(PriorityPoint("real_name", 2))
    leaders = [title for title in titles if any(title.endswith(t) for t in LEADER_TITLES)]
    if leaders:
        points.append(PriorityPoint("leader", 2, "、".join(dict.fromkeys(leaders))))
    if amount is not None and amount >= VERY_LARGE_AMOUNT:
        points.append(PriorityPoint("very_large_amount", 3, f"{amount:,.0f}"))
    elif amount is not None and amount >= LARGE_AMOUNT:
        points.append(PriorityPoint("large_amount", 1, f"{amount:,.0f}"))
    simplified = to_simplified(text)
    ongoing = [word for word in _ONGOING if word in simplified]
    if ongoing:
        points.append(PriorityPoint("ongoing", 1, "、".join(ongoing[:3])))
    if repeats:
        points.append(PriorityPoint("repeated", min(repeats, 3), str(repeats)))
    return points
