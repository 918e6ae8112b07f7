"""Linking reported persons to cadres: suggestion with reasons, abstention, one decision kept."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from lianqing.cases.models import ReportedPerson
from lianqing.core.roles import Role
from lianqing.dossiers.errors import DossierError
from lianqing.dossiers.models import LinkStatus, MentionLink
from lianqing.dossiers.services import case_links_suggest, mention_link_decide
from tests.cases.factories import register_case
from tests.conftest import verified_client
from tests.dossiers.factories import cadre_in_post


def _case_naming(org, *persons):  # type: ignore[no-untyped-def]
    return register_case(org, persons=[{"name": n, "org_name": o, "position": p} for n, o, p in persons])


def test_same_sound_surname_title_and_unit_abbreviation_suggest_the_cadre(registry, org_tree):
    case = _case_naming(org_tree.commission, ("汪局长", "卫健局", ""))
    assert case_links_suggest(case_id=case.pk) == 1
    link = MentionLink.objects.get(case_id=case.pk)
    assert link.status == LinkStatus.SUGGESTED
    assert link.suggested == registry.wang
    assert link.score is not None
    assert link.score >= 0.8
    text = " ".join(reason["text"] for reason in link.reasons)
    assert "同音" in text
    assert "卫生健康局" in text
    assert "局长" in text


def test_two_cadres_fitting_alike_abstain_and_list_both(registry, org_tree):
    namesake = cadre_in_post(
        org=org_tree.commission, name="刘芳", unit=registry.health, position="科员", serial=21
    )
    case = _case_naming(org_tree.commission, ("刘芳", "", ""))
    case_links_suggest(case_id=case.pk)
    link = MentionLink.objects.get(case_id=case.pk)
    assert link.status == LinkStatus.ABSTAINED
    assert link.suggested is None
    assert {c["cadre_id"] for c in link.candidates} == {registry.liu.pk, namesake.pk}


def test_a_citizen_not_in_the_registry_is_not_linked(registry, org_tree):
    case = _case_naming(org_tree.commission, ("赵大勇", "某村", "村民"))
    case_links_suggest(case_id=case.pk)
    link = MentionLink.objects.get(case_id=case.pk)
    assert link.status == LinkStatus.UNMATCHED
    assert link.suggested is None
    assert link.candidates == []


def test_confirm_links_the_report_and_is_never_asked_again(registry, org_tree, make_user):
    handler = make_user(Role.PETITION, org=org_tree.petition_office)
    case = _case_naming(org_tree.commission, ("汪局长", "卫健局", ""))
    case_links_suggest(case_id=case.pk)
    link = MentionLink.objects.get(case_id=case.pk)
    mention_link_decide(link_id=link.pk, user=handler, confirm=True)
    assert ReportedPerson.objects.get(pk=link.mention_id).cadre_key == str(registry.wang.pk)
    # recomputing leaves the decision alone, and a second decision is refused
    assert case_links_suggest(case_id=case.pk) == 0
    with pytest.raises(DossierError, match="不再重复询问"):
        mention_link_decide(link_id=link.pk, user=handler, confirm=False)
    link.refresh_from_db()
    assert link.status == LinkStatus.CONFIRMED
    assert link.cadre == registry.wang


def test_confirming_someone_outside_the_candidates_is_refused(registry, org_tree, make_user):
    handler = make_user(Role.PETITION, org=org_tree.petition_office)
    case = _case_naming(org_tree.commission, ("汪局长", "卫健局", ""))
    case_links_suggest(case_id=case.pk)
    link = MentionLink.objects.get(case_id=case.pk)
    with pytest.raises(DossierError):
        mention_link_decide(link_id=link.pk, user=handler, confirm=True, cadre=registry.town_cadre)
    assert ReportedPerson.objects.get(pk=link.mention_id).cadre_key == ""


def test_reject_keeps_the_decision_and_links_nothing(registry, org_tree, make_user):
    handler = make_user(Role.PETITION, org=org_tree.petition_office)
    case = _case_naming(org_tree.commission, ("汪局长", "卫健局", ""))
    case_links_suggest(case_id=case.pk)
    link = MentionLink.objects.get(case_id=case.pk)
    mention_link_decide(link_id=link.pk, user=handler, confirm=False)
    link.refresh_from_db()
    assert link.status == LinkStatus.REJECTED
    assert link.cadre is None
    assert ReportedPerson.objects.get(pk=link.mention_id).cadre_key == ""


@pytest.mark.django_db(transaction=True)
def test_registering_a_case_queues_the_suggestion_for_the_worker(registry, org_tree):
    case = _case_naming(org_tree.commission, ("汪局长", "卫健局", ""))
    assert not MentionLink.objects.filter(case_id=case.pk).exists()
    call_command("db_worker", batch=True, reload=False, startup_delay=False)
    assert MentionLink.objects.get(case_id=case.pk).suggested_id == registry.wang.pk


def test_case_page_shows_the_suggestion_and_one_click_confirms(registry, org_tree, make_user):
    handler = make_user(Role.PETITION, org=org_tree.petition_office)
    case = _case_naming(org_tree.commission, ("汪局长", "卫健局", ""))
    case_links_suggest(case_id=case.pk)
    link = MentionLink.objects.get(case_id=case.pk)
    client = verified_client(handler)
    panel = client.get(reverse("dossiers:case_links", args=[case.pk])).content.decode()
    assert "王建国" in panel
    assert "县卫生健康局" in panel
    assert f"confirm-{link.pk}" in panel
    response = client.post(
        reverse("dossiers:link_decide", args=[link.pk]),
        {"decision": "confirm", "cadre": registry.wang.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "已确认为" in response.content.decode()


def test_decisions_need_a_case_the_user_sees(registry, org_tree, make_user):
    outsider = make_user(Role.PETITION, org=org_tree.township_b)
    case = _case_naming(org_tree.commission, ("汪局长", "卫健局", ""))
    case_links_suggest(case_id=case.pk)
    link = MentionLink.objects.get(case_id=case.pk)
    client = verified_client(outsider)
    assert client.get(reverse("dossiers:case_links", args=[case.pk])).status_code == 404
    response = client.post(reverse("dossiers:link_decide", args=[link.pk]), {"decision": "confirm"})
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.status == LinkStatus.SUGGESTED


def test_a_case_naming_nobody_shows_no_panel(registry, org_tree, make_user):
    case = register_case(org_tree.commission, persons=[])
    client = verified_client(make_user(Role.PETITION, org=org_tree.petition_office))
    panel = client.get(reverse("dossiers:case_links", args=[case.pk])).content.decode()
    assert "被反映人与干部档案" not in panel
    assert 'id="case-links"' in panel


def test_a_second_decision_in_the_panel_shows_why_it_was_refused(registry, org_tree, make_user):
    handler = make_user(Role.PETITION, org=org_tree.petition_office)
    case = _case_naming(org_tree.commission, ("汪局长", "卫健局", ""))
    case_links_suggest(case_id=case.pk)
    link = MentionLink.objects.get(case_id=case.pk)
    client = verified_client(handler)
    url = reverse("dossiers:link_decide", args=[link.pk])
    client.post(url, {"decision": "reject"}, HTTP_HX_REQUEST="true")
    again = client.post(url, {"decision": "confirm", "cadre": registry.wang.pk}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200  # htmx swaps it in
    assert 'id="link-error"' in again.content.decode()
    link.refresh_from_db()
    assert link.status == LinkStatus.REJECTED
