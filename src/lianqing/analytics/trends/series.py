"""Events → the monthly count of every series, and its busiest short window each month.

A series is (unit_code, category, region_code) for events that name a unit, and
('', category, region_code) — the region-level series — for every event with a region.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa


@dataclass(frozen=True)
class Series:
    keys: list[tuple[str, str, str]]  # (unit_code, category, region_code) per row
    categories: list[str]
    category_of: np.ndarray  # (series,) index into categories
    first_month: int  # calendar month number of column 0
    counts: np.ndarray  # (series, months) events per month
    busiest: np.ndarray  # (series, months) most events in any `window_days` days ending that month
    is_unit: np.ndarray  # (series,) True for unit-level series

    @property
    def months(self) -> np.ndarray:
        return self.first_month + np.arange(self.counts.shape[1])


# Events are first counted per unit series and day (far fewer rows than events); the region series
# are sums of those counts, and everything else is computed from the daily counts. The series are
# numbered on their few distinct keys, not by a window over every daily row (a province's daily
# rows are millions: numbering them by a sort on three strings was most of the time).
_DAILY_SQL = """
CREATE TEMP TABLE grouped AS
SELECT unit_code, category, region_code, day, count(*) AS n FROM events GROUP BY ALL;
CREATE TEMP TABLE counted AS
SELECT unit_code, category, region_code, day, n FROM grouped WHERE unit_code <> ''
UNION ALL
SELECT '' AS unit_code, category, region_code, day, sum(n) AS n FROM grouped WHERE region_code <> ''
GROUP BY category, region_code, day;
CREATE TEMP TABLE series_keys AS
SELECT row_number() OVER (ORDER BY unit_code, category, region_code) - 1 AS series_no,
       unit_code, category, region_code
FROM (SELECT DISTINCT unit_code, category, region_code FROM counted);
CREATE TEMP TABLE daily AS
SELECT k.series_no, year(c.day) * 12 + month(c.day) - 1 AS month_no,
       c.day - DATE '1970-01-01' AS day_no, c.n
FROM counted c JOIN series_keys k USING (unit_code, category, region_code);
"""

_SERIES_SQL = "SELECT series_no, unit_code, category, region_code FROM series_keys ORDER BY series_no"

_COUNTS_SQL = "SELECT series_no, month_no, sum(n) AS n FROM daily GROUP BY ALL"

# The sum over each `window` days ending on a day with events; the largest per month.
_BUSIEST_SQL = """
SELECT series_no, month_no, max(n) AS n FROM (
  SELECT series_no, month_no,
         sum(n) OVER (PARTITION BY series_no ORDER BY day_no
                      RANGE BETWEEN $reach PRECEDING AND CURRENT ROW) AS n
  FROM daily
) GROUP BY ALL
"""


def build_series(events: pa.Table, *, last_month: int, window_days: int) -> Series:
    connection = duckdb.connect()
    try:
        connection.register("events", events)
        connection.execute(_DAILY_SQL)
        keys = [
            (unit, category, region)
            for _, unit, category, region in connection.execute(_SERIES_SQL).fetchall()
        ]
        first = connection.execute("SELECT min(month_no) FROM daily").fetchone()
        first_month = int(first[0]) if first and first[0] is not None else last_month
        month_count = max(last_month - first_month + 1, 0)
        counts = _dense(connection.execute(_COUNTS_SQL).fetchnumpy(), len(keys), first_month, month_count)
        busiest = _dense(
            connection.execute(_BUSIEST_SQL, {"reach": window_days - 1}).fetchnumpy(),
            len(keys),
            first_month,
            month_count,
        )
    finally:
        connection.close()
    categories = sorted({category for _, category, _ in keys})
    index = {category: number for number, category in enumerate(categories)}
    return Series(
        keys=keys,
        categories=categories,
        category_of=np.array([index[category] for _, category, _ in keys], dtype=np.int64),
        first_month=first_month,
        counts=counts,
        busiest=busiest,
        is_unit=np.array([bool(unit) for unit, _, _ in keys], dtype=bool),
    )


def _dense(long: dict[str, np.ndarray], rows: int, first_month: int, months: int) -> np.ndarray:
    matrix = np.zeros((rows, months), dtype=np.int64)
    if rows and months and len(long["series_no"]):
        columns = long["month_no"].astype(np.int64) - first_month
        keep = (columns >= 0) & (columns < months)
        matrix[long["series_no"].astype(np.int64)[keep], columns[keep]] = long["n"].astype(np.int64)[keep]
    return matrix
