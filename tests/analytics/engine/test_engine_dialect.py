"""DuckDB to Spark SQL: macros inlined, every rule and shared view transpiles."""

from __future__ import annotations

import re

import duckdb
import pytest

from lianqing.analytics.contract import DATASETS
from lianqing.analytics.engine import list_rules
from lianqing.analytics.engine.dialect import to_spark
from lianqing.analytics.engine.library import load_macros, load_shared_views, record_key_macros


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


def test_record_keys_come_from_one_macro_per_contract_dataset() -> None:
    macros = {macro.name: macro for macro in record_key_macros()}
    assert set(macros) == {f"{name}_key" for name in DATASETS}
    assert macros["officials_key"].args == ("person_id", "org_code", "start_date")
    with duckdb.connect() as connection:
        for macro in macros.values():
            connection.execute(f"CREATE MACRO {macro.name}({', '.join(macro.args)}) AS {macro.body}")
        key = connection.execute("SELECT officials_key('110', 'G1', DATE '2020-01-02')").fetchone()
        assert key == ("officials:110|G1|2020-01-02",)
        assert connection.execute("SELECT benefits_key('b1')").fetchone() == ("benefits:b1",)
    # and no rule or shared view spells a record key by hand any more
    spelled = re.compile(r"'[a-z_]+:' \|\|")
    for rule in list_rules():
        assert not spelled.search(rule.sql), rule.id
    for name, select in load_shared_views():
        assert not spelled.search(select), name
