"""People with titles and units, places, dates and priority points read from a report."""

from __future__ import annotations

import pytest

from lianqing.analytics.text.facts import TextMention, dates, mentions, places, priority_points


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "我要举报县卫健局汪局长收红包", [TextMention("汪局长", "县卫健局", "局长")], id="surname-title"
        ),
        pytest.param(
            "城关镇党委书记李建国用公车钓鱼",
            [TextMention("李建国", "城关镇党委", "书记")],
            id="title-before-name",
        ),
        pytest.param("反映東嶺鎮張站長吃拿卡要", [TextMention("张站长", "东岭镇", "站长")], id="traditional"),
        pytest.param("县人社局的刘主任", [TextMention("刘主任", "县人社局", "主任")], id="particle"),
        pytest.param("今天天气很好", [], id="nobody"),
    ],
)
def test_mentions_carry_title_and_unit(text: str, expected: list[TextMention]) -> None:
    assert mentions(text) == expected


def test_a_full_name_is_not_named_twice_by_its_title() -> None:
    assert [m.name for m in mentions("汪建国局长收钱，汪局长还打人")] == ["汪建国"]


def test_places_and_dates() -> None:
    text = "局长王红梅2023年5月12日在西河乡大操大办，春节前又在李家庄摆酒"
    assert places(text) == ["西河乡", "李家庄"]
    assert dates(text) == ["2023年5月12日", "春节前"]


def test_priority_points_are_reasons_not_a_score() -> None:
    points = priority_points(
        "汪局长至今还在收钱", is_reporter_named=True, amount=200_000.0, titles=["局长"], repeats=1
    )
    assert [(p.code, p.points) for p in points] == [
        ("real_name", 2),
        ("leader", 2),
        ("very_large_amount", 3),
        ("ongoing", 1),
        ("repeated", 1),
    ]
    assert (
        priority_points("一般情况", is_reporter_named=False, amount=500.0, titles=["会计"], repeats=0) == []
    )
