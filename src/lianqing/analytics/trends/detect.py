"""The month-by-month, prospective warning run over every series.

For each month the baseline is refitted from the months before it only, and three tests run:

- 苗头性 (sudden rise): the month's count against the negative binomial predictive distribution;
  flagged when P(Y ≥ observed) < `alpha_rise`. With one test per series-month, α bounds the false
  warnings per series-month directly (α = 0.0015 → about 1.5 per 1,000 series-months on normal
  data), however many thousands of series are tested: the budget is a rate the commission can
  afford to verify, not a family-wise error that would grow blind as series are added.
- 倾向性 (sustained rise): a negative binomial CUSUM per series (the log-likelihood ratio of a
  level `cusum_shift` times the baseline against the baseline, accumulated and floored at zero);
  flagged when it reaches `cusum_limit`. By Wald's bound the in-control run length is at least
  e^limit months (e^5 ≈ 148; far longer in practice), and it catches trends that no single month
  shows. The CUSUM restarts after any warning of the series.
- 集中 (concentration): the most events of the series in any `burst_days` consecutive days of the
  month against the baseline for that many days, the tail probability multiplied by the number of
  such windows in a month (a Bonferroni bound on the scan); flagged below `alpha_burst`.

Months flagged as sudden rises or concentrations are left out of later baselines.

A region's series holds its units' events too, so one unit's rise would also show as a rise of its
region: a copy that tells the leader nothing more and doubles the work of verifying it. A region
warning is therefore raised only when the region warrants it beyond the units that warned in the
same month and category: its sudden rise is retested on the rest of the region (its count and
expected count less those units'), and its trend or concentration is left to those units (its
CUSUM restarts with theirs). Events that name only a region, and rises spread over many units
none of which is unusual alone, still warn at region level.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from lianqing.analytics.trends.baseline import Expected, expected_counts, seasonal_shape
from lianqing.analytics.trends.seasons import days_in_month, month_label
from lianqing.analytics.trends.series import Series

RISE = "苗头性"
TREND = "倾向性"
BURST = "集中"


@dataclass(frozen=True)
class TrendParams:
    alpha_rise: float = 0.0015
    cusum_shift: float = 2.5
    cusum_limit: float = 5.0
    alpha_burst: float = 0.0002
    burst_days: int = 7
    min_observed: int = 3  # fewer events than this never make a warning
    min_burst: int = 5
    min_history: int = 12  # months of baseline before a series is judged
    max_history: int = 36
    guard: int = 1  # most recent months left out of the baseline


@dataclass(frozen=True)
class Warning:
    unit_code: str
    category: str
    region_code: str
    kind: str
    month: str
    observed: int
    expected: float
    score: float
    explanation: str
    band_low: float = 0.0  # the central 95% of the predictive distribution (the chart's band)
    band_high: float = 0.0


@dataclass
class Detection:
    warnings: list[Warning] = field(default_factory=list)
    months_judged: list[str] = field(default_factory=list)
    months_too_short: list[str] = field(default_factory=list)
    series_months: int = 0
    keys: list[tuple[str, str, str]] = field(default_factory=list)  # the series, as rows of the arrays
    first_month: int = 0  # calendar month number of column 0
    means: np.ndarray | None = None  # (series, months) expected count; NaN before a month was judged
    sizes: np.ndarray | None = None  # (series, months) negative binomial size of that expectation
    _rows: dict[tuple[str, str, str], int] | None = field(default=None, repr=False)

    def baseline(
        self, key: tuple[str, str, str], labels: list[str]
    ) -> list[tuple[float, float, float] | None]:
        """The expected count and its central 95% band of one series for each month label
        (YYYY-MM), None where the month was not judged: what the chart draws beside the counts."""
        if self._rows is None:
            self._rows = {k: n for n, k in enumerate(self.keys)}
        row = self._rows.get(key)
        if row is None or self.means is None or self.sizes is None:
            return [None] * len(labels)
        columns = np.array([int(label[:4]) * 12 + int(label[5:]) - 1 - self.first_month for label in labels])
        inside = (columns >= 0) & (columns < self.means.shape[1])
        means = np.full(len(labels), np.nan)
        sizes = np.ones(len(labels))
        means[inside] = self.means[row, columns[inside]]
        sizes[inside] = self.sizes[row, columns[inside]]
        judged = ~np.isnan(means)
        low = np.zeros(len(labels))
        high = np.zeros(len(labels))
        if judged.any():
            m, n = means[judged], sizes[judged]
            low[judged] = stats.nbinom.ppf(0.025, n, n / (n + m))
            high[judged] = stats.nbinom.ppf(0.975, n, n / (n + m))
        return [
            (float(means[k]), float(low[k]), float(high[k])) if judged[k] else None
            for k in range(len(labels))
        ]


def detect(series: Series, params: TrendParams, *, last_month_fraction: float = 1.0) -> Detection:
    counts = series.counts
    total_series, month_count = counts.shape
    result = Detection()
    if total_series == 0 or month_count == 0:
        return result
    months = series.months
    result.keys, result.first_month = series.keys, series.first_month
    result.means = np.full(counts.shape, np.nan)
    result.sizes = np.full(counts.shape, np.nan)
    region_of = _region_rows(series)
    unit_rows = series.is_unit if series.is_unit.any() else np.ones(total_series, dtype=bool)
    totals = np.zeros((len(series.categories), month_count), dtype=float)
    np.add.at(totals, series.category_of[unit_rows], counts[unit_rows])
    flagged = np.zeros_like(counts, dtype=bool)
    cusum = np.zeros(total_series)
    # A series exists from its first event on: before it, it takes no part in any month's model.
    first_event = np.where(counts.any(axis=1), np.argmax(counts > 0, axis=1), month_count)
    first_judged = params.min_history + params.guard
    for now in range(month_count):
        label = month_label(int(months[now]))
        if now < first_judged:
            result.months_too_short.append(label)
            continue
        result.months_judged.append(label)
        result.series_months += total_series
        fraction = last_month_fraction if now == month_count - 1 else 1.0
        shape = seasonal_shape(totals, months, now)
        window = _baseline_window(flagged, now, params) & (first_event <= now)[:, None]
        expected = expected_counts(counts, series.category_of, shape, window, now, fraction)
        observed = counts[:, now]
        rise_p = _tail(observed, expected.mean, expected.size)
        rises = (rise_p < params.alpha_rise) & (observed >= params.min_observed)
        cusum = np.maximum(
            0.0, cusum + _log_ratio(observed, expected.mean, expected.size, params.cusum_shift)
        )
        trends = (cusum >= params.cusum_limit) & ~rises & (observed >= 1)
        days = days_in_month(int(months[now]))
        window_mean = expected.mean * min(params.burst_days / (days * fraction), 1.0)
        windows_per_month = days / params.burst_days + 1.0
        busiest = series.busiest[:, now]
        burst_p = np.minimum(1.0, windows_per_month * _tail(busiest, window_mean, expected.size))
        bursts = (burst_p < params.alpha_burst) & (busiest >= params.min_burst)
        flagged[:, now] = rises | bursts
        result.means[:, now], result.sizes[:, now] = expected.mean, expected.size
        covered = _beyond_units(region_of, observed, expected, rises, trends, bursts, rise_p, params)
        month = MonthTests(
            label,
            observed,
            expected.mean,
            rise_p,
            cusum.copy(),
            busiest,
            window_mean,
            burst_p,
            rises,
            trends,
            bursts,
            expected.size,
        )
        warned = np.flatnonzero(rises | trends | bursts)
        # The bands of all of this month's warnings in two calls (one per row was most of the loop).
        bands = _bands(expected.mean[warned], expected.size[warned])
        burst_bands = _bands(window_mean[warned], expected.size[warned])
        for k, row in enumerate(warned):
            result.warnings.extend(_warnings_for(series, int(row), month, params, bands[k], burst_bands[k]))
        cusum[rises | trends | bursts | covered] = 0.0
    result.warnings.sort(key=lambda w: (w.unit_code, w.category, w.region_code, w.kind, w.month))
    return result


def _region_rows(series: Series) -> np.ndarray:
    """(series,) the row of each unit series' region series (same category and region), else -1."""
    rows = {key: n for n, key in enumerate(series.keys) if not key[0]}
    return np.array(
        [rows.get(("", category, region), -1) if unit else -1 for unit, category, region in series.keys],
        dtype=np.int64,
    )


