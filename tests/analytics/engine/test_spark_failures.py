"""A Spark scan whose driver loses its cluster mid-way: a clear message and no result folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from rule_kit import PackageFactory, benefit
from rule_kit import person_id as pid

from lianqing.analytics.engine import scan
from lianqing.analytics.engine.spark import stop_spark_sessions
from lianqing.analytics.errors import AnalyticsError

pytest.importorskip("pyspark")

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def test_a_spark_context_lost_mid_scan_is_a_clear_error_and_leaves_no_result(
    make_package: PackageFactory, tmp_path: Path
) -> None:
    package = make_package({"benefits": [benefit("b1", pid(1), "2024-03"), benefit("b2", pid(1), "2024-03")]})
    out = tmp_path / "result"

    def stop_at_the_second_rule(rule_id: str, index: int, total: int) -> None:
        if index == 2:  # the driver's SparkContext really stops, as when its cluster goes away
            stop_spark_sessions()

    with pytest.raises(AnalyticsError) as raised:
        scan(
            package=package,
            out=out,
            as_of="2025-12-31",
            engine="spark",
            spark_master="local[1]",
            progress=stop_at_the_second_rule,
        )
    assert str(raised.value) == "Spark 集群 local[1] 在扫描中断开或其工作节点已退出，扫描未完成"
    assert sorted(path.name for path in tmp_path.iterdir() if "result" in path.name) == []
