"""Chinese text as people write it: full-width forms, traditional characters, pinyin, look-alikes.

Everything here is deterministic and offline: OpenCC's dictionaries (t2s) as shipped in
opencc-python-reimplemented, pypinyin's bundled readings, and the look-alike and title tables
shipped in data/.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

from opencc import OpenCC
from pypinyin import Style, lazy_pinyin

# 复姓 (two-character surnames) that appear in registries; checked before single characters.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "百里",
        "呼延",
        "赫连",
        "澹台",
        "公冶",
        "宗政",
        "濮阳",
        "太史",
        "申屠",
        "闻人",
        "万俟",
    ]
)
# surnames read differently from the character's everyday reading; a pinyin mention uses these
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "仇": "qiu",
    "区": "ou",
    "解": "xie",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "缪": "miao",
    "尉": "yu",
    "覃": "qin",
    "翟": "zhai",
    "员": "yun",
    "乐": "yue",
    "召": "shao",
    "万俟": "moqi",
}
_DROP = re.compile(r"[\s·•・．.,，、'\"“”‘’()（）\[\]【】<>《》_\-—/:：;；!！?？]+")
_ASCII_LETTERS = re.compile(r"^[a-z]+$")
_HAN = re.compile(r"^[\u3400-\u9fff\U00020000-\U0002ffff]+$")
_PREFIXES = ("老", "小")  # 老王, 小李: a surname called familiarly


def _data_lines(name: str) -> list[str]:
    text = (
        resources.files("lianqing.analytics.resolve")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def _converter() -> OpenCC:
    return OpenCC("t2s")


@cache
def simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC t2s), full-width to half-width (NFKC)."""
    return str(_converter().convert(unicodedata.normalize("NFKC", text)))


def clean(text: str | None) -> str:
    """Simplified, half-width, no spaces or punctuation, letters lower-cased."""
    if not text:
        return ""
    return _DROP.sub("", simplified(text)).lower()


@cache
def char_pinyin(char: str) -> str:
    reading = lazy_pinyin(char, style=Style.NORMAL, errors="default")
    return "".join(reading).lower().replace("ü", "v")


@cache
def lookalikes() -> dict[str, frozenset[str]]:
    """Character -> the characters that look like it (data/lookalike.txt)."""
    groups: dict[str, set[str]] = {}
    for line in _data_lines("lookalike.txt"):
        chars = [simplified(c) for c in line.split()]
        for char in chars:
            groups.setdefault(char, set()).update(c for c in chars if c != char)
    return {char: frozenset(others) for char, others in groups.items()}


def is_lookalike(a: str, b: str) -> bool:
    return b in lookalikes().get(a, frozenset())


@cache
def titles() -> tuple[str, ...]:
    """Titles people are called by, longest first (data/titles.txt)."""
    return tuple(sorted(set(_data_lines("titles.txt")), key=len, reverse=True))


@dataclass(frozen=True)
class PersonName:
    """A written name split into what the resolver compares."""

    raw: str
    text: str  # cleaned: simplified, half-width, no spaces; the Chinese characters of the name
    surname: str
    given: str
    title: str = ""  # 局长 in 王局长
    is_pinyin: bool = False  # typed as pinyin letters (text is then the letters)

    @property
    def is_surname_only(self) -> bool:
        return bool(self.surname) and not self.given and not self.is_pinyin

    @cached_property
    def surname_pinyin(self) -> str:
        return surname_pinyin(self.surname)

    @cached_property
    def given_pinyin(self) -> tuple[str, ...]:
        return tuple(char_pinyin(c) for c in self.given)

    @cached_property
    def pinyin(self) -> str:
        """Toneless pinyin of the whole name, no spaces (the letters themselves for pinyin input)."""
        if self.is_pinyin:
            return self.text
        return self.surname_pinyin + "".join(self.given_pinyin)


@cache
def surname_pinyin(surname: str) -> str:
    if surname in SURNAME_READINGS:
        return SURNAME_READINGS[surname]
    return "".join(SURNAME_READINGS.get(c) or char_pinyin(c) for c in surname)


def split_surname(name: str) -> tuple[str, str]:
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def split_title(text: str) -> tuple[str, str]:
    """("王局长") -> ("王", "局长"); a 副 before the title belongs to the title."""
    for title in titles():
        if text.endswith(title) and len(text) > len(title):
            head = text[: -len(title)]
            if head.endswith("副") and len(head) > 1:
                return head[:-1], "副" + title
            return head, title
    return text, ""


def parse_name(raw: str | None, position_text: str | None = None) -> PersonName:
    """Split a mention's name into surname, given name and a title written with it."""
    text = clean(raw)
    if not text:
        return PersonName(raw or "", "", "", "")
    if _ASCII_LETTERS.match(text):
        return PersonName(raw or "", text, "", "", is_pinyin=True)
    head, title = split_title(text)
    if title and head.startswith(_PREFIXES) and len(head) == 2:
        head = head[1:]
    if not title and text.startswith(_PREFIXES) and len(text) == 2:  # 老王, 小李
        return PersonName(raw or "", text[1:], text[1:], "")
    if title and (len(head) == 1 or head in COMPOUND_SURNAMES):
        return PersonName(raw or "", head, head, "", title=title)
    if title and len(head) >= 2:
        text = head
    surname, given = split_surname(text)
    return PersonName(raw or "", text, surname, given, title=title)


def registry_name(raw: str) -> PersonName:
    """A registry name: cleaned and split, never read as a title or as pinyin."""
    text = clean(raw)
    surname, given = split_surname(text)
    return PersonName(raw, text, surname, given)


def title_of(position_text: str | None) -> str:
    """The title in a mention's position text (站长 in 东岭镇站长), or the cleaned text itself."""
    text = clean(position_text)
    if not text:
        return ""
    for title in titles():
        if text.endswith(title):
            return "副" + title if text[: -len(title)].endswith("副") else title
    return text


def title_fits(title: str, position: str) -> bool:
    """局长 fits 局长, 副局长 and 党组书记兼局长; 副局长 fits only a 副局长."""
    if not title or not position:
        return False
    if title.startswith("副"):
        return title in position
    return title in position or position in title


def is_han(text: str) -> bool:
    return bool(_HAN.match(text))
