"""Rest days and festival days (RULES.md shared definitions) from `lianqing.analytics.workdays`.

The engine builds this small table once per scan, for the days the package's dated
records span, and registers it the same way on every backend as `calendar`:
day, day_no (days since 1970-01-01), is_rest, festival (holiday name or NULL).
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from lianqing.analytics.workdays import DayFacts, day_facts, days, is_known_year

# Festival windows and the 365-day windows reach this far past the data.
MARGIN = dt.timedelta(days=400)
EPOCH = dt.date(1970, 1, 1)

CALENDAR_SCHEMA = pa.schema(
    [("day", pa.date32()), ("day_no", pa.int64()), ("is_rest", pa.bool_()), ("festival", pa.string())]
)


def calendar_table(first: dt.date | None, last: dt.date | None) -> pa.Table:
    """One row per day from `first` - MARGIN to `last` + MARGIN (empty when no dates)."""
    if first is None or last is None:
        return CALENDAR_SCHEMA.empty_table()
    # The margin may reach years the calendar does not cover: only the records' own years warn.
    facts = [day_facts(day, strict=False) for day in days(first, last)]
    facts = [
        *(_quiet_facts(day) for day in days(first - MARGIN, first - dt.timedelta(days=1))),
        *facts,
        *(_quiet_facts(day) for day in days(last + dt.timedelta(days=1), last + MARGIN)),
    ]
    return pa.Table.from_arrays(
        [
            pa.array([f.day for f in facts], pa.date32()),
            pa.array([(f.day - EPOCH).days for f in facts], pa.int64()),
            pa.array([f.is_rest for f in facts]),
            pa.array([f.festival for f in facts], pa.string()),
        ],
        schema=CALENDAR_SCHEMA,
    )


def _quiet_facts(day: dt.date) -> DayFacts:
    """Facts of a margin day: Monday–Friday without a warning when its year is not covered."""
    if is_known_year(day.year):
        return day_facts(day)
    return DayFacts(day, day.weekday() >= 5, None, None, is_known=False)
