"""How written names and units are read: traditional, full-width, pinyin, titles, look-alikes."""

from __future__ import annotations

import pytest

from lianqing.analytics.resolve.scoring import name_level
from lianqing.analytics.resolve.text import is_lookalike, parse_name, registry_name, title_fits
from lianqing.analytics.resolve.units import UnitFit, canonical_unit, unit_fit


@pytest.mark.parametrize(
    ("written", "text", "surname", "title", "is_pinyin"),
    [
        pytest.param("劉建國", "刘建国", "刘", "", False, id="traditional"),
        pytest.param("王　建 国", "王建国", "王", "", False, id="spaces-full-width"),
        pytest.param("ｌｉｘｉｎｔａｏ", "lixintao", "", "", True, id="full-width-pinyin"),
        pytest.param("Li Xintao", "lixintao", "", "", True, id="pinyin-with-space"),
        pytest.param("王局长", "王", "王", "局长", False, id="surname-title"),
        pytest.param("汪副局长", "汪", "汪", "副局长", False, id="surname-deputy-title"),
        pytest.param("王建国局长", "王建国", "王", "局长", False, id="name-title"),
        pytest.param("欧阳小明", "欧阳小明", "欧阳", "", False, id="compound-surname"),
    ],
)
def test_written_names_are_read_into_surname_given_and_title(
    written, text, surname, title, is_pinyin
) -> None:
    name = parse_name(written)

    assert (name.text, name.surname, name.title, name.is_pinyin) == (text, surname, title, is_pinyin)


@pytest.mark.parametrize(
    ("written", "registered", "level"),
    [
        pytest.param("劉建國", "刘建国", "name_exact", id="traditional"),
        pytest.param("汪建国", "王建国", "name_homophone", id="homophone-surname"),
        pytest.param("王建郭", "王建国", "name_homophone", id="homophone-given"),
        pytest.param("玉建国", "王建国", "name_lookalike", id="lookalike"),
        pytest.param("lixintao", "李新涛", "name_pinyin", id="pinyin"),
        pytest.param("xintaoli", "李新涛", "name_pinyin", id="pinyin-given-first"),
        pytest.param("王国", "王建国", "name_char_dropped", id="dropped"),
        pytest.param("王建建国", "王建国", "name_char_extra", id="extra"),
        pytest.param("王局长", "王建国", "surname", id="surname-title"),
        pytest.param("汪局长", "王建国", "surname_homophone", id="homophone-surname-title"),
        pytest.param("赵建国", "王建国", "name_differs", id="other-surname"),
        pytest.param("王小明", "王建国", "name_differs", id="other-name"),
    ],
)
def test_name_levels(written, registered, level) -> None:
    assert name_level(parse_name(written), registry_name(registered)) == level


def test_titles_fit_the_deputy_but_not_the_other_way() -> None:
    assert title_fits("局长", "副局长")
    assert title_fits("书记", "党委书记")
    assert not title_fits("副局长", "局长")
    assert not title_fits("局长", "科员")


def test_look_alike_table_is_symmetric_for_common_pairs() -> None:
    for a, b in [("王", "玉"), ("己", "已"), ("未", "末"), ("戊", "戌")]:
        assert is_lookalike(a, b)
        assert is_lookalike(b, a)
    assert not is_lookalike("王", "李")


@pytest.mark.parametrize(
    ("written", "registered", "fit"),
    [
        pytest.param("卫健局", "云梦县卫生健康委员会", UnitFit.SAME, id="abbreviation"),
        pytest.param("县卫健局", "云梦县卫生健康局", UnitFit.SAME, id="county-left-out"),
        pytest.param("人社局", "云梦县人力资源和社会保障局", UnitFit.SAME, id="hr"),
        pytest.param("国土局", "云梦县自然资源局", UnitFit.SAME, id="older-name"),
        pytest.param("县民政局", "云梦县民政局", UnitFit.SAME, id="county-word"),
        pytest.param("城关镇党委", "中共云梦县城关镇委员会", UnitFit.SAME, id="party-committee"),
        pytest.param("衛生健康局", "云梦县卫生健康局", UnitFit.SAME, id="traditional"),
        pytest.param("望湖镇", "云梦县望湖镇人民政府", UnitFit.PART, id="town-only"),
        pytest.param("县民证局", "云梦县民政局", UnitFit.SIMILAR, id="typo"),
        pytest.param("金江县城市管理局", "松泽县城市管理局", UnitFit.NONE, id="other-county"),
        pytest.param("县卫健局", "云梦县民政局", UnitFit.NONE, id="other-department"),
    ],
)
def test_unit_texts_fit_registry_units(written, registered, fit) -> None:
    assert unit_fit(canonical_unit(written), canonical_unit(registered)) is fit
