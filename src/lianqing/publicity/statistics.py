"""Public statistics: the cases app's monthly counts (through its selector) as tables with
small-cell suppression.

A table is rows × months with row totals, column totals and a grand total, all published
cells. Primary suppression: any cell (totals included) with 0 < value < threshold. Complementary
suppression: more cells are hidden until no suppressed cell can be worked out from the published
ones — checked exactly by linear programming over the table's equations (each row and column
adds up to its total), so differences of totals and combinations of rows and columns reveal
nothing: every suppressed cell can take at least two values consistent with what is published.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.utils.translation import gettext_lazy as _
from scipy.optimize import linprog

from lianqing.cases.models import Category, Disposal, FourForms, Source
from lianqing.cases.selectors import public_month_counts

DEFAULT_THRESHOLD = 5
TABLE_TITLES = {
    "category": _("受理信访举报（按问题类别）"),
    "source": _("受理信访举报（按渠道）"),
    "disposal": _("处置问题线索（五类处置方式）"),
    "form": _("运用监督执纪“四种形态”"),
    "outcome": _("立案与处分"),
}
OUTCOME_LABELS = {"filed": _("立案审查调查"), "sanctioned": _("党纪处分"), "judicial": _("移送司法机关")}

Grid = list[list[int]]  # (rows + 1) × (columns + 1): the last row and column are the totals


def _grid(interior: list[list[int]]) -> Grid:
    rows = [[*row, sum(row)] for row in interior]
    columns = len(interior[0]) if interior else 0
    totals = [sum(row[c] for row in rows) for c in range(columns + 1)]
    return [*rows, totals]


def _equations(rows: int, columns: int) -> list[list[tuple[int, int]]]:
    """Each line of the grid: cells whose first ones add up to the last one."""
    lines = [[(r, c) for c in range(columns + 1)] for r in range(rows + 1)]
    lines += [[(r, c) for r in range(rows + 1)] for c in range(columns + 1)]
    return lines


def cell_range(grid: Grid, hidden: set[tuple[int, int]], cell: tuple[int, int]) -> tuple[float, float]:
    """The smallest and largest value of `cell` consistent with the published cells (an
    attacker's best bounds: non-negative values, every row and column adding up)."""
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    unknowns = sorted(hidden)
    index = {position: i for i, position in enumerate(unknowns)}
    a_eq, b_eq = [], []
    for line in _equations(rows, columns):
        coefficients = np.zeros(len(unknowns))
        constant = 0.0
        *parts, total = line
        for position in parts:
            if position in index:
                coefficients[index[position]] += 1
            else:
                constant -= grid[position[0]][position[1]]
        if total in index:
            coefficients[index[total]] -= 1
        else:
            constant += grid[total[0]][total[1]]
        if coefficients.any():
            a_eq.append(coefficients)
            b_eq.append(constant)
    objective = np.zeros(len(unknowns))
    objective[index[cell]] = 1
    bounds = [(0, None)] * len(unknowns)
    low = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
    upper = -high.fun if high.status == 0 else float("inf")
    return float(low.fun), float(upper)


def suppress(grid: Grid, threshold: int) -> set[tuple[int, int]]:
    """The cells to hide: primary (0 < value < threshold) and enough complementary ones."""
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    primary = {(r, c) for r in range(rows + 1) for c in range(columns + 1) if 0 < grid[r][c] < threshold}
    hidden = set(primary)
    lines = _equations(rows, columns)
    while True:
        changed = False
        # A line with exactly one hidden cell gives it away: hide its smallest other cell.
        for line in lines:
            inside = [p for p in line if p in hidden]
            if len(inside) == 1:
                candidates = [p for p in line if p not in hidden and grid[p[0]][p[1]] > 0] or [
                    p for p in line if p not in hidden
                ]
                hidden.add(min(candidates, key=lambda p: (grid[p[0]][p[1]], p)))
                changed = True
        if changed:
            continue
        # Exact check: every primary cell must stay undetermined.
        for cell in sorted(primary):
            low, high = cell_range(grid, hidden, cell)
            if high - low < 1:
                extra = [p for p in _partners(cell, rows, columns) if p not in hidden]
                if not extra:
                    break
                hidden.add(min(extra, key=lambda p: (grid[p[0]][p[1]] == 0, grid[p[0]][p[1]], p)))
                changed = True
                break
        if not changed:
            return hidden


def _partners(cell: tuple[int, int], rows: int, columns: int) -> list[tuple[int, int]]:
    r, c = cell
    return [(r, j) for j in range(columns + 1) if j != c] + [(i, c) for i in range(rows + 1) if i != r]


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _labels(dimension: str) -> dict[str, str]:
    if dimension == "category":
        return {k: str(v) for k, v in Category.choices}
    if dimension == "source":
        return {k: str(v) for k, v in Source.choices}
    if dimension == "disposal":
        return {k: str(v) for k, v in Disposal.choices}
    if dimension == "form":
        return {str(k): str(v) for k, v in FourForms.choices}
    return {k: str(v) for k, v in OUTCOME_LABELS.items()}


def published_table(
    *,
    key: str,
    row_keys: list[str],
    row_labels: list[str],
    months: list[dt.date],
    counts: dict[tuple[str, dt.date], int],
    threshold: int,
) -> dict[str, Any]:
    """One table as published: values, with None where a cell is suppressed."""
    interior = [[counts.get((row, month), 0) for month in months] for row in row_keys]
    grid = _grid(interior) if interior else [[0] * (len(months) + 1)]
    hidden = suppress(grid, threshold) if interior else set()
    shown = [
        [None if (r, c) in hidden else grid[r][c] for c in range(len(grid[0]))] for r in range(len(grid))
    ]
    return {
        "key": key,
        "columns": [m.strftime("%Y-%m") for m in months],
        "rows": [
            {"key": k, "label": label, "cells": shown[i]}
            for i, (k, label) in enumerate(zip(row_keys, row_labels, strict=True))
        ],
        "totals": shown[-1],
        "suppressed": len(hidden),
    }


def statistics_tables(
    *, org_path: str, start: dt.date, end: dt.date, threshold: int = DEFAULT_THRESHOLD
) -> list[dict[str, Any]]:
    """Every public table of the period, suppressed. Row labels are stored in Chinese and
    translated when shown (the keys are kept)."""
    counts = public_month_counts(org_path=org_path, start=start, end=end)
    months = _months(start, end)
    tables = []
    for dimension in TABLE_TITLES:
        labels = _labels(dimension)
        table_counts = {(str(value), month): n for (value, month), n in counts.get(dimension, {}).items()}
        present = {value for value, _month in table_counts}
        row_keys = [k for k in labels if k in present] + sorted(present - set(labels))
        tables.append(
            published_table(
                key=dimension,
                row_keys=row_keys,
                row_labels=[labels.get(k, k) for k in row_keys],
                months=months,
                counts=table_counts,
                threshold=threshold,
            )
        )
    return tables
