"""The expected count of every series for one month, from what was known before it.

Model (a Farrington-style flexible baseline, pooled where single series are too sparse):

- Seasonality is estimated on the category totals, pooled over all series of the jurisdiction, by
  a Poisson GLM with a per-category level and linear trend, shared month-of-year effects and a
  Spring Festival month effect (ridge-penalised, so a short history shrinks them towards none):
  ``log E[total(c, s)] = a_c + b_c·s + β_moy(s) + γ·festival(s)``.
  Its fitted shape ``e(c, s)`` (without a_c), scaled to mean 1 over the baseline window, is each
  month's "exposure".
- A series' level is its counts over the baseline window divided by the exposure there, with a
  gamma prior of one month at the category's mean level (so empty series are not certain zeros):
  ``μ(i, t) = level_i · e(c_i, t)``.
- Overdispersion θ (variance μ + θμ²) is one moment estimate over all series' baseline windows;
  the uncertainty of the estimated level (1 / posterior shape) is added to it. The predictive
  distribution is negative binomial with that mean and variance.

The baseline window is the `max_history` months before the month judged, less a `guard` of the
most recent months (an uncaught early part of a rise must not raise its own baseline) and less the
months already flagged for that series (they are not normal).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lianqing.analytics.trends.seasons import is_spring_festival_month

# The ridge on trend and month-of-year effects weighs as much as this many months of average data.
# The Spring Festival term is barely penalised: with one year of history it and January cannot be
# told apart, and the festival's lift is the one the commission knows to expect.
RIDGE_MONTHS = 0.05
RIDGE_FESTIVAL = 0.001


@dataclass(frozen=True)
class Expected:
    mean: np.ndarray  # (series,) expected count in the month judged
    size: np.ndarray  # (series,) negative binomial size (1 / total relative variance)


def seasonal_shape(totals: np.ndarray, months: np.ndarray, until: int) -> np.ndarray:
    """e(c, s) for s in 0..until (inclusive) from the totals of months 0..until-1.

    totals: (categories, months) counts; months: the calendar month numbers of its columns.
    """
    categories = totals.shape[0]
    known = totals[:, :until].astype(float)
    shape = np.ones((categories, until + 1))
    live = known.sum(axis=1) > 0
    if until < 2 or not live.any():
        return shape
    moy = months[: until + 1] % 12
    festival = np.array([is_spring_festival_month(int(m)) for m in months[: until + 1]], dtype=float)
    time = (np.arange(until + 1) - (until - 1) / 2) / 12.0  # years, centred on the known months
    live_index = np.flatnonzero(live)
    count = len(live_index)
    # Columns: a_c (count), b_c (count), β_moy (12), γ (1)
    width = 2 * count + 13

    def design(column_count: int) -> np.ndarray:
        rows = np.zeros((count * column_count, width))
        for k in range(count):
            block = np.arange(k * column_count, (k + 1) * column_count)
            rows[block, k] = 1.0
            rows[block, count + k] = time[:column_count]
            rows[block, 2 * count + moy[:column_count]] = 1.0  # one month-of-year column per row
            rows[block, 2 * count + 12] = festival[:column_count]
        return rows

    x = design(until)
    y = known[live_index].reshape(-1)
    penalty = np.zeros(width)
    penalty[count:] = RIDGE_MONTHS * max(float(y.mean()), 1.0)
    penalty[-1] = RIDGE_FESTIVAL * max(float(y.mean()), 1.0)
    beta = np.zeros(width)
    beta[:count] = np.log(known[live_index].mean(axis=1) + 0.1)
    for _ in range(25):
        eta = np.clip(x @ beta, -30, 30)
        mu = np.exp(eta)
        z = eta + (y - mu) / mu
        weighted = x * mu[:, None]
        step = np.linalg.solve(x.T @ weighted + np.diag(penalty), weighted.T @ z)
        if np.max(np.abs(step - beta)) < 1e-6:
            beta = step
            break
        beta = step
    full = design(until + 1)
    fitted = full @ beta
    intercepts = np.repeat(beta[:count], until + 1)
    shape[live_index] = np.exp(np.clip(fitted - intercepts, -30, 30)).reshape(count, until + 1)
    return shape


def expected_counts(
    counts: np.ndarray,
    category_of: np.ndarray,
    shape: np.ndarray,
    window: np.ndarray,
    now: int,
    fraction: float = 1.0,
) -> Expected:
    """Expected counts of every series for month `now`.

    counts: (series, months); category_of: (series,) row of `shape` for each series;
    shape: (categories, now + 1) seasonal shape; window: (series, now) True where a month is in the
    series' baseline; fraction: the share of the month that has passed (the as_of month).
    """
    per_series_shape = shape[category_of]  # (series, now + 1)
    baseline_shape = np.where(window, per_series_shape[:, :now], 0.0)
    months_in = window.sum(axis=1)
    # Scale each category's shape to mean 1 over its series' baseline windows.
    scale = baseline_shape.sum(axis=1) / np.maximum(months_in, 1)
    scale = np.where(scale > 0, scale, 1.0)
    exposure = baseline_shape / scale[:, None]
    exposure_now = per_series_shape[:, now] / scale * fraction
    observed = np.where(window, counts[:, :now], 0).sum(axis=1).astype(float)
    exposed = exposure.sum(axis=1)
    has_baseline = window.any(axis=1)
    category_levels = _category_levels(
        observed[has_baseline], exposed[has_baseline], category_of[has_baseline], shape.shape[0]
    )
    prior_mean = category_levels[category_of]
    shape_post = observed + prior_mean  # one month of prior at the category's mean level
    level = shape_post / (exposed + 1.0)
    mean = level * exposure_now
    fitted = level[:, None] * exposure
    residual = np.where(window, (counts[:, :now] - fitted) ** 2 - counts[:, :now], 0.0)
    squared = np.where(window, fitted**2, 0.0)
    theta = max(float(residual.sum()) / max(float(squared.sum()), 1e-9), 0.0)
    relative_variance = theta + 1.0 / np.maximum(shape_post, 1e-9)
    return Expected(mean=np.maximum(mean, 1e-6), size=1.0 / relative_variance)


def _category_levels(
    observed: np.ndarray, exposed: np.ndarray, category_of: np.ndarray, categories: int
) -> np.ndarray:
    totals = np.bincount(category_of, weights=observed, minlength=categories)
    exposures = np.bincount(category_of, weights=exposed, minlength=categories)
    return np.where(exposures > 0, totals / np.maximum(exposures, 1e-9), 0.0)
