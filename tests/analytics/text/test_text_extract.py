"""Amounts and names as citizens write them."""

from __future__ import annotations

import pytest

from lianqing.analytics.text.amounts import amounts, largest_amount
from lianqing.analytics.text.persons import add_words, persons


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("收了¥3,000的红包", 3000),
        ("一顿饭花了三千元", 3000),
        ("给了他3千块才办成", 3000),
        ("合同额1.2万元", 12000),
        ("少说也有两万五", 25000),
        ("每年分红三十多万", 300000),
        ("收受贿赂一百二十万元", 1200000),
        ("拿了500块钱", 500),
        ("每户少发800元，少说也有5万", 50000),
        ("价值￥１２００元的购物卡", 1200),  # full-width digits and sign
    ],
)
def test_the_largest_sum_however_written(text: str, expected: float) -> None:
    from lianqing.analytics.text.normalize import clean

    assert largest_amount(clean(text)) == expected


@pytest.mark.parametrize(
    "text", ["摆了五十多桌", "3月15日晚上", "2024年国庆期间", "一万多人参加", "找了10次"]
)
def test_numbers_that_are_not_money_are_not_amounts(text: str) -> None:
    assert amounts(text) == []


def test_names_without_titles_in_order_and_once() -> None:
    text = "县卫健局局长汪建国收了老板三千块钱，王伟书记也去吃喝了，汪建国还开公车。"
    assert persons(text) == ["汪建国", "王伟"]


def test_a_surname_with_a_title_alone_is_not_a_name_and_words_stay_words() -> None:
    assert persons("汪局长公车私用") == []
    assert persons("周末高兴地去了王国") == []


def test_traditional_names_come_back_as_written() -> None:
    assert persons("劉建國收受賄賂") == ["劉建國"]


def test_the_user_dictionary_keeps_unit_names_out_of_the_names() -> None:
    add_words(["柳林镇"], tag="ns")
    assert "柳林镇" not in persons("柳林镇的干部孙红梅收钱")
    assert "孙红梅" in persons("柳林镇的干部孙红梅收钱")
