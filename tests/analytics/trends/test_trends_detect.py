"""The warning method: what it flags, what it leaves alone, and that it never uses hindsight."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from lianqing.analytics.trends import BURST, RISE, TREND, TrendParams, warnings_for_events
from lianqing.analytics.trends.seasons import is_spring_festival_month, month_number
from lianqing.analytics.trends.synthetic import generate_history

FIRST = month_number(dt.date(2023, 1, 1))


def rows_from_counts(
    counts: dict[tuple[str, str, str], list[int]], *, burst_day: int | None = None
) -> list[dict[str, object]]:
    """Events spread over each month (days 1, 3, 5, …), or packed into a few days for a burst month."""
    rows: list[dict[str, object]] = []
    for (unit, category, region), monthly in counts.items():
        for index, count in enumerate(monthly):
            number = FIRST + index
            for k in range(count):
                day = (burst_day + k % 3) if burst_day and count > 20 else 1 + (2 * k) % 27
                rows.append(
                    {
                        "event_id": f"{unit}-{category}-{index}-{k}",
                        "date": dt.date(number // 12, number % 12 + 1, day),
                        "unit_code": unit,
                        "category": category,
                        "region_code": region,
                    }
                )
    return rows


def steady(mean: int, months: int = 30, seed: int = 0) -> list[int]:
    return list(np.random.default_rng(seed).poisson(mean, months))


def as_of_for(months: int) -> dt.date:
    number = FIRST + months - 1
    year, month = number // 12, number % 12 + 1
    return (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)


def kinds_by_month(result: object, unit: str = "U1") -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for warning in result.warnings:  # type: ignore[attr-defined]
        if warning.unit_code == unit:
            found.setdefault(warning.month, set()).add(warning.kind)
    return found


def test_a_fivefold_month_on_a_steady_series_is_a_sudden_rise_and_nothing_else_is_flagged() -> None:
    monthly = steady(6)
    monthly[24] = 30  # 2025-01
    others = {(f"U{n}", "违规吃喝", "370124001"): steady(6, seed=n) for n in range(2, 12)}
    result = warnings_for_events(
        rows_from_counts({("U1", "违规吃喝", "370124001"): monthly, **others}), as_of=as_of_for(30)
    )
    flagged = kinds_by_month(result)
    assert RISE in flagged["2025-01"]
    assert set(flagged) == {"2025-01"}
    rise = next(w for w in result.warnings if w.unit_code == "U1" and w.kind == RISE)
    assert rise.observed == 30
    assert 4 < rise.expected < 9
    assert "突然上升" in rise.explanation
    assert "2025-01" in rise.explanation


def test_a_short_history_gives_no_warning_and_says_so() -> None:
    monthly = steady(5, months=10)
    monthly[9] = 40
    result = warnings_for_events(rows_from_counts({("U1", "违规吃喝", "1"): monthly}), as_of=as_of_for(10))
    assert result.warnings == []
    assert result.detection.months_judged == []
    assert len(result.detection.months_too_short) == 10


def test_the_spring_festival_lift_seen_before_is_expected_not_flagged() -> None:
    months = 36
    lift = [3.0 if is_spring_festival_month(FIRST + m) else 1.0 for m in range(months)]
    rng = np.random.default_rng(5)
    counts = {
        (f"U{n}", "违规收送礼品礼金", "370124001"): [int(rng.poisson(6 * f)) for f in lift]
        for n in range(1, 21)
    }
    result = warnings_for_events(rows_from_counts(counts), as_of=as_of_for(months))
    festival_warnings = [w for w in result.warnings if w.month == "2025-01" and w.kind == RISE]
    assert festival_warnings == []
    # The festival month's expected count carries the lift the model learnt from 2023 and 2024.
    assert result.detection.months_judged[0] == "2024-02"


def test_a_burst_inside_a_few_days_is_a_concentration() -> None:
    counts = {(f"U{n}", "侵害群众利益", "370124001"): steady(2, seed=n) for n in range(1, 8)}
    burst = list(counts[("U1", "侵害群众利益", "370124001")])
    burst[26] = 25  # 2025-03, on three days
    counts[("U1", "侵害群众利益", "370124001")] = burst
    result = warnings_for_events(rows_from_counts(counts, burst_day=10), as_of=as_of_for(30))
    assert BURST in kinds_by_month(result).get("2025-03", set())
    concentration = next(w for w in result.warnings if w.kind == BURST and w.unit_code == "U1")
    assert concentration.observed >= 20
    assert "7 天内" in concentration.explanation


def test_a_sustained_rise_is_caught_within_three_months_by_the_trend_test() -> None:
    monthly = steady(8, months=34, seed=3)
    for month in range(24, 34):
        monthly[month] = int(8 * (1 + min(month - 23, 3) / 3 * 2))  # ramps to 3x over three months
    others = {(f"U{n}", "违规吃喝", "1"): steady(8, months=34, seed=n) for n in range(2, 12)}
    result = warnings_for_events(
        rows_from_counts({("U1", "违规吃喝", "1"): monthly, **others}), as_of=as_of_for(34)
    )
    flagged = kinds_by_month(result)
    early = [month for month in ("2025-01", "2025-02", "2025-03") if month in flagged]
    assert early, flagged
    assert any(TREND in flagged[m] or RISE in flagged[m] for m in early)


def test_warnings_are_prospective_a_later_as_of_never_changes_an_earlier_month() -> None:
    history = generate_history(units=60, seed=11, plant_per_size=2)
    rows = history.events.to_pylist()
    full = warnings_for_events(rows, as_of=history.as_of)
    for cut in (dt.date(2024, 9, 30), dt.date(2025, 3, 31)):
        earlier = warnings_for_events([r for r in rows if r["date"] <= cut.isoformat()], as_of=cut)
        month = f"{cut.year:04d}-{cut.month:02d}"
        assert earlier.warnings == [w for w in full.warnings if w.month <= month]
        assert earlier.warnings, "the cut-off should keep some warnings to compare"


@pytest.mark.parametrize("seed", [1, 2])
def test_on_planted_histories_false_warnings_stay_under_five_per_thousand(seed: int) -> None:
    history = generate_history(seed=seed)
    result = warnings_for_events(history.events.to_pylist(), as_of=history.as_of, params=TrendParams())
    planted_rows = {(p.series, m) for p in history.planted for m in range(p.start, history.counts.shape[1])}
    index = {key: row for row, key in enumerate(history.keys)}
    unit_warnings = [w for w in result.warnings if w.unit_code]
    false = [
        w
        for w in unit_warnings
        if (
            index[(w.unit_code, w.category, w.region_code)],
            month_number(dt.date.fromisoformat(w.month + "-01")) - history.first_month,
        )
        not in planted_rows
    ]
    assert 1000 * len(false) / result.detection.series_months < 5
    caught = {index[(w.unit_code, w.category, w.region_code)] for w in unit_warnings}
    big_rises = [p for p in history.planted if p.kind == "rise" and p.size == 5 and p.months == 3]
    assert sum(p.series in caught for p in big_rises) >= len(big_rises) * 0.6


def spread_rows(counts: dict[tuple[str, str, str], list[int]]) -> list[dict[str, object]]:
    """Events on random days of their month (a region's events are not all on the same days)."""
    rng = np.random.default_rng(17)
    rows: list[dict[str, object]] = []
    for (unit, category, region), monthly in counts.items():
        for index, count in enumerate(monthly):
            number = FIRST + index
            for k, day in enumerate(rng.integers(1, 29, count)):
                rows.append(
                    {
                        "event_id": f"{unit}-{category}-{index}-{k}",
                        "date": dt.date(number // 12, number % 12 + 1, int(day)),
                        "unit_code": unit,
                        "category": category,
                        "region_code": region,
                    }
                )
    return rows


def test_one_units_rise_is_not_copied_to_its_region() -> None:
    # Given eleven units of one region with six reports a month and a fivefold month in one of
    # them, the unit warns and its region does not: the rest of the region is as usual, so a
    # region warning would be the same finding twice.
    counts = {(f"U{n}", "违规吃喝", "370124001"): [6] * 30 for n in range(1, 12)}
    counts[("U1", "违规吃喝", "370124001")][24] = 30  # 2025-01
    result = warnings_for_events(spread_rows(counts), as_of=as_of_for(30))
    assert [(w.unit_code, w.kind, w.month) for w in result.warnings if w.kind == RISE] == [
        ("U1", RISE, "2025-01")
    ]
    assert [w for w in result.warnings if w.unit_code == ""] == []


def test_a_rise_spread_over_a_region_warns_at_region_level_only() -> None:
    # Given twenty units that each rise from six to ten reports in the same month (none unusual
    # alone) and reports that name only the region, the region's series warns and no unit does.
    counts = {(f"U{n}", "违规吃喝", "370124001"): [6] * 30 for n in range(1, 21)}
    for monthly in counts.values():
        monthly[24] = 10
    counts[("", "违规吃喝", "370124001")] = [2] * 30
    result = warnings_for_events(spread_rows(counts), as_of=as_of_for(30))
    assert {w.unit_code for w in result.warnings} == {""}
    assert {w.month for w in result.warnings} == {"2025-01"}
    rise = next(w for w in result.warnings if w.kind == RISE)
    assert rise.observed == 202


def test_the_expected_count_and_band_are_kept_for_every_judged_month() -> None:
    monthly = steady(6)
    monthly[24] = 30
    others = {(f"U{n}", "违规吃喝", "1"): steady(6, seed=n) for n in range(2, 12)}
    result = warnings_for_events(
        rows_from_counts({("U1", "违规吃喝", "1"): monthly, **others}), as_of=as_of_for(30)
    )
    labels = ["2024-01", "2024-02", "2024-12", "2025-01"]
    before, first, usual, risen = result.detection.baseline(("U1", "违规吃喝", "1"), labels)
    assert before is None  # thirteen months are needed before the first judgement
    assert first is not None
    assert usual is not None
    assert risen is not None
    for mean, low, high in (first, usual, risen):
        assert 3 < mean < 10
        assert low <= mean <= high
    rise = next(w for w in result.warnings if w.unit_code == "U1" and w.kind == RISE)
    assert risen == pytest.approx((rise.expected, rise.band_low, rise.band_high), abs=0.01)
    assert result.detection.baseline(("U9", "x", "1"), labels) == [None] * 4
