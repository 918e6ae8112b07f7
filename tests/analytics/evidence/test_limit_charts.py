"""The measure-against-its-line pictures (F09, F11, F12, D01–D03) on generated hits of each rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lianqing.analytics.engine import scan
from lianqing.analytics.evidence import chart_kinds, hit_charts
from lianqing.analytics.generate import generate

RULES = ["F09", "F11", "F12", "D01", "D02", "D03"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    package = tmp_path_factory.mktemp("limits") / "pkg"
    generate(package, persons=1_000, seed=5)
    hits = scan(package=package, rules=RULES).hits
    assert {hit.rule_id for hit in hits} == set(RULES)
    return str(package), hits


def _first(hits, rule_id):
    return sorted((hit for hit in hits if hit.rule_id == rule_id), key=lambda hit: hit.subject_id)[0]


@pytest.mark.parametrize(
    ("rule_id", "kind"),
    [("F09", "fuel"), ("F11", "payments"), ("F12", "years"), ("D01", "declared"), ("D03", "declared")],
)
def test_each_rule_gets_its_measure_picture(rule_id, kind):
    assert chart_kinds(rule_id) == [kind]


def test_f09_every_hit_fill_is_drawn_and_the_window_crosses_the_limit(generated):
    package, hits = generated
    for hit in (h for h in hits if h.rule_id == "F09"):
        (fuel,) = hit_charts(package, hit)
        assert fuel["plate"] == hit.subject_id
        assert fuel["limit_liters"] == pytest.approx(fuel["tank_liters"] * 1.1)
        in_hit = [fill for fill in fuel["fills"] if fill["in_hit"]]
        assert len(in_hit) == hit.record_ids.count("fuel_fills:")
        assert sum(Decimal(str(fill["amount"])) for fill in in_hit) == hit.amount
        # The rule's measure is the highest window: it is above the limit, and reached at a hit fill.
        assert max(fill["window_liters"] for fill in fuel["fills"]) > fuel["limit_liters"]
        assert max(fill["window_liters"] for fill in in_hit) == max(f["window_liters"] for f in fuel["fills"])


def test_f09_window_follows_the_scans_parameters(generated):
    package, hits = generated
    hit = _first(hits, "F09")
    (default,) = hit_charts(package, hit)
    (wider,) = hit_charts(package, hit, params={"F09.tolerance": "0.5", "F09.window_hours": "1"})
    assert wider["limit_liters"] == pytest.approx(default["tank_liters"] * 1.5)
    assert wider["window_hours"] == 1
    assert max(f["window_liters"] for f in wider["fills"]) <= max(
        f["window_liters"] for f in default["fills"]
    )


def test_f11_the_days_split_payments_each_below_and_together_over_the_threshold(generated):
    package, hits = generated
    hit = _first(hits, "F11")
    (payments,) = hit_charts(package, hit)
    assert payments["threshold"] == 5000.0
    split = [group for group in payments["groups"] if group["in_hit"]]
    assert split
    assert split == payments["groups"][: len(split)]
    for group in split:
        counted = [p["amount"] for p in group["payments"] if p["in_hit"]]
        assert len(counted) >= 2
        assert all(amount < 5000 for amount in counted)
        assert sum(counted) >= 5000
    assert sum(p["amount"] for g in split for p in g["payments"] if p["in_hit"]) == float(hit.amount)
    assert payments["days"] == sorted({group["day"] for group in payments["groups"]})


def test_f12_two_years_side_by_side_with_the_totals_the_rule_compared(generated):
    package, hits = generated
    hit = _first(hits, "F12")
    (years,) = hit_charts(package, hit)
    org_code, _, year = hit.subject_id.rpartition("/")
    assert years["org_code"] == org_code
    assert years["years"] == [int(year) - 1, int(year)]
    assert [len(months) for months in years["months"]] == [12, 12]
    assert years["totals"] == [pytest.approx(sum(months)) for months in years["months"]]
    assert years["totals"][1] == float(hit.amount)
    assert years["totals"][1] >= years["min_amount"]
    assert years["totals"][1] > (1 + years["increase_limit"]) * years["totals"][0]
    assert years["increase"] == pytest.approx(years["totals"][1] / years["totals"][0] - 1)


@pytest.mark.parametrize(("rule_id", "kind"), [("D01", "house"), ("D02", "vehicle"), ("D03", "business")])
def test_d_rules_declared_against_found(generated, rule_id, kind):
    package, hits = generated
    for hit in (h for h in hits if h.rule_id == rule_id):
        (declared,) = hit_charts(package, hit)
        assert declared["year"] == int(hit.subject_id.rpartition("/")[2])
        assert dt.date.fromisoformat(declared["declared_on"])
        kinds = {entry["kind"]: entry for entry in declared["kinds"]}
        assert list(kinds) == ["house", "vehicle", "business"]
        assert [entry["kind"] for entry in declared["kinds"] if entry["is_hit"]] == [kind]
        entry = kinds[kind]
        assert entry["found"] > entry["declared"]
        assert len(entry["found_items"]) == entry["found"]
        # The numbers the explanation states are the numbers drawn.
        unit = {"house": "处", "vehicle": "辆", "business": "家"}[kind]
        assert f"{entry['declared']}{unit}，" in hit.explanation
        assert hit.explanation.rstrip("。").endswith(f"{entry['found']}{unit}")
