"""The bids of an R024 hit on one price axis, with the fence the scan used."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.analytics.engine.ocds_cases import R024
from tests.analytics.engine.ocds_kit import write_releases

from lianqing.analytics.engine import scan
from lianqing.analytics.evidence.procurement import bid_axis_data, indicator_fence
from lianqing.analytics.ocds import import_ocds


def test_an_r024_hit_shows_its_bids_and_the_lower_fence_as_a_price(tmp_path: Path) -> None:
    # Given the low-outlier fixture (fence 0.01625, hand-computed in ocds_cases) scanned by R024
    case = next(case for case in R024 if case.id.startswith("R024-low-outlier"))
    package = tmp_path / "package"
    import_ocds(write_releases(tmp_path / "r.jsonl", case.releases), package, workers=1)
    hit = next(hit for hit in scan(package=package, rules=["R024"]).hits if hit.subject_id == "ocid:P1")
    # When its picture is drawn
    chart = bid_axis_data(package, hit)
    # Then the two bids are on the axis, the winner marked, and the fence is the scan's
    assert [(bid["tenderer"], bid["amount"], bid["is_winner"]) for bid in chart["bids"]] == [
        ("W", 100.0, True),
        ("L", 101.0, False),
    ]
    (mark,) = chart["marks"]
    assert mark["fence"] == pytest.approx(0.01625)
    assert mark["amount"] == pytest.approx(101.625)
    assert indicator_fence(package, "R024", {"R024.threshold": "0.05"}) == 0.05


def test_a_tender_of_the_contracts_bids_shows_its_bids_and_the_bids_fence(tmp_path: Path) -> None:
    # Given eleven tenders of the contract's bids whose runner-up is d above the winner (fences
    # 0.03 and 0.07, hand-computed in test_engine_rules_procurement_native), as Parquet
    from tests.analytics.engine.rule_kit import write_package

    spreads = ["10299.00", "10301.00", "10450.00", "10450.00", "10500.00", "10500.00", "10500.00"]
    spreads += ["10550.00", "10550.00", "10699.00", "10701.00"]
    bids = []
    for index, runner_up in enumerate(spreads):
        for place, price in enumerate(["10000.00", runner_up]):
            bids.append(
                {
                    "tender_id": f"F{index:02d}",
                    "bidder_uscc": f"91410000MA{10 * index + place:07d}X",
                    "price": price,
                    "won": place == 0,
                }
            )
    companies = [{"uscc": "91410000MA0000000X", "name": "甲建设有限公司"}]
    package = write_package(tmp_path / "package", {"bids": bids, "companies": companies}, fmt="parquet")
    hit = next(hit for hit in scan(package=package, rules=["R024"]).hits if hit.subject_id == "tender:F00")
    # When its picture is drawn
    chart = bid_axis_data(package, hit)
    # Then its two bids are on the axis, the winner named and marked, and the line is the bids' fence
    assert [(bid["name"], bid["amount"], bid["is_winner"]) for bid in chart["bids"]] == [
        ("甲建设有限公司", 10000.0, True),
        ("91410000MA0000001X", 10299.0, False),
    ]
    (mark,) = chart["marks"]
    assert mark["fence"] == pytest.approx(0.03)
    assert mark["amount"] == pytest.approx(10300.0)
    assert indicator_fence(package, "R058", source="bids") == pytest.approx(0.07)
    assert indicator_fence(package, "R058", source="ocds") is None
