"""DuckDB SQL to Spark SQL: sqlglot's transpiler plus what it cannot carry.

- Macros (shared/macros.sql) do not exist in Spark: calls are inlined into the rule's syntax
  tree before transpiling, so Spark runs the same expressions.
- `date_diff('day', a, b)` becomes Spark's `datediff(b, a)`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlglot
from sqlglot import exp

from lianqing.analytics.engine.library import Macro, load_macros

# sqlglot's expression nodes (exp.Expression; exp.Expr in newer releases).
Tree = Any


@cache
def _macro_trees() -> dict[str, tuple[tuple[str, ...], Tree]]:
    return {macro.name: (macro.args, sqlglot.parse_one(macro.body, read="duckdb")) for macro in load_macros()}


def _inline(node: Tree, macros: dict[str, tuple[tuple[str, ...], Tree]]) -> Tree:
    if isinstance(node, exp.Anonymous) and str(node.this).lower() in macros:
        names, body = macros[str(node.this).lower()]
        arguments = dict(zip(names, node.expressions, strict=True))

        def substitute(inner: Tree) -> Tree:
            if isinstance(inner, exp.Column) and not inner.table and inner.name in arguments:
                return arguments[inner.name].copy()
            return inner

        return exp.Paren(this=body.copy().transform(substitute))
    return node


def inline_macros(tree: Tree, macros: tuple[Macro, ...] | None = None) -> Tree:
    table = (
        _macro_trees()
        if macros is None
        else {macro.name: (macro.args, sqlglot.parse_one(macro.body, read="duckdb")) for macro in macros}
    )
    for _ in range(10):  # macros may call macros
        before = tree.sql(dialect="duckdb")
        tree = tree.transform(lambda node: _inline(node, table))
        if tree.sql(dialect="duckdb") == before:
            return tree
    raise ValueError("macros nest too deeply")


def _day_difference(node: Tree) -> Tree:
    if isinstance(node, exp.DateDiff) and str(node.unit or "").upper() in ("DAY", "'DAY'", ""):
        return exp.Anonymous(this="datediff", expressions=[node.this, node.expression])
    return node


def to_spark(sql: str) -> str:
    """A DuckDB SELECT (or expression list) rewritten as Spark SQL."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    tree = inline_macros(tree).transform(_day_difference)
    return tree.sql(dialect="spark")
