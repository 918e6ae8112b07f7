"""Task dates from a duty's rule and the project's one calendar (`lianqing.analytics.workdays`).

A deadline falling on a rest day moves to the next working day, and the task keeps the original
date to say so. Yellow starts `warning_days` working days before the deadline; a task still owed
`lock_grace_days` working days after it locks.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from lianqing.analytics.workdays import add_working_days, is_working_day

from .models import DutyItem, Frequency


@dataclass(frozen=True)
class Occurrence:
    period: int  # month 1–12, quarter 1–4, 0 for the year
    deadline: dt.date
    moved_from: dt.date | None
    warn_on: dt.date
    lock_on: dt.date


def _month_day(year: int, month: int, day: int) -> dt.date:
    while month > 12:
        year, month = year + 1, month - 12
    return dt.date(year, month, min(max(day, 1), month_calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=4096)
def working_deadline(nominal: dt.date) -> tuple[dt.date, dt.date | None]:
    """The deadline on a working day, and the nominal date when it had to move."""
    day = nominal
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day, (nominal if day != nominal else None)


@lru_cache(maxsize=8192)
def working_days_before(day: dt.date, count: int) -> dt.date:
    """The working day `count` working days before `day` (`day` itself when count is 0)."""
    remaining = count
    while remaining > 0:
        day -= dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


@lru_cache(maxsize=8192)
def working_days_after(day: dt.date, count: int) -> dt.date:
    return add_working_days(day, count)


def _periods(item: DutyItem) -> list[tuple[int, int]]:
    """(period number, the period's last month)."""
    if item.frequency == Frequency.MONTHLY:
        return [(month, month) for month in range(1, 13)]
    if item.frequency == Frequency.QUARTERLY:
        return [(quarter, quarter * 3) for quarter in range(1, 5)]
    if item.frequency == Frequency.ONCE:
        return [(0, min(max(item.once_month, 1), 12))]
    return [(0, 12)]


def occurrences(item: DutyItem, year: int, *, warning_days: int, lock_grace_days: int) -> list[Occurrence]:
    result = []
    for period, last_month in _periods(item):
        nominal = _month_day(year, last_month + item.due_month_offset, item.due_day)
        deadline, moved_from = working_deadline(nominal)
        result.append(
            Occurrence(
                period=period,
                deadline=deadline,
                moved_from=moved_from,
                warn_on=working_days_before(deadline, warning_days),
                lock_on=working_days_after(deadline, lock_grace_days),
            )
        )
    return result