def _beyond_units(
    region_of: np.ndarray,
    observed: np.ndarray,
    expected: Expected,
    rises: np.ndarray,
    trends: np.ndarray,
    bursts: np.ndarray,
    rise_p: np.ndarray,
    params: TrendParams,
) -> np.ndarray:
    """Keep a region's warnings only where the region warrants them beyond its warned units.

    Changes rises, trends, bursts and rise_p in place; returns the region rows whose units warned.
    """
    warned = (rises | trends | bursts) & (region_of >= 0)
    total = len(observed)
    if not warned.any():
        return np.zeros(total, dtype=bool)
    regions = region_of[warned]
    covered = np.bincount(regions, minlength=total) > 0
    rest = observed - np.bincount(regions, weights=observed[warned], minlength=total).astype(np.int64)
    rest_mean = np.maximum(
        expected.mean - np.bincount(regions, weights=expected.mean[warned], minlength=total), 1e-6
    )
    rest_p = _tail(rest, rest_mean, expected.size)
    rise_p[covered] = rest_p[covered]
    rises[covered] &= (rest_p[covered] < params.alpha_rise) & (rest[covered] >= params.min_observed)
    trends[covered] = False
    bursts[covered] = False
    return covered


def _baseline_window(flagged: np.ndarray, now: int, params: TrendParams) -> np.ndarray:
    start = max(0, now - params.guard - params.max_history)
    stop = now - params.guard
    window = np.zeros((flagged.shape[0], now), dtype=bool)
    window[:, start:stop] = ~flagged[:, start:stop]
    return window


