"""Defect 14: intake hints — not our jurisdiction, possible duplicate."""

from __future__ import annotations

from django.urls import reverse

from lianqing.cases.hints import case_intake_hints
from lianqing.core.roles import Role
from tests.cases.factories import act, register_case

TEXT = "某镇干部国庆期间多次用公款在饭店宴请亲友，每次都开具会议费发票报销。"


def _county(org_tree):
    org_tree.commission.region_code = "370124"
    org_tree.commission.save(update_fields=["region_code"])
    return org_tree


def test_a_report_about_another_region_says_transfer(org_tree, make_user, client_for):
    _county(org_tree)
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    elsewhere = register_case(org_tree.commission)
    elsewhere.region_code = "370102"  # 济南市历下区, not 示范县
    elsewhere.save(update_fields=["region_code"])
    ours = register_case(org_tree.commission)  # the commission's own region
    township = register_case(org_tree.commission)
    township.region_code = "370124001"
    township.save(update_fields=["region_code"])

    assert case_intake_hints(case=elsewhere, user=officer).outside_region == "山东省 济南市 历下区"
    assert case_intake_hints(case=ours, user=officer).outside_region == ""
    assert case_intake_hints(case=township, user=officer).outside_region == ""
    body = client_for(officer).get(reverse("cases:detail", args=[elsewhere.pk])).content.decode()
    assert "反映的地区“山东省 济南市 历下区”不在本机关管辖范围内" in body


def test_same_person_or_near_identical_text_is_flagged_as_a_possible_duplicate(
    org_tree, make_user, client_for
):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    first = register_case(org_tree.commission, summary=TEXT, persons=[])
    same_text = register_case(org_tree.commission, summary=TEXT.replace("多次", "几次"), persons=[])
    person = register_case(
        org_tree.commission, summary="另一件事", persons=[{"name": "李四", "org_name": "甲镇"}]
    )
    same_person = register_case(
        org_tree.commission, summary="又一件事", persons=[{"name": "李四", "org_name": "甲镇"}]
    )
    other_li = register_case(
        org_tree.commission, summary="无关", persons=[{"name": "李四", "org_name": "乙局"}]
    )
    unrelated = register_case(org_tree.commission, summary="村干部优亲厚友评定低保。", persons=[])

    hints = case_intake_hints(case=same_text, user=officer)
    assert [(d.case.number, d.why) for d in hints.duplicates] == [(first.number, "内容几乎相同")]
    hints = case_intake_hints(case=same_person, user=officer)
    assert [(d.case.number, d.why) for d in hints.duplicates] == [(person.number, "同一被反映人“李四”")]
    assert case_intake_hints(case=other_li, user=officer).duplicates == []
    assert case_intake_hints(case=unrelated, user=officer).duplicates == []
    body = client_for(officer).get(reverse("cases:detail", args=[same_text.pk])).content.decode()
    assert "可能与以下案件重复" in body
    assert first.number in body


def test_no_hints_once_the_case_is_on_its_way(org_tree, make_user):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    first = register_case(org_tree.commission, summary=TEXT)
    second = register_case(org_tree.commission, summary=TEXT)
    act(second, "merge", officer, original=first)
    assert case_intake_hints(case=second, user=officer).duplicates == []
