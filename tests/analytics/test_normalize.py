from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from lianqing.analytics import normalize


def _apply(expression: str, value: str | None) -> object:
    connection = duckdb.connect()
    return connection.execute(
        f"SELECT {expression} FROM (SELECT CAST(? AS VARCHAR) AS x)", [value]
    ).fetchone()[0]  # type: ignore[index]


MAY_FIRST = dt.date(2023, 5, 1)


@pytest.mark.parametrize(
    "text",
    [
        "2023-05-01",
        "2023/5/1",
        "2023.5.1",
        "2023年5月1日",
        "20230501",
        "45047",
        "2023-05-01 08:30:00",
        "２０２３－０５－０１",
    ],
)
def test_dates_written_every_way_become_one_date(text: str) -> None:
    assert _apply(normalize.date_sql("x"), text) == MAY_FIRST


@pytest.mark.parametrize("text", ["abc", "2023-13-01", "5/1", ""])
def test_unreadable_dates_become_null(text: str) -> None:
    assert _apply(normalize.date_sql("x"), text) is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1,234.50元", Decimal("1234.50")),
        ("¥1234.5", Decimal("1234.50")),
        ("￥ 800", Decimal("800.00")),
        ("-30.00", Decimal("-30.00")),
        ("RMB 12", Decimal("12.00")),
    ],
)
def test_amounts(text: str, amount: Decimal) -> None:
    assert _apply(normalize.amount_sql("x"), text) == amount


@pytest.mark.parametrize(
    ("text", "period"),
    [("2023年5月", "2023-05"), ("202305", "2023-05"), ("2023/5", "2023-05"), ("2023-05-17", "2023-05")],
)
def test_periods(text: str, period: str) -> None:
    assert _apply(normalize.period_sql("x"), text) == period


@pytest.mark.parametrize(
    ("text", "value"), [("是", True), ("否", False), ("1", True), ("0", False), ("Y", True), ("maybe", None)]
)
def test_booleans(text: str, value: bool | None) -> None:
    assert _apply(normalize.boolean_sql("x"), text) is value


@pytest.mark.parametrize(
    "text",
    [
        "11010519491231002X",
        "11010519491231002x",
        " 110105 19491231 002X ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105491231002",
    ],
)
def test_person_ids_are_cleaned_and_old_numbers_upgraded(text: str) -> None:
    assert _apply(normalize.person_id_sql("x"), text) == "11010519491231002X"


def test_timestamps() -> None:
    assert _apply(normalize.timestamp_sql("x"), "2024年1月2日 10:05") == dt.datetime(2024, 1, 2, 10, 5)
    assert _apply(normalize.timestamp_sql("x"), "2024/1/2 10:05:09") == dt.datetime(2024, 1, 2, 10, 5, 9)
