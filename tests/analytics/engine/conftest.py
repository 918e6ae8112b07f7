"""Fixtures for the engine tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rule_kit import AS_OF, MONTHS, PackageFactory, SparkScan, write_package

from lianqing.analytics.engine import scan
from lianqing.analytics.generate import generate
from lianqing.analytics.generate.monthly import cut_until
from lianqing.analytics.generate.ocds import generate_releases
from lianqing.analytics.ocds import import_ocds


@pytest.fixture
def make_package(tmp_path: Path) -> PackageFactory:
    counter = iter(range(1000))

    def make(tables: dict[str, list[dict[str, Any]]], *, fmt: str = "csv") -> Path:
        return write_package(tmp_path / f"package{next(counter)}", tables, fmt=fmt)

    return make


@pytest.fixture(scope="session")
def monthly_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One generated package (with OCDS releases, so the R rules run too) cut at successive months
    by `lianqing gen --until`'s cutter: each is the previous one with a month of monthly records
    appended. Tests read them and copy before they change anything."""
    root = tmp_path_factory.mktemp("monthly")
    whole = root / "whole"
    generate(whole, persons=2_000, seed=7)
    import_ocds(generate_releases(root / "releases.jsonl", 300, seed=3), whole, workers=1)
    for month in MONTHS:
        cut_until(whole, root / month, month)
    return {month: root / month for month in MONTHS}


@pytest.fixture(scope="session")
def spark_november(monthly_packages: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> SparkScan:
    """A full scan of November's package on Spark local[2], every rule of the library: the slowest
    step of the Spark tests, done once for the engines' equality (test_engine_spark.py) and as the
    previous result of the incremental Spark scan (test_engine_incremental.py)."""
    pytest.importorskip("pyspark")
    out = tmp_path_factory.mktemp("spark-november") / "2025-11-spark"
    package = monthly_packages["2025-11"]
    result = scan(package=package, out=out, as_of=AS_OF, engine="spark", spark_master="local[2]")
    return SparkScan(package=package, out=out, result=result)
