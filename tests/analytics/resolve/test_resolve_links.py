"""Linking mentions to cadres: each way a report writes a cadre, namesakes, outsiders, abstention."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest
from resolve_kit import HAND_ORGS, hand_officials, person_id

from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.resolve import LINK_THRESHOLD, Mention, Registry, resolve_mentions

WANG_JIANJUN, LI_XINTAO, LIU_JIANGUO = person_id(1), person_id(2), person_id(3)
ZHANG_WEI_CIVIL, ZHANG_WEI_LAND, TENG_TAO = person_id(4), person_id(5), person_id(6)
ZHOU_MING, ZHOU_MIN, KUANG_ZHENBANG = person_id(7), person_id(8), person_id(9)


def resolve_one(registry: Registry, **fields: str):
    return resolve_mentions(registry, [Mention("m1", **fields)])[0]


@pytest.mark.parametrize(
    ("fields", "expected", "reason_codes"),
    [
        pytest.param(
            {"name": "汪局长", "org_text": "云梦县卫健局"},
            WANG_JIANJUN,
            {"surname_homophone", "unit_same", "title_fits"},
            id="homophone-surname-title-abbreviated-unit",
        ),
        pytest.param({"name": "劉建國", "org_text": "民政局"}, LIU_JIANGUO, {"name_exact"}, id="traditional"),
        pytest.param(
            {"name": "lixintao", "org_text": "望湖镇", "position_text": "站长"},
            LI_XINTAO,
            {"name_pinyin", "title_same"},
            id="pinyin-town-title",
        ),
        pytest.param(
            {"name": "李 新 濤", "org_text": "望湖镇农技站"},
            LI_XINTAO,
            {"name_exact"},
            id="spaces-traditional",
        ),
        pytest.param(
            {"name": "玉建军", "org_text": "卫健委"}, WANG_JIANJUN, {"name_lookalike"}, id="lookalike"
        ),
        pytest.param(
            {"name": "邝邦", "org_text": "县民政局"}, KUANG_ZHENBANG, {"name_char_dropped"}, id="dropped"
        ),
        pytest.param(
            {"name": "邝振振邦", "org_text": "民政局"}, KUANG_ZHENBANG, {"name_char_extra"}, id="extra"
        ),
        pytest.param(
            {"name": "滕韬", "org_text": "国土局"}, TENG_TAO, {"unit_same_former"}, id="unit-the-cadre-left"
        ),
        pytest.param({"name": "滕韬", "org_text": "人社局"}, TENG_TAO, {"unit_same"}, id="current-unit"),
        pytest.param(
            {"name": "张伟", "org_text": "县民政局"},
            ZHANG_WEI_CIVIL,
            {"unit_same"},
            id="namesake-told-by-unit",
        ),
        pytest.param(
            {"name": "周副书记", "org_text": "望湖镇党委"}, ZHOU_MIN, {"title_same"}, id="deputy-secretary"
        ),
    ],
)
def test_a_cadre_written_the_way_reports_write_is_linked(registry, fields, expected, reason_codes) -> None:
    link = resolve_one(registry, **fields)

    assert link.person_id == expected, link.candidates[:2]
    assert LINK_THRESHOLD <= link.score <= 1
    assert reason_codes <= {reason.code for reason in link.reasons}
    assert all(reason.text for reason in link.reasons)


def test_namesakes_by_name_alone_abstain_with_both_as_candidates(registry) -> None:
    link = resolve_one(registry, name="张伟")

    assert link.person_id is None
    assert link.is_abstention
    ids = [candidate.person_id for candidate in link.candidates]
    assert {ZHANG_WEI_CIVIL, ZHANG_WEI_LAND} <= set(ids)


def test_a_title_that_fits_two_cadres_of_the_unit_abstains(registry) -> None:
    # 周明 is 书记 and 周敏 副书记 of 望湖镇党委: "周书记" fits both (the 书记 a little better)
    link = resolve_one(registry, name="周书记", org_text="望湖镇党委")

    assert link.person_id is None
    assert [c.person_id for c in link.candidates[:2]] == [ZHOU_MING, ZHOU_MIN]
    assert link.candidates[0].score - link.candidates[1].score < 0.5


def test_a_rare_name_alone_is_a_candidate_not_a_link(registry) -> None:
    link = resolve_one(registry, name="滕韬")

    assert link.person_id is None
    assert link.candidates[0].person_id == TENG_TAO


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"name": "李小二", "org_text": "望湖镇前村"}, id="citizen"),
        pytest.param({"name": "刘建国", "org_text": "金江县民政局"}, id="namesake-of-another-county"),
        pytest.param(
            {"name": "王建军", "org_text": "某建筑公司", "position_text": "经理"}, id="namesake-citizen"
        ),
        pytest.param({"name": "", "org_text": ""}, id="empty"),
    ],
)
def test_people_outside_the_registry_are_not_linked(registry, fields) -> None:
    assert resolve_one(registry, **fields).person_id is None


def test_a_common_name_is_weaker_evidence_than_a_rare_one(registry) -> None:
    # six cadres are called 王伟, one 滕韬: agreeing on 王伟 is worth log2(6) bits less
    common_link = resolve_one(registry, name="王伟")
    rare_link = resolve_one(registry, name="滕韬")

    def name_weight(link) -> float:
        return next(r.weight for r in link.candidates[0].reasons if r.code == "name_exact")

    count = registry.name_counts["王伟"]
    assert count >= 6
    assert registry.name_counts["滕韬"] == 1
    assert name_weight(rare_link) - name_weight(common_link) == pytest.approx(math.log2(count))
    assert common_link.candidates[0].score < 0.2 < rare_link.candidates[0].score


def test_one_link_per_mention_in_input_order_with_at_most_five_candidates(registry) -> None:
    mentions = [
        Mention(f"m{i}", name=name) for i, name in enumerate(["王局长", "张伟", "李新涛", "nobody", "王伟"])
    ]

    links = resolve_mentions(registry, mentions)

    assert [link.mention_id for link in links] == [m.mention_id for m in mentions]
    for link in links:
        assert len(link.candidates) <= 5
        scores = [c.score for c in link.candidates]
        assert scores == sorted(scores, reverse=True)
        assert all(0 <= s <= 1 for s in scores)
        assert link.candidates_text().count(";") == max(len(link.candidates) - 1, 0)


def test_arrow_tables_and_rows_give_the_same_links(background) -> None:
    officials = background.officials + hand_officials()
    orgs = background.orgs + HAND_ORGS
    from_rows = Registry.from_tables(officials=officials, orgs=orgs)
    from_arrow = Registry.from_tables(
        officials=pa.Table.from_pylist(officials), orgs=pa.Table.from_pylist(orgs)
    )
    mentions = [Mention("a", name="汪局长", org_text="卫健局"), Mention("b", name="张伟", org_text="国土局")]

    assert resolve_mentions(from_rows, mentions) == resolve_mentions(from_arrow, mentions)


def test_rows_in_memory_missing_a_column_are_named() -> None:
    with pytest.raises(AnalyticsError, match=r"officials.*org_code"):
        Registry.from_tables(officials=[{"person_id": person_id(1), "name": "王建军"}])


def test_a_malformed_id_in_memory_is_named_with_its_row() -> None:
    rows = [*hand_officials(), {"person_id": "42092319800101", "name": "某某", "org_code": "YMCIV"}]

    with pytest.raises(AnalyticsError, match=f"officials 第 {len(rows)} 行 列 person_id"):
        Registry.from_tables(officials=rows)


def test_one_person_under_two_ids_is_reported_not_merged() -> None:
    officials = [
        *hand_officials(),
        {
            "person_id": person_id(30, birth="19751212"),
            "name": "赵红",
            "org_code": "YMCIV",
            "position": "科员",
        },
        {
            "person_id": person_id(31, birth="19751212"),
            "name": "赵红",
            "org_code": "YMNAT",
            "position": "科员",
        },
    ]

    registry = Registry.from_tables(officials=officials, orgs=HAND_ORGS)

    assert len(registry.duplicates) == 1
    duplicate = registry.duplicates[0]
    assert (duplicate.name, duplicate.birth_date) == ("赵红", "1975-12-12")
    assert set(duplicate.person_ids) == {person_id(30, birth="19751212"), person_id(31, birth="19751212")}
    assert set(duplicate.person_ids) <= set(registry.person_ids)
