"""廉情指数: every point explained, windows and caps respected, units share their cadres', versioned."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.trends.index import compute_index, items_table, load_config

AS_OF = dt.date(2025, 12, 31)


def item(
    kind: str, subject: str, indicator: str, ref: str, date: dt.date | None, weight: float | None = None
) -> dict[str, object]:
    return {
        "subject_kind": kind,
        "subject_id": subject,
        "indicator": indicator,
        "item_ref": ref,
        "date": date,
        "weight": weight,
    }


def scores_of(result: object) -> dict[tuple[str, str], tuple[float, str, str]]:
    table = result.scores  # type: ignore[attr-defined]
    return {
        (k, s): (score, colour, version)
        for k, s, score, colour, version in zip(
            *(
                table.column(n).to_pylist()
                for n in ("subject_kind", "subject_id", "score", "colour", "version")
            ),
            strict=True,
        )
    }


def deductions_of(result: object, kind: str, subject: str) -> dict[str, tuple[float, list[str]]]:
    rows = result.deductions.to_pylist()  # type: ignore[attr-defined]
    return {
        r["indicator"]: (r["points"], r["items"])
        for r in rows
        if r["subject_kind"] == kind and r["subject_id"] == subject
    }


def test_each_deduction_names_its_items_and_they_add_up_to_the_score() -> None:
    config = load_config()
    items = items_table(
        [
            item("cadre", "C1", "report_received", "case:1", dt.date(2025, 3, 1)),
            item("cadre", "C1", "report_received", "case:2", dt.date(2025, 5, 1)),
            item("cadre", "C1", "form_2", "case:3", dt.date(2024, 6, 1)),
            item("cadre", "C1", "hit_high", "hit:9", None),
        ]
    )
    result = compute_index(items, as_of=AS_OF, config=config)
    deductions = deductions_of(result, "cadre", "C1")
    points = config.indicators
    assert deductions["report_received"] == (2 * points["report_received"].points, ["case:1", "case:2"])
    assert deductions["form_2"] == (points["form_2"].points, ["case:3"])
    assert deductions["hit_high"] == (points["hit_high"].points, ["hit:9"])
    score, colour, version = scores_of(result)[("cadre", "C1")]
    assert score == 100 - sum(p for p, _ in deductions.values())
    assert colour == config.colour(score)
    assert version == config.version


def test_items_outside_the_window_or_after_as_of_do_not_count_and_caps_hold() -> None:
    config = load_config()
    cap = config.indicators["report_received"].cap
    many = [item("cadre", "C2", "report_received", f"case:{n}", dt.date(2025, 6, 1)) for n in range(50)]
    old = item("cadre", "C2", "lead_talk", "case:old", dt.date(2023, 1, 1))  # 24-month window
    future = item("cadre", "C2", "form_1", "case:future", dt.date(2026, 1, 5))
    result = compute_index(items_table([*many, old, future]), as_of=AS_OF, config=config)
    deductions = deductions_of(result, "cadre", "C2")
    assert set(deductions) == {"report_received"}
    assert deductions["report_received"][0] == cap
    assert scores_of(result)[("cadre", "C2")][0] == 100 - cap


def test_a_unit_carries_a_capped_share_of_its_cadres_deductions() -> None:
    config = load_config()
    items = items_table(
        [
            item("cadre", "C1", "form_4", "case:1", dt.date(2025, 1, 1)),
            item("unit", "U1", "finding_open", "finding:1", None),
        ]
    )
    memberships = pa.table({"cadre_id": ["C1", "C3"], "unit_id": ["U1", "U1"]})
    subjects = pa.table({"subject_kind": ["unit", "unit", "cadre"], "subject_id": ["U1", "U2", "C3"]})
    result = compute_index(items, as_of=AS_OF, config=config, memberships=memberships, subjects=subjects)
    unit = deductions_of(result, "unit", "U1")
    expected_share = min(config.indicators["form_4"].points * config.unit_share, config.unit_share_cap)
    assert unit["cadres"] == (expected_share, ["cadre:C1"])
    assert unit["finding_open"][1] == ["finding:1"]
    scores = scores_of(result)
    assert scores[("unit", "U1")][0] == 100 - expected_share - config.indicators["finding_open"].points
    assert scores[("unit", "U2")][:2] == (100, "绿")  # no items: a clean, listed unit
    assert scores[("cadre", "C3")][0] == 100


@pytest.mark.parametrize(
    ("score", "colour"),
    [(100, "绿"), (90, "绿"), (89.5, "黄"), (75, "黄"), (74, "橙"), (60, "橙"), (59, "红"), (0, "红")],
)
def test_colours_follow_the_thresholds(score: float, colour: str) -> None:
    assert load_config().colour(score) == colour


def test_weights_scale_points_and_unknown_indicators_are_reported_not_counted() -> None:
    items = items_table(
        [
            item("cadre", "C1", "hit_medium", "hit:1", None, weight=2.0),
            item("cadre", "C1", "no_such_thing", "x:1", None),
        ]
    )
    result = compute_index(items, as_of=AS_OF)
    assert (
        deductions_of(result, "cadre", "C1")["hit_medium"][0]
        == 2 * load_config().indicators["hit_medium"].points
    )
    assert result.unknown_indicators == ["no_such_thing"]


def test_a_commission_configuration_is_versioned_and_checked() -> None:
    custom = load_config(
        "version: '2027.1'\ncolours: {green: 95, yellow: 80, orange: 50}\n"
        "indicators:\n  report_received: {name: 信访举报反映, points: 10, cap: 10, window_months: 12}\n"
    )
    result = compute_index(
        items_table([item("cadre", "C1", "report_received", "case:1", dt.date(2025, 6, 1))]),
        as_of=AS_OF,
        config=custom,
    )
    assert scores_of(result)[("cadre", "C1")] == (90, "黄", "2027.1")
    with pytest.raises(AnalyticsError, match="颜色阈值"):
        load_config("version: x\ncolours: {green: 50, yellow: 80, orange: 60}\nindicators: {}\n")
    with pytest.raises(AnalyticsError, match="配置无效"):
        load_config("version: x\nindicators: {a: {name: n}}\n")
