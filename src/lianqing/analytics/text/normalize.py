"""Text clean-up shared by the classifier, the extractors and the duplicate finder."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache

from opencc import OpenCC

MAX_CHARS = 20_000  # a report longer than this is read from its first part
_TAGS = re.compile(r"<[^>]{0,200}>")
_SPACE = re.compile(r"\s+")


@cache
def _converter(config: str) -> OpenCC:
    return OpenCC(config)


def to_simplified(text: str) -> str:
    try:
        # GB 2312 holds simplified characters only: text it can encode needs no conversion.
        text.encode("gb2312")
    except UnicodeEncodeError:
        return _converter("t2s").convert(text)  # type: ignore[no-any-return]
    return text


def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text)  # type: ignore[no-any-return]


def clean(text: str) -> str:
    """NFKC (full-width forms), HTML tags and entities out, spaces folded; at most MAX_CHARS."""
    text = html.unescape(_TAGS.sub(" ", text[: MAX_CHARS * 2]))
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return _SPACE.sub(" ", text).strip()[:MAX_CHARS]


def readable(text: str) -> bool:
    """False for empty text or text that is mostly not letters (binary, symbols, emoji only)."""
    if not text:
        return False
    letters = sum(1 for ch in text if ch.isalnum())
    return letters >= 2 and letters / len(text) >= 0.3
