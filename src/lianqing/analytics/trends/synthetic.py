"""Synthetic event histories with planted anomalies, for the trends tests and bench/trends.py.

Counts are gamma-Poisson (negative binomial) around a per-series mean with a shared seasonal
shape, a Spring Festival month lift and a slow upward drift. Planted, each on its own series:
sudden rises (×2, ×3, ×5 for 1–3 months), sustained trends (a ramp to ×2 or ×3 over three
months that stays), and bursts (5, 10 or 20 extra events inside five days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lianqing.analytics.trends.seasons import days_in_month, is_spring_festival_month, month_number

CATEGORIES = ("违规吃喝", "违规收送礼品礼金", "公车私用", "侵害群众利益", "滥用职权", "失职失责")
RISE_SIZES = (2, 3, 5)
RISE_MONTHS = (1, 2, 3)
TREND_SIZES = (2, 3)
BURST_SIZES = (5, 10, 20)


@dataclass(frozen=True)
class Planted:
    kind: str  # rise, trend, burst
    series: int  # row in History.keys
    start: int  # month index
    months: int  # how long it lasts (bursts: 1)
    size: float  # multiplier (rise, trend) or extra events (burst)


@dataclass(frozen=True)
class History:
    keys: list[tuple[str, str, str]]  # unit-level series (unit_code, category, region_code)
    first_month: int
    true_mean: np.ndarray  # (series, months) mean without the planted anomalies
    counts: np.ndarray  # (series, months) events, anomalies included
    planted: list[Planted]
    dispersion_size: float
    events: pa.Table  # event_id, date, unit_code, category, region_code (text)
    as_of: dt.date


def generate_history(
    *,
    units: int = 300,
    months: int = 36,
    first: dt.date = dt.date(2023, 1, 1),
    seed: int = 1,
    plant_per_size: int = 15,
    median_mean: float = 1.5,
    units_per_region: int = 10,
    size: float = 8.0,
) -> History:
    rng = np.random.default_rng(seed)
    first_month = month_number(first)
    month_numbers = first_month + np.arange(months)
    keys = [
        (f"U{unit:05d}", category, f"370124{unit // units_per_region:03d}")
        for unit in range(units)
        for category in CATEGORIES
    ]
    series = len(keys)
    unit_factor = np.repeat(rng.lognormal(0.0, 0.6, units), len(CATEGORIES))
    category_factor = np.tile(rng.lognormal(0.0, 0.4, len(CATEGORIES)), units)
    level = np.clip(median_mean * unit_factor * category_factor, 0.05, 30.0)
    season = 1.0 + 0.25 * np.cos(2 * np.pi * (month_numbers % 12 - 2) / 12)
    festival = np.array([1.5 if is_spring_festival_month(int(m)) else 1.0 for m in month_numbers])
    drift = 1.0 + 0.05 * np.arange(months) / 12
    true_mean = level[:, None] * (season * festival * drift)[None, :]
    multiplier = np.ones((series, months))
    extra = np.zeros((series, months), dtype=np.int64)
    planted: list[Planted] = []
    rows = iter(rng.permutation(series))
    earliest, latest = 14, months - 4
    for rise in RISE_SIZES:
        for length in RISE_MONTHS:
            for _ in range(plant_per_size):
                row, start = int(next(rows)), int(rng.integers(earliest, latest))
                multiplier[row, start : start + length] = rise
                planted.append(Planted("rise", row, start, length, rise))
    for trend in TREND_SIZES:
        for _ in range(plant_per_size * 2):
            row, start = int(next(rows)), int(rng.integers(earliest, latest - 2))
            ramp = 1 + (trend - 1) * np.minimum(np.arange(1, months - start + 1), 3) / 3
            multiplier[row, start:] = ramp
            planted.append(Planted("trend", row, start, months - start, trend))
    for burst in BURST_SIZES:
        for _ in range(plant_per_size):
            row, start = int(next(rows)), int(rng.integers(earliest, latest))
            extra[row, start] = burst
            planted.append(Planted("burst", row, start, 1, burst))
    gamma = rng.gamma(size, 1.0 / size, (series, months))
    counts = rng.poisson(true_mean * multiplier * gamma) + extra
    events = _events(rng, keys, counts, extra, month_numbers)
    last = month_numbers[-1]
    as_of = dt.date(int(last // 12), int(last % 12) + 1, days_in_month(int(last)))
    return History(keys, first_month, true_mean, counts, planted, size, events, as_of)


def _events(
    rng: np.random.Generator,
    keys: list[tuple[str, str, str]],
    counts: np.ndarray,
    extra: np.ndarray,
    month_numbers: np.ndarray,
) -> pa.Table:
    """One event per count, on a random day of its month; a burst's extra events inside five days."""
    rows, columns = np.nonzero(counts)
    repeats = counts[rows, columns]
    series_of = np.repeat(rows, repeats)
    month_of = np.repeat(columns, repeats)
    lengths = np.array([days_in_month(int(m)) for m in month_numbers])
    day = (rng.random(len(series_of)) * lengths[month_of]).astype(np.int64) + 1
    burst_rows, burst_columns = np.nonzero(extra)
    for row, column in zip(burst_rows, burst_columns, strict=True):
        # The last `extra` events of that series-month fall on five consecutive days.
        positions = np.flatnonzero((series_of == row) & (month_of == column))[-int(extra[row, column]) :]
        first_day = int(rng.integers(1, lengths[column] - 4))
        day[positions] = first_day + rng.integers(0, 5, len(positions))
    month_starts = (month_numbers[month_of] - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]")
    dates = pa.array(month_starts + (day - 1), pa.date32()).cast(pa.string())
    ids = pc.binary_join_element_wise(
        "E", pc.utf8_lpad(pa.array(np.arange(len(series_of))).cast(pa.string()), 9, "0"), ""
    )
    units, categories, regions = (list(column) for column in zip(*keys, strict=True))
    indices = pa.array(series_of.astype(np.int32))

    def text_column(values: list[str]) -> pa.Array:
        return pa.DictionaryArray.from_arrays(indices, pa.array(values)).cast(pa.string())

    return pa.table(
        {
            "event_id": ids,
            "date": dates,
            "unit_code": text_column(units),
            "category": text_column(categories),
            "region_code": text_column(regions),
        }
    )
