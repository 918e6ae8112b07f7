"""DuckDB to Spark SQL: macros inlined, every rule and shared view transpiles."""

from __future__ import annotations

import pytest

from lianqing.analytics.engine import list_rules
from lianqing.analytics.engine.dialect import to_spark
from lianqing.analytics.engine.library import load_macros, load_shared_views


def test_macros_are_inlined_with_their_arguments() -> None:
    spark_sql = to_spark("SELECT in_post(o.start_date, o.end_date, period_start(b.period)) FROM o, b")
    assert "in_post" not in spark_sql
    assert "period_start" not in spark_sql
    assert "o.start_date <= (CAST(b.period || '-01' AS DATE))" in spark_sql


def test_day_difference_uses_spark_datediff() -> None:
    assert "DATEDIFF(CAST(t.time AS DATE), CAST('1970-01-01' AS DATE))" in to_spark(
        "SELECT day_index(t.time) FROM t"
    )


def test_parameters_become_spark_named_markers() -> None:
    assert "> :per_head_max * e.headcount" in to_spark(
        "SELECT * FROM e WHERE e.amount > $per_head_max * e.headcount"
    )


@pytest.mark.parametrize("rule", list_rules(), ids=lambda rule: rule.id)
def test_every_rule_transpiles_without_macros(rule: object) -> None:
    spark_sql = to_spark(rule.sql)  # type: ignore[attr-defined]
    assert not any(f"{macro.name}(" in spark_sql for macro in load_macros())


def test_every_shared_view_transpiles() -> None:
    for name, select_sql in load_shared_views():
        assert to_spark(select_sql).startswith(("SELECT", "WITH")), name
