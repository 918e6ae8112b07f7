"""Small-cell suppression: an attacker with every published number (cells, row and column totals,
the grand total) tries to recover each suppressed cell, by differences and by linear
programming over the table's equations, and fails."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from scipy.optimize import linprog

from lianqing.publicity.statistics import published_table, statistics_tables

MONTHS = [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]


def _published_grid(table) -> list[list[int | None]]:
    return [*[row["cells"] for row in table["rows"]], table["totals"]]


def _recover_by_differences(grid: list[list[int | None]]) -> dict[tuple[int, int], int]:
    """Repeatedly solve any row or column (totals included) with one unknown left."""
    grid = [row[:] for row in grid]
    known: dict[tuple[int, int], int] = {}
    rows, columns = len(grid), len(grid[0])
    lines = [[(r, c) for c in range(columns)] for r in range(rows)] + [
        [(r, c) for r in range(rows)] for c in range(columns)
    ]
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [p for p in line if grid[p[0]][p[1]] is None]
            if len(unknown) != 1:
                continue
            *parts, total = line
            (r, c) = unknown[0]
            if unknown[0] == total:
                value = sum(grid[p[0]][p[1]] for p in parts)
            else:
                value = grid[total[0]][total[1]] - sum(grid[p[0]][p[1]] for p in parts if p != unknown[0])
            grid[r][c] = value
            known[(r, c)] = value
            progress = True
    return known


def _recover_by_linear_programming(grid: list[list[int | None]]) -> dict[tuple[int, int], float]:
    """Any suppressed cell whose smallest and largest feasible values coincide."""
    rows, columns = len(grid), len(grid[0])
    unknowns = [(r, c) for r in range(rows) for c in range(columns) if grid[r][c] is None]
    index = {p: i for i, p in enumerate(unknowns)}
    a_eq, b_eq = [], []
    lines = [[(r, c) for c in range(columns)] for r in range(rows)] + [
        [(r, c) for r in range(rows)] for c in range(columns)
    ]
    for line in lines:
        *parts, total = line
        row = np.zeros(len(unknowns))
        constant = 0.0
        for p in parts:
            if p in index:
                row[index[p]] += 1
            else:
                constant -= grid[p[0]][p[1]]
        if total in index:
            row[index[total]] -= 1
        else:
            constant += grid[total[0]][total[1]]
        if row.any():
            a_eq.append(row)
            b_eq.append(constant)
    recovered = {}
    for p, i in index.items():
        objective = np.zeros(len(unknowns))
        objective[i] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * len(unknowns), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * len(unknowns), method="highs")
        if high.status == 0 and abs(-high.fun - low.fun) < 0.5:
            recovered[p] = low.fun
    return recovered


def _table(counts: dict[tuple[str, dt.date], int], rows: list[str], threshold: int = 5):
    return published_table(
        key="t", row_keys=rows, row_labels=rows, months=MONTHS, counts=counts, threshold=threshold
    )


def test_one_small_cell_is_not_revealed_by_totals():
    counts = {
        ("a", MONTHS[0]): 3,
        ("a", MONTHS[1]): 20,
        ("a", MONTHS[2]): 30,
        ("b", MONTHS[0]): 40,
        ("b", MONTHS[1]): 50,
        ("b", MONTHS[2]): 60,
    }
    table = _table(counts, ["a", "b"])
    grid = _published_grid(table)
    assert grid[0][0] is None  # the 3
    assert sum(cell is None for row in grid for cell in row) >= 4  # a rectangle at least
    assert _recover_by_differences(grid) == {}
    assert _recover_by_linear_programming(grid) == {}


def test_small_totals_are_suppressed_too():
    counts = {("a", MONTHS[0]): 2, ("b", MONTHS[0]): 30, ("b", MONTHS[1]): 30, ("c", MONTHS[2]): 40}
    grid = _published_grid(_table(counts, ["a", "b", "c"]))
    assert grid[0][3] is None  # row a's total is 2
    assert _recover_by_linear_programming(grid) == {}


@pytest.mark.parametrize("seed", range(20))
def test_random_tables_reveal_no_suppressed_cell(seed):
    rng = random.Random(seed)
    rows = [f"r{i}" for i in range(rng.randint(1, 6))]
    counts = {}
    for row in rows:
        for month in MONTHS:
            value = rng.choice(
                [0, 0, 1, 2, 3, 4, rng.randint(5, 60), rng.randint(5, 60), rng.randint(5, 200)]
            )
            if value:
                counts[(row, month)] = value
    table = _table(counts, rows)
    grid = _published_grid(table)
    truth = [[counts.get((row, month), 0) for month in MONTHS] for row in rows]
    # Every small non-zero value is hidden, everything shown is true
    for r, row in enumerate(truth):
        for c, value in enumerate(row):
            if 0 < value < 5:
                assert grid[r][c] is None
            elif grid[r][c] is not None:
                assert grid[r][c] == value
    assert _recover_by_differences(grid) == {}
    assert _recover_by_linear_programming(grid) == {}


def test_tables_read_the_cases_statistics_through_its_selector(org_tree):
    from lianqing.cases.models import CaseMonthTally

    for value, month, cases in (
        ("online", MONTHS[0], 12),
        ("online", MONTHS[1], 2),
        ("letter", MONTHS[0], 9),
        ("letter", MONTHS[1], 8),
    ):
        CaseMonthTally.objects.create(
            dimension="source",
            month=month,
            org=org_tree.township_a,
            confidentiality=0,
            value=value,
            cases=cases,
        )
    tables = {
        t["key"]: t
        for t in statistics_tables(
            org_path=org_tree.commission.path, start=MONTHS[0], end=dt.date(2025, 3, 31)
        )
    }
    source = tables["source"]
    assert [row["key"] for row in source["rows"]] == ["online", "letter"]
    assert source["rows"][0]["cells"][0] == 12 or source["rows"][0]["cells"][0] is None
    assert source["rows"][0]["cells"][1] is None  # the 2
    assert _recover_by_linear_programming(_published_grid(source)) == {}
    assert tables["category"]["rows"] == []
