"""R018, R024, R028 and R058 on the contract's own contracts/bids (RULES.md R): the tenders of
`bids`, the method of their `contracts` standing for Cardinal's procurementMethodDetails."""

from __future__ import annotations

from typing import Any

import pytest
from rule_kit import PackageFactory, run_rule

BUYER = "11410000MB0000000X"


def _uscc(number: int) -> str:
    return f"91410000MA{number:07d}X"


def _tender(
    tables: dict[str, list[dict[str, Any]]],
    tender_id: str,
    prices: list[str | None],
    *,
    method: str | None = "公开招标",
    winners: int = 1,
    first: int,
) -> list[str]:
    """Bids of `prices` by bidders numbered from `first` (the first `winners` of them won), and a
    contract naming the method unless `method` is None."""
    bidders = [_uscc(first + index) for index in range(len(prices))]
    for index, (bidder, price) in enumerate(zip(bidders, prices, strict=True)):
        tables["bids"].append(
            {"tender_id": tender_id, "bidder_uscc": bidder, "price": price, "won": index < winners}
        )
    if method is not None:
        tables["contracts"].append(
            {
                "contract_id": f"HT-{tender_id}",
                "tender_id": tender_id,
                "buyer_org_code": BUYER,
                "supplier_uscc": bidders[0],
                "amount": prices[0] or "1.00",
                "sign_date": "2025-05-20",
                "method": method,
                "project_name": f"{tender_id}项目",
            }
        )
    return bidders


def _tables() -> dict[str, list[dict[str, Any]]]:
    return {"contracts": [], "bids": []}


def test_r018_one_bidder_in_a_competitive_tender(make_package: PackageFactory) -> None:
    tables = _tables()
    _tender(tables, "T1", ["100.00"], method="公开招标", first=1)
    _tender(tables, "T2", ["100.00"], method="邀请招标", first=2)
    _tender(tables, "T3", ["100.00"], method="单一来源", first=3)  # direct: not competitive
    _tender(tables, "T4", ["100.00"], method="竞争性谈判", first=4)  # limited: not by default
    _tender(tables, "T5", ["100.00", "104.00"], method="公开招标", first=5)  # two bidders
    _tender(tables, "T6", ["100.00"], method=None, first=7)  # no contract names the method
    package = make_package(tables)
    hits = run_rule(package, "R018")
    assert set(hits) == {"tender:T1", "tender:T2"}
    assert hits["tender:T1"].subject_name == "T1项目"
    assert hits["tender:T1"].value == "1.0"
    assert hits["tender:T1"].record_ids == f"bids:T1|{_uscc(1)};contracts:HT-T1"
    # Cardinal's settings: any method, only the limited ones, and the global exclusions
    assert set(run_rule(package, "R018", params={"R018.procurement_methods": ""})) == {
        "tender:T1",
        "tender:T2",
        "tender:T3",
        "tender:T4",
        "tender:T6",
    }
    assert set(run_rule(package, "R018", params={"R018.procurement_methods": "limited"})) == {"tender:T4"}
    assert set(
        run_rule(package, "R018", params={"R018.exclusions_procurement_method_details": "公开招标|单一来源"})
    ) == {"tender:T2"}