def _tail(observed: np.ndarray, mean: np.ndarray, size: np.ndarray) -> np.ndarray:
    """P(Y ≥ observed) for Y negative binomial with this mean and size."""
    return stats.nbinom.sf(observed - 1, size, size / (size + mean))  # type: ignore[no-any-return]


def _log_ratio(observed: np.ndarray, mean: np.ndarray, size: np.ndarray, shift: float) -> np.ndarray:
    high = stats.nbinom.logpmf(observed, size, size / (size + mean * shift))
    base = stats.nbinom.logpmf(observed, size, size / (size + mean))
    return high - base  # type: ignore[no-any-return]


def _subject(unit_code: str, region_code: str) -> str:
    if unit_code:
        return f"单位 {unit_code}" + (f"（地区 {region_code}）" if region_code else "")
    return f"地区 {region_code}"


@dataclass(frozen=True)
class MonthTests:
    """One month's test results for every series (arrays indexed by series row)."""

    label: str
    observed: np.ndarray
    mean: np.ndarray
    rise_p: np.ndarray
    cusum: np.ndarray
    busiest: np.ndarray
    window_mean: np.ndarray
    burst_p: np.ndarray
    rises: np.ndarray
    trends: np.ndarray
    bursts: np.ndarray
    size: np.ndarray


def _bands(mean: np.ndarray, size: np.ndarray) -> list[tuple[float, float]]:
    """The central 95% of the negative binomial predictive distributions with these means and sizes."""
    if not len(mean):
        return []
    low = stats.nbinom.ppf(0.025, size, size / (size + mean))
    high = stats.nbinom.ppf(0.975, size, size / (size + mean))
    return [(float(a), float(b)) for a, b in zip(low, high, strict=True)]


def _warnings_for(
    series: Series,
    row: int,
    month: MonthTests,
    params: TrendParams,
    band: tuple[float, float],
    burst_band: tuple[float, float],
) -> list[Warning]:
    unit, category, region = series.keys[row]
    subject, label = _subject(unit, region), month.label
    count, expect = int(month.observed[row]), float(month.mean[row])
    found: list[Warning] = []
    if month.rises[row]:
        chance = float(month.rise_p[row])
        found.append(
            Warning(
                unit,
                category,
                region,
                RISE,
                label,
                count,
                round(expect, 2),
                round(-np.log10(max(chance, 1e-300)), 2),
                f"{label} {subject}「{category}」类 {count} 件，基线预期 {expect:.1f} 件（已计季节和春节因素），"
                f"为预期的 {count / expect:.1f} 倍，偶然出现的概率约 {chance:.1g}，属突然上升（苗头性）。",
                *band,
            )
        )
    if month.trends[row]:
        evidence = float(month.cusum[row])
        found.append(
            Warning(
                unit,
                category,
                region,
                TREND,
                label,
                count,
                round(expect, 2),
                round(evidence, 2),
                f"{label} {subject}「{category}」类近几个月持续高于基线：本月 {count} 件、预期 {expect:.1f} 件，"
                f"累积证据 {evidence:.1f} 达到阈值 {params.cusum_limit:g}，属持续上升（倾向性）。",
                *band,
            )
        )
    if month.bursts[row]:
        many, usual, chance = (
            int(month.busiest[row]),
            float(month.window_mean[row]),
            float(month.burst_p[row]),
        )
        found.append(
            Warning(
                unit,
                category,
                region,
                BURST,
                label,
                many,
                round(usual, 2),
                round(-np.log10(max(chance, 1e-300)), 2),
                f"{label} {subject}「{category}」类在 {params.burst_days} 天内集中出现 {many} 件，"
                f"按基线同样天数预期 {usual:.1f} 件，属短期集中反映。",
                *burst_band,
            )
        )
    return found
