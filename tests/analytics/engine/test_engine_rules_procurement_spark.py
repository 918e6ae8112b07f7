"""The R rules on Spark local[2], byte-identical to DuckDB, in two scans of the fixtures' releases.

Every fixture's exact hits are checked on DuckDB (test_engine_rules_procurement.py). Here the
fixtures' releases go into shared packages (each case's ocids prefixed with its id), so each engine
runs the rules once per package: the fences are computed over the union of the fixtures'
populations, which takes the same quartile SQL as each fixture does.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from tests.analytics.engine.ocds_cases import CASES
from tests.analytics.engine.ocds_kit import write_releases

from lianqing.analytics.engine import scan
from lianqing.analytics.ocds import import_ocds

pytest.importorskip("pyspark")

pytestmark = [pytest.mark.spark, pytest.mark.slow]

# R024's low outlier, R048's fence (from 1 process) and R025 (top tenderers, threshold 0.25)
FENCES = ("R024-low-outlier-flags-process-winner-and-second", "R048-upper-fence")


def _package(folder: Path, case_ids: tuple[str, ...] | None = None) -> Path:
    releases: list[dict[str, Any]] = []
    for case in CASES:
        if case_ids is None or case.id in case_ids:
            for item in case.releases:
                renamed = copy.deepcopy(item)
                renamed["ocid"] = f"{case.id}/{item['ocid']}"
                releases.append(renamed)
    folder.mkdir()
    result = import_ocds(write_releases(folder / "all.jsonl", releases), folder / "package", workers=1)
    assert result.releases == len(releases)
    return folder / "package"


@pytest.mark.parametrize(
    ("case_ids", "rules", "params"),
    [
        (None, ["R003", "R018", "R028", "R030", "R035", "R036", "R038", "R058"], {}),
        (
            FENCES,
            ["R024", "R025", "R048"],
            {"R048.minimum_contracting_processes": "1", "R025.threshold": "0.25"},
        ),
    ],
    ids=["all-fixtures-default-settings", "fence-fixtures"],
)
def test_r_rules_give_byte_identical_hits_on_spark_and_duckdb(
    tmp_path: Path, case_ids: tuple[str, ...] | None, rules: list[str], params: dict[str, str]
) -> None:
    # Given fixtures' releases in one package
    package = _package(tmp_path / "input", case_ids)
    # When both engines run the rules
    duck = scan(package=package, rules=rules, params=params, as_of="2025-06-30", out=tmp_path / "duckdb")
    spark = scan(
        package=package,
        rules=rules,
        params=params,
        as_of="2025-06-30",
        out=tmp_path / "spark",
        engine="spark",
    )
    # Then every rule flags something, and hits.csv is the same to the byte
    assert {hit.rule_id for hit in duck.hits} == set(rules)
    assert spark.summary["engine"] == "spark"
    assert (tmp_path / "spark" / "hits.csv").read_bytes() == (tmp_path / "duckdb" / "hits.csv").read_bytes()
