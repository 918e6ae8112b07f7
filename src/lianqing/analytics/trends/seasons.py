"""Calendar facts the baseline needs: month numbers, days per month, the Spring Festival month.

The Spring Festival (正月初一) moves between late January and mid February, so a fixed
month-of-year effect cannot carry it: the model has a separate term for the month that
contains it. The lunar date comes from `lunardate` (a kept pure-Python lunar calendar).
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache

from lunardate import LunarDate


def month_number(day: dt.date) -> int:
    """Months since year 0: consecutive months differ by one."""
    return day.year * 12 + day.month - 1


def month_label(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def days_in_month(number: int) -> int:
    return calendar.monthrange(number // 12, number % 12 + 1)[1]


@cache
def spring_festival(year: int) -> dt.date:
    return LunarDate(year, 1, 1).to_solar_date()  # type: ignore[no-any-return]


def is_spring_festival_month(number: int) -> bool:
    festival = spring_festival(number // 12)
    return month_number(festival) == number
