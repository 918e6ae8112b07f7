"""The sums of money a report mentions, however written: ¥3,000 / 3000元 / 三千元 / 3千块 / 1.2万 / 两万五."""

from __future__ import annotations

import re

import cn2an

_CHINESE_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_MULTIPLIER = {
    "十": 10,
    "百": 100,
    "千": 1_000,
    "k": 1_000,
    "K": 1_000,
    "万": 10_000,
    "w": 10_000,
    "W": 10_000,
    "亿": 100_000_000,
}
_NOT_MONEY = "人户名个次亩平米字斤吨公里年月日天号桌岁层间套辆份项家条"

_ARABIC = re.compile(
    r"(?P<currency>[¥￥])?\s*(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<decimal>\d+))?\s*"
    r"(?P<multiplier>[十百千万亿kKwW]{0,2})\s*(?P<approx>[多余])?\s*(?P<unit>元|块钱|块|圆)?"
)
_CHINESE = re.compile(
    rf"(?P<number>[{_CHINESE_DIGITS}]+)(?P<approx>[多余])?(?P<tail>[万千]?)(?P<unit>元|块钱|块|圆)?"
)


def _followed_by_non_money(text: str, end: int) -> bool:
    return end < len(text) and text[end] in _NOT_MONEY


def amounts(text: str) -> list[float]:
    found: list[float] = []
    for match in _ARABIC.finditer(text):
        currency, multiplier, unit = match["currency"], match["multiplier"], match["unit"]
        money = bool(
            currency or unit or ("万" in multiplier and not _followed_by_non_money(text, match.end()))
        )
        if not money or (match["approx"] and not (unit or multiplier)):
            continue
        value = float(match["number"].replace(",", "") + (f".{match['decimal']}" if match["decimal"] else ""))
        for mark in multiplier:
            value *= _MULTIPLIER[mark]
        found.append(value)
    for match in _CHINESE.finditer(text):
        number, tail, unit = match["number"], match["tail"], match["unit"]
        if not (unit or "万" in number or tail == "万") or _followed_by_non_money(text, match.end()):
            continue
        if set(number) <= set("十百千万亿"):
            continue
        parsed = _chinese_number(number + (tail if tail and not match["approx"] else ""))
        if parsed is None:
            continue
        found.append(parsed * _MULTIPLIER[tail] if match["approx"] and tail else parsed)
    return found


def _chinese_number(text: str) -> float | None:
    text = text.replace("两", "二").replace("〇", "零")
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def largest_amount(text: str) -> float | None:
    values = [value for value in amounts(text) if value > 0]
    return max(values) if values else None
