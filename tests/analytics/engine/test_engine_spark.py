"""The same library on Spark local[2]: hits.csv byte-identical to DuckDB's."""

from __future__ import annotations

from pathlib import Path

import pytest
from rule_kit import AS_OF, SparkScan

from lianqing.analytics.engine import scan

pytest.importorskip("pyspark")

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def test_spark_and_duckdb_write_identical_hits(spark_november: SparkScan, tmp_path: Path) -> None:
    # Given a generated package with OCDS releases (every rule has planted hits), scanned on
    # Spark (the session's scan, which the incremental Spark test continues from)
    package = spark_november.package
    # When DuckDB scans it too
    duck = scan(package=package, as_of=AS_OF, out=tmp_path / "duckdb")
    # Then they wrote the same bytes, and Spark ran every rule, the R family included
    duck_bytes = (tmp_path / "duckdb" / "hits.csv").read_bytes()
    assert len(duck.hits) > 27
    assert len({hit.rule_id for hit in duck.hits if hit.rule_id[0] == "R"}) > 3
    assert (spark_november.out / "hits.csv").read_bytes() == duck_bytes
    assert spark_november.result.summary["engine"] == "spark"
    assert not [report.rule_id for report in spark_november.result.reports if report.skipped]
