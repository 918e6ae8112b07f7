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
