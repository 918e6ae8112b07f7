"""Rest days and festival days (RULES.md shared definitions) from chinese_calendar.

The engine builds this small table once per scan, for the days the package's dated
records span, and registers it the same way on every backend as `calendar`:
day, day_no (days since 1970-01-01), is_rest, festival (holiday name or NULL).
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pyarrow as pa

from lianqing.analytics.contract import FESTIVAL_NAMES

# Festival windows and the 365-day windows reach this far past the data.
MARGIN = dt.timedelta(days=400)
EPOCH = dt.date(1970, 1, 1)

CALENDAR_SCHEMA = pa.schema(
    [("day", pa.date32()), ("day_no", pa.int64()), ("is_rest", pa.bool_()), ("festival", pa.string())]
)


def _day_facts(day: dt.date) -> tuple[bool, str | None]:
    try:
        is_rest = not chinese_calendar.is_workday(day)
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        # Outside the years chinese_calendar knows: weekends rest, no festival is known.
        return day.weekday() >= 5, None
    festival = name if is_holiday and name in FESTIVAL_NAMES else None
    return is_rest, festival


def calendar_table(first: dt.date | None, last: dt.date | None) -> pa.Table:
    """One row per day from `first` - MARGIN to `last` + MARGIN (empty when no dates)."""
    if first is None or last is None:
        return CALENDAR_SCHEMA.empty_table()
    start, end = first - MARGIN, last + MARGIN
    days, numbers, rests, festivals = [], [], [], []
    day = start
    while day <= end:
        is_rest, festival = _day_facts(day)
        days.append(day)
        numbers.append((day - EPOCH).days)
        rests.append(is_rest)
        festivals.append(festival)
        day += dt.timedelta(days=1)
    return pa.Table.from_arrays(
        [
            pa.array(days, pa.date32()),
            pa.array(numbers, pa.int64()),
            pa.array(rests),
            pa.array(festivals, pa.string()),
        ],
        schema=CALENDAR_SCHEMA,
    )
