"""The Chinese official calendar in one place: working days, rest days, festivals, 调休.

Every part of Lianqing that counts days asks here: the engine's `calendar` table (rules F01–F08),
the evidence calendars of the leads pages and the case deadlines (N working days). The facts come
from chinese_calendar, which knows a fixed range of years (`known_years()`). A day outside that
range is never guessed silently: `strict` calls raise `UnknownYearError`; the others fall back to
Monday–Friday (no festival), emit an `UnknownYearWarning` and report the year in `unknown_years`.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from chinese_calendar import constants

from lianqing.analytics.contract import FESTIVAL_NAMES
from lianqing.analytics.errors import AnalyticsError

logger = logging.getLogger(__name__)


class UnknownYearError(AnalyticsError):
    """A day in a year the official holiday calendar does not cover."""


class UnknownYearWarning(UserWarning):
    """A working-day answer for an uncovered year, computed as Monday–Friday."""


@dataclass(frozen=True)
class DayFacts:
    day: dt.date
    is_rest: bool  # weekend or holiday, and not a 调休 make-up working day
    holiday: str | None  # chinese_calendar's English holiday name on holidays, else None
    holiday_chinese: str | None  # the same in Chinese (春节, 国庆节 …)
    is_known: bool  # False: the year is outside the calendar's data, facts are Monday–Friday

    @property
    def festival(self) -> str | None:
        """The holiday when it is one of the festivals the rules look at (contract.FESTIVAL_NAMES)."""
        return self.holiday if self.holiday in FESTIVAL_NAMES else None


@lru_cache(maxsize=1)
def known_years() -> range:
    years = [day.year for day in constants.holidays]
    return range(min(years), max(years) + 1)


def is_known_year(year: int) -> bool:
    return year in known_years()


def _unknown(day: dt.date, strict: bool) -> None:
    years = known_years()
    message = (
        f"日历数据只覆盖 {years.start}–{years.stop - 1} 年，{day.year} 年的节假日与调休未知，"
        "已按周一至周五为工作日计算"
    )
    if strict:
        raise UnknownYearError(
            f"日历数据只覆盖 {years.start}–{years.stop - 1} 年，无法确定 {day.isoformat()} 是否为工作日"
        )
    _warn_once(day.year, message)


@lru_cache(maxsize=64)
def _warn_once(year: int, message: str) -> None:
    logger.warning(message)
    warnings.warn(message, UnknownYearWarning, stacklevel=4)


def day_facts(day: dt.date, *, strict: bool = False) -> DayFacts:
    if not is_known_year(day.year):
        _unknown(day, strict)
        return DayFacts(day, day.weekday() >= 5, None, None, is_known=False)
    return _known_day_facts(day)


@lru_cache(maxsize=8192)  # the calendar's data never changes in a running process
def _known_day_facts(day: dt.date) -> DayFacts:
    is_rest = not chinese_calendar.is_workday(day)
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    holiday = name if on_holiday and name else None
    chinese = chinese_calendar.Holiday(holiday).chinese if holiday else None
    return DayFacts(day, is_rest, holiday, chinese, is_known=True)


def days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every day from `start` to `end`, both included."""
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def unknown_years(start: dt.date, end: dt.date) -> list[int]:
    """The years in [start, end] outside the calendar's data."""
    return [year for year in range(start.year, end.year + 1) if not is_known_year(year)]


def is_working_day(day: dt.date, *, strict: bool = False) -> bool:
    return not day_facts(day, strict=strict).is_rest


def add_working_days(start: dt.date, count: int, *, strict: bool = False) -> dt.date:
    """The `count`-th working day after `start` (`start` itself does not count); 调休 days work."""
    day = start
    remaining = count
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, strict=strict):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, *, strict: bool = False) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start, strict=strict)
    return sum(1 for day in days(start + dt.timedelta(days=1), end) if is_working_day(day, strict=strict))


def rest_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [day for day in days(start, end) if day_facts(day).is_rest]


def holidays(start: dt.date, end: dt.date) -> list[DayFacts]:
    """The official holidays in [start, end] (every festival day of each holiday window)."""
    return [facts for facts in map(day_facts, days(start, end)) if facts.holiday]


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day `months` later, clamped to the month's end (31 Nov → 30 Nov)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, month_calendar.monthrange(year, month)[1]))
