"""Full-text search that works for Chinese on SQLite and PostgreSQL alike: jieba segments the
text into terms (search mode, so 纪律处分 also yields 纪律 and 处分), stored one row per term with
an index; a query's terms must all be found."""

from __future__ import annotations

import re

import jieba

_WORD = re.compile(r"\w", re.UNICODE)
MAX_TERM = 64


def search_terms(text: str) -> set[str]:
    terms: set[str] = set()
    for token in jieba.cut_for_search(text or ""):
        token = token.strip().lower()
        if token and _WORD.search(token) and len(token) <= MAX_TERM:
            terms.add(token)
    # Single Chinese characters are kept too, so a one-character query finds something.
    terms.update(char for char in (text or "") if "\u4e00" <= char <= "\u9fff")
    return terms


def query_terms(query: str) -> list[str]:
    """The terms of a query; for Chinese, the longest jieba pieces (not the sub-pieces)."""
    terms: list[str] = []
    for token in jieba.cut(query or ""):
        token = token.strip().lower()
        if token and _WORD.search(token) and len(token) <= MAX_TERM and token not in terms:
            terms.append(token)
    return terms[:10]
