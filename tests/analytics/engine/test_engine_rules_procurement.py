"""The R rules (Cardinal's red flags) on DuckDB: every fixture of ocds_cases gives exactly its hits."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.analytics.engine.ocds_cases import CASES
from tests.analytics.engine.ocds_kit import Case, run_case

from lianqing.analytics.engine import list_rules

R_RULES = ("R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_fixture_gives_exactly_its_hits(case: Case, tmp_path: Path) -> None:
    # Given the case's releases imported, when its rule runs with its settings
    found = run_case(case, tmp_path)
    # Then the flagged groups and ids, and their values, are exactly those the methodology gives
    assert found == case.expected


def test_every_r_rule_has_fixtures_and_keeps_cardinals_setting_names() -> None:
    rules = {rule.id: rule for rule in list_rules()}
    assert {case.rule for case in CASES} == set(R_RULES)
    assert set(rules["R003"].params) >= {"threshold", "procurement_methods", "procurement_method_details"}
    assert set(rules["R025"].params) >= {"percentile", "threshold"}
    assert set(rules["R038"].params) >= {
        "threshold",
        "minimum_submitted_bids",
        "minimum_contracting_processes",
    }
    assert set(rules["R048"].params) >= {"digits", "threshold", "minimum_contracting_processes"}
    for rule_id in ("R024", "R036", "R058"):
        assert set(rules[rule_id].params) >= {
            "currency",
            "price_comparison_procurement_methods",
            "no_price_comparison_procurement_methods",
        }
    for rule_id in R_RULES:
        assert "exclusions_procurement_method_details" in rules[rule_id].params
