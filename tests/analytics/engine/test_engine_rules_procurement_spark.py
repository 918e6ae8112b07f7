"""The R rules' fixtures on Spark local[2], in one session: the expected hits, byte for byte as DuckDB's."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.analytics.engine.ocds_cases import CASES
from tests.analytics.engine.ocds_kit import run_case

from lianqing.analytics.engine import scan

pytest.importorskip("pyspark")

pytestmark = [pytest.mark.spark, pytest.mark.slow]


# One fixture per rule, and every fixture whose hits depend on a quartile fence computed in SQL
# (the rest differ from these only in data, not in the SQL paths they take).
ON_SPARK = (
    "R003-threshold-per-procurement-method-details",
    "R018-single-tenderer-competitive",
    "R024-low-outlier-flags-process-winner-and-second",
    "R024-exclusions",
    "R025-percentile-setting",
    "R028-consortium-and-disqualified-bids-count",
    "R030-late-winning-bid",
    "R035-all-except-winner-disqualified",
    "R036-lowest-bid-disqualified",
    "R038-upper-fence-flags-high-outlier",
    "R048-upper-fence",
    "R058-high-outlier-flags-process-and-winner",
)


def test_r_fixtures_give_the_same_hits_on_spark(tmp_path: Path) -> None:
    differences: list[str] = []
    cases = [case for case in CASES if case.id in ON_SPARK]
    assert len(cases) == len(ON_SPARK)
    for case in cases:
        folder = tmp_path / case.id
        folder.mkdir()
        # Given the case's package, when Spark runs its rule
        found = run_case(case, folder, engine="spark")
        if found != case.expected:
            differences.append(f"{case.id}: {found} != {case.expected}")
        # Then hits.csv is byte-identical to DuckDB's (values, explanations, record ids)
        params = {f"{case.rule}.{name}": value for name, value in case.params.items()}
        for engine in ("duckdb", "spark"):
            scan(
                package=folder / "package",
                rules=[case.rule],
                params=params,
                as_of="2025-06-30",
                engine=engine,
                out=folder / engine,
            )
        if (folder / "spark" / "hits.csv").read_bytes() != (folder / "duckdb" / "hits.csv").read_bytes():
            differences.append(f"{case.id}: hits.csv differs between engines")
    assert not differences, "\n".join(differences)