def _fence_package(make_package: PackageFactory) -> tuple[Any, dict[str, list[str]]]:
    """Eleven tenders whose runner-up is d above the winner: the R-8 quartiles are Q1 = 0.045 and
    Q3 = 0.055 (n = 11: Q1 at h = 3 1/6 between two 0.045s, Q3 at h = 8 5/6 between two 0.055s), so
    the fences are 0.03 and 0.07; tenders without a sole winner or with the winner not lowest stay
    out of the population."""
    tables = _tables()
    bidders: dict[str, list[str]] = {}
    spreads = ["10299.00", "10301.00", "10450.00", "10450.00", "10500.00", "10500.00"]
    spreads += ["10550.00", "10550.00", "10699.00", "10701.00"]
    for index, runner_up in enumerate(spreads):
        tender_id = f"F{index:02d}"
        bidders[tender_id] = _tender(
            tables, tender_id, ["10000.00", runner_up, "12000.00"], first=10 + 3 * index
        )
    # near-misses outside the population: two winners; the other bid below the winner's
    bidders["X1"] = _tender(tables, "X1", ["10000.00", "10001.00"], winners=2, first=60)
    bidders["X2"] = _tender(tables, "X2", ["10000.00", "9999.00"], first=62)
    # the eleventh: a bid without a price is no bid (L = 10500, d = 0.05)
    bidders["X3"] = _tender(tables, "X3", ["10000.00", None, "10500.00"], first=64)
    return make_package(tables), bidders


def test_r024_runner_up_within_the_lower_fence(make_package: PackageFactory) -> None:
    package, bidders = _fence_package(make_package)
    hits = run_rule(package, "R024")
    winner, runner_up = bidders["F00"][0], bidders["F00"][1]
    # 0.0299 <= 0.03 is flagged with the winner and the runner-up; 0.0301 is not
    assert set(hits) == {"tender:F00", f"tenderer:{winner}", f"tenderer:{runner_up}"}
    assert float(hits["tender:F00"].value) == pytest.approx(0.0299)
    assert hits[f"tenderer:{winner}"].value == "0.0"
    assert hits["tender:F00"].record_ids == ";".join(sorted([f"bids:F00|{runner_up}", f"bids:F00|{winner}"]))
    # a set threshold replaces the fence (<=)
    assert set(run_rule(package, "R024", params={"R024.threshold": "0.0301"})) >= {"tender:F00", "tender:F01"}
    assert "tender:X1" not in run_rule(package, "R024", params={"R024.threshold": "0.5"})


def test_r058_runner_up_beyond_the_upper_fence(make_package: PackageFactory) -> None:
    package, bidders = _fence_package(make_package)
    hits = run_rule(package, "R058")
    # 0.0701 >= 0.07 is flagged with the winner, 0.0699 is not
    assert set(hits) == {"tender:F09", f"tenderer:{bidders['F09'][0]}"}
    assert float(hits["tender:F09"].value) == pytest.approx(0.0701)
    # the contract's method is the details the price-comparison settings name
    assert (
        run_rule(package, "R058", params={"R058.no_price_comparison_procurement_methods": "公开招标"}) == {}
    )


def test_r028_identical_prices_of_different_bidders(make_package: PackageFactory) -> None:
    tables = _tables()
    same = _tender(tables, "S1", ["100.00", "105.00", "105.00"], first=1)
    _tender(tables, "S2", ["100.00", "105.00", "105.01"], first=4)  # a cent apart
    _tender(tables, "S3", ["100.00", None, None], first=7)  # no prices are not identical prices
    package = make_package(tables)
    hits = run_rule(package, "R028")
    assert set(hits) == {"tender:S1", f"tenderer:{same[1]}", f"tenderer:{same[2]}"}
    assert hits["tender:S1"].record_ids == ";".join(sorted([f"bids:S1|{same[1]}", f"bids:S1|{same[2]}"]))
    assert run_rule(package, "R028", params={"R028.price_comparison_procurement_methods": "询价"}) == {}


def test_a_rule_runs_on_either_set_of_datasets_and_a_hit_names_its_own() -> None:
    from lianqing.analytics.engine import get_rule

    rule = get_rule("R024")
    assert rule.missing_datasets({"bids"}) == []
    assert rule.missing_datasets({"contracts"}) == list(rule.datasets)
    assert get_rule("R018").missing_datasets({"bids"}) == ["ocds_processes"]
    assert rule.hit_datasets("bids:T1|A;bids:T1|B") == ("bids",)
    assert rule.hit_datasets("ocds_processes:P1") == rule.datasets
