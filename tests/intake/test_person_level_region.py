"""被反映人 级别 and 所在地区, and the commission level the reporter chooses: on the form and in
the JSON API under the same rules, stored plainly with the report (they are about the reported
person, not the reporter), and shown to staff by name in either language."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lianqing.core.roles import Role
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.models import Report
from tests.intake.conftest import FORM_DATA
from tests.intake.test_api import PAYLOAD, _challenge

WITH_LEVEL = {
    **FORM_DATA,
    "person1_level": "county",
    "person1_province": "370000",
    "person1_city": "370100",
    "person1_county": "370124",
    "addressed_level": "city",
}


def _post(client: Client, data: dict[str, str]):
    challenge = challenge_issue()
    payload = {**data, "token": challenge.token, "proof": proof_solve(challenge.token, challenge.bits)}
    return client.post(reverse("intake:report_form"), payload)


def test_form_stores_level_region_and_chosen_commission(client, intake_env):
    response = _post(client, WITH_LEVEL)
    assert response.status_code == 200
    assert 'id="receipt-code"' in response.content.decode()
    report = Report.objects.get()
    person = report.persons.get()
    assert (person.level, person.region_code) == ("county", "370124")
    assert report.addressed_level == "city"


def test_form_without_them_is_still_accepted(client, intake_env):
    assert _post(client, FORM_DATA).status_code == 200
    report = Report.objects.get()
    assert report.addressed_level == ""
    assert (report.persons.get().level, report.persons.get().region_code) == ("", "")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"person1_level": "emperor"}, "person1_level", id="unknown-level"),
        pytest.param({"person1_city": "110100"}, "person1_city", id="city-outside-province"),
        pytest.param({"person1_county": "110101"}, "person1_county", id="county-outside-city"),
        pytest.param({"addressed_level": "central"}, "addressed_level", id="unknown-commission-level"),
    ],
)
def test_form_refuses_unknown_values_and_keeps_the_text(client, intake_env, change, field):
    response = _post(client, {**WITH_LEVEL, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert "国庆期间多次用公款" in response.content.decode()  # nothing the reporter wrote is lost
    assert not Report.objects.exists()


def test_api_takes_the_same_fields(client, intake_env):
    persons = [{"name": "赵某", "org_name": "某村村委会", "level": "village", "region": "370124"}]
    payload = {**PAYLOAD, "persons": json.dumps(persons, ensure_ascii=False), "addressed_level": "county"}
    created = client.post("/api/reports", {**payload, **_challenge(client)})
    assert created.status_code == 201, created.content
    report = Report.objects.get()
    assert (report.persons.get().level, report.persons.get().region_code) == ("village", "370124")
    assert report.addressed_level == "county"


@pytest.mark.parametrize(
    ("person", "extra", "field"),
    [
        pytest.param({"level": "emperor"}, {}, "person1_level", id="unknown-level"),
        pytest.param({"region": "379999"}, {}, "person1_city", id="unknown-region"),
        pytest.param({"level": 3}, {}, "persons", id="level-not-text"),
        pytest.param({}, {"addressed_level": "central"}, "addressed_level", id="unknown-commission-level"),
    ],
)
def test_api_refuses_what_the_form_refuses(client, intake_env, person, extra, field):
    persons = [{"name": "赵某", "org_name": "某村村委会", **person}]
    payload = {**PAYLOAD, "persons": json.dumps(persons, ensure_ascii=False), **extra}
    response = client.post("/api/reports", {**payload, **_challenge(client)})
    assert response.status_code == 422
    assert response.json()["errors"][field]
    assert not Report.objects.exists()


@pytest.fixture
def language_then_back():
    yield
    translation.deactivate()  # the request's language stays active in this thread otherwise


@pytest.mark.parametrize(
    ("language", "shown", "absent"),
    [
        pytest.param("zh-hans", ["县管干部", "山东省 济南市 平阴县", "市级纪委监委"], ["Cadre"], id="zh"),
        pytest.param(
            "en",
            ["Cadre managed by the county", "City commission for discipline inspection and supervision"],
            ["县管干部", "市级纪委监委"],
            id="en",
        ),
    ],
)
@pytest.mark.usefixtures("language_then_back")
def test_staff_read_names_not_codes(
    client, client_for, org_tree, make_user, intake_env, language, shown, absent
):
    _post(client, WITH_LEVEL)
    report = Report.objects.get()
    officer = client_for(make_user(Role.PETITION, org=org_tree.petition_office))
    officer.cookies["django_language"] = language
    html = officer.get(reverse("intake:staff_report_detail", args=[report.pk])).content.decode()
    persons = html[
        html.index('id="reported-persons"') : html.index("</ul>", html.index('id="reported-persons"'))
    ]
    chosen = html[
        html.index('id="addressed-level"') : html.index("</dd>", html.index('id="addressed-level"'))
    ]
    for text in shown:
        assert text in persons + chosen
    for text in absent:
        assert text not in persons + chosen
    assert ">county<" not in persons
    assert ">city<" not in chosen


def test_staff_are_told_what_lies_outside_the_commission_level(
    client, client_for, org_tree, make_user, intake_env
):
    org_tree.commission.region_code = "370124"  # a county commission
    org_tree.commission.save()
    _post(client, {**WITH_LEVEL, "person1_level": "city", "addressed_level": "city"})
    report = Report.objects.get()
    officer = client_for(make_user(Role.PETITION, org=org_tree.petition_office))
    html = officer.get(reverse("intake:staff_report_detail", args=[report.pk])).content.decode()
    notes = html[
        html.index('id="jurisdiction-notes"') : html.index(
            "</div></div>", html.index('id="jurisdiction-notes"')
        )
    ]
    assert "举报人选择向市级纪委监委举报，高于本机关这一级" in notes
    assert "被反映人张某某为市管干部，按干部管理权限属上级管辖" in notes


def test_no_note_when_everything_is_within_the_commission_level(
    client, client_for, org_tree, make_user, intake_env
):
    org_tree.commission.region_code = "370124"
    org_tree.commission.save()
    _post(client, WITH_LEVEL | {"addressed_level": "county"})
    officer = client_for(make_user(Role.PETITION, org=org_tree.petition_office))
    html = officer.get(reverse("intake:staff_report_detail", args=[Report.objects.get().pk])).content.decode()
    assert 'id="jurisdiction-notes"' not in html
