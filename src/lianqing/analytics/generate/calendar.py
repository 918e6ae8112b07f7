"""The generated package's time span and its calendar (rest days, festival windows).

Benefits and payroll run over 2024-01..2025-12, years chinese_calendar knows; the truth
assumes `as_of` = 2025-12-31 for rules C01 and M01.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import chinese_calendar
import numpy as np

from lianqing.analytics.contract import FESTIVAL_NAMES

FIRST_DAY = dt.date(2024, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
AS_OF = LAST_DAY
PERIODS: tuple[str, ...] = tuple(f"{year}-{month:02d}" for year in (2024, 2025) for month in range(1, 13))
EPOCH = dt.date(1970, 1, 1)
FESTIVAL_DAYS = 7  # RULES.md festival_days default


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (Arrow date32)."""
    return (day - EPOCH).days


def from_day_number(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(number))


def period_start(period: str) -> dt.date:
    year, month = period.split("-")
    return dt.date(int(year), int(month), 1)


@dataclass(frozen=True)
class Calendar:
    days: np.ndarray  # date32 day numbers of FIRST_DAY..LAST_DAY
    is_workday: np.ndarray  # bool per day
    in_festival_window: np.ndarray  # bool per day

    @property
    def workdays(self) -> np.ndarray:
        return self.days[self.is_workday]

    @property
    def rest_days(self) -> np.ndarray:
        return self.days[~self.is_workday]

    def workday(self, day: dt.date) -> bool:
        return bool(self.is_workday[day_number(day) - day_number(FIRST_DAY)])

    def festive(self, day: dt.date) -> bool:
        return bool(self.in_festival_window[day_number(day) - day_number(FIRST_DAY)])


@cache
def calendar() -> Calendar:
    count = (LAST_DAY - FIRST_DAY).days + 1
    dates = [FIRST_DAY + dt.timedelta(days=i) for i in range(count)]
    workday = np.array([chinese_calendar.is_workday(d) for d in dates])
    # festival days from a little before the span to a little after, then their ± windows
    festival = np.zeros(count, dtype=bool)
    scan_from, scan_to = (
        FIRST_DAY - dt.timedelta(days=FESTIVAL_DAYS),
        LAST_DAY + dt.timedelta(days=FESTIVAL_DAYS),
    )
    day = scan_from
    while day <= scan_to:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        if is_holiday and name in FESTIVAL_NAMES:
            low = max(0, (day - FIRST_DAY).days - FESTIVAL_DAYS)
            high = min(count - 1, (day - FIRST_DAY).days + FESTIVAL_DAYS)
            if high >= 0 and low < count:
                festival[low : high + 1] = True
        day += dt.timedelta(days=1)
    numbers = np.arange(day_number(FIRST_DAY), day_number(FIRST_DAY) + count, dtype=np.int32)
    return Calendar(numbers, workday, festival)
