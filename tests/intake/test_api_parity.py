"""The JSON API refuses exactly what the web form refuses: both go through intake.actions."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.models import Message, Report
from lianqing.intake.services import ReportDraft, report_submit
from tests.intake.conftest import FORM_DATA, REPORTER_ID, REPORTER_NAME, REPORTER_PHONE, pdf_upload

pytestmark = pytest.mark.django_db

RECEIPT = re.compile(r'id="receipt-code">(\d{4} \d{4} \d{4} \d{4})<')

BAD_REPORTS = [
    pytest.param({"description": "太短"}, id="description-too-short"),
    pytest.param({"description": "长" * 5001}, id="description-too-long"),
    pytest.param({"province": "990000"}, id="unknown-province"),
    pytest.param({"consent": ""}, id="no-consent"),
    pytest.param({"occurred_on": "2999-01-01"}, id="date-in-the-future"),
    pytest.param({"is_anonymous": "0", "reporter_name": ""}, id="named-without-name"),
    pytest.param(
        {"is_anonymous": "0", "reporter_name": REPORTER_NAME, "reporter_id_number": "110105194912310021"},
        id="bad-id-check-digit",
    ),
    pytest.param({"person1_name": "名" * 65}, id="person-name-too-long"),
]


def _proof() -> dict[str, str]:
    challenge = challenge_issue()
    return {"token": challenge.token, "proof": proof_solve(challenge.token, challenge.bits)}


def _as_api(data: dict[str, str]) -> dict[str, str]:
    """The same submission in the API's transport: persons as JSON, booleans as true/false."""
    api = {k: v for k, v in data.items() if not k.startswith("person")}
    api["persons"] = json.dumps(
        [
            {"name": data.get("person1_name", ""), "org_name": data.get("person1_org", ""),
             "position": data.get("person1_position", "")}
        ],
        ensure_ascii=False,
    )  # fmt: skip
    api["is_anonymous"] = "true" if data.get("is_anonymous") == "1" else "false"
    api["consent"] = "true" if data.get("consent") == "on" else "false"
    return api


@pytest.mark.parametrize("change", BAD_REPORTS)
def test_report_refused_by_form_is_refused_by_api(client, intake_env, change):
    data = {**FORM_DATA, "reporter_phone": REPORTER_PHONE, "reporter_id_number": REPORTER_ID, **change}
    web = client.post(reverse("intake:report_form"), {**data, **_proof()})
    api = client.post("/api/reports", {**_as_api(data), **_proof()})
    assert web.status_code == 400
    assert api.status_code == 422, api.content.decode()[:500]
    body = api.json()
    assert set(body) == {"message", "errors"}
    assert body["errors"]
    assert not Report.objects.exists()


def test_valid_report_is_accepted_by_both(client, intake_env):
    web = client.post(reverse("intake:report_form"), {**FORM_DATA, **_proof()})
    api = client.post("/api/reports", {**_as_api(FORM_DATA), **_proof()})
    assert web.status_code == 200
    assert RECEIPT.search(web.content.decode())
    assert api.status_code == 201
    assert Report.objects.count() == 2


@pytest.fixture
def tracked(client, intake_env):
    """A submitted report and a browser that opened it with its receipt code."""
    challenge = challenge_issue()
    result = report_submit(
        draft=ReportDraft(
            category="sifeng_gifts",
            region_code="370124",
            description="某局局长春节前收受下属单位送的购物卡和微信红包，合计数万元。",
            persons=[],
        ),
        uploads=[],
        token=challenge.token,
        proof=proof_solve(challenge.token, challenge.bits),
        client="setup",
    )
    client.post(reverse("intake:track"), {"code": result.receipt_code})
    return result.receipt_code


BAD_REPLIES = [
    pytest.param({"body": "长" * 5200}, False, id="5200-characters"),
    pytest.param({"body": "长" * 5200}, True, id="5200-characters-with-evidence"),
    pytest.param({"body": ""}, False, id="nothing-at-all"),
    pytest.param({"body": "   \n  "}, False, id="only-whitespace"),
]


@pytest.mark.parametrize(("data", "with_file"), BAD_REPLIES)
def test_reply_refused_by_form_is_refused_by_api(client, tracked, data, with_file):
    files = (lambda: {"attachments": [pdf_upload()]}) if with_file else dict
    web = client.post(reverse("intake:track_status"), {**data, **files()})
    api = client.post("/api/reports/track/messages", {"code": tracked, **data, **files()})
    assert web.status_code == 400
    assert api.status_code == 422, api.content.decode()[:500]
    assert "body" in api.json()["errors"]
    assert not Message.objects.exists()  # nothing stored, no placeholder


def test_valid_reply_is_accepted_by_both(client, tracked):
    assert client.post(reverse("intake:track_status"), {"body": "补充：还有一次在饭店。"}).status_code == 302
    assert (
        client.post("/api/reports/track/messages", {"code": tracked, "body": "金额约两万。"}).status_code
        == 201
    )
    assert sorted(Message.objects.values_list("body", flat=True)) == [
        "补充：还有一次在饭店。",
        "金额约两万。",
    ]


@pytest.mark.parametrize(
    "person",
    [
        pytest.param({"name": {"first": "赵"}}, id="name-as-object"),
        pytest.param({"name": 12345}, id="name-as-number"),
        pytest.param({"name": "赵某", "position": ["村主任"]}, id="position-as-list"),
    ],
)
def test_non_text_person_fields_are_refused_not_stringified(client, intake_env, person):
    data = {**_as_api(FORM_DATA), "persons": json.dumps([person], ensure_ascii=False)}
    response = client.post("/api/reports", {**data, **_proof()})
    assert response.status_code == 422
    assert "persons" in response.json()["errors"]
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param("{not json", "application/json", id="broken-json"),
        pytest.param("code=1", "application/x-www-form-urlencoded", id="form-instead-of-json"),
        pytest.param(json.dumps({"code": 1234567812345678}), "application/json", id="code-as-number"),
        pytest.param(json.dumps({"code": {"x": 1}}), "application/json", id="code-as-object"),
    ],
)
def test_every_malformed_request_gets_the_documented_422_shape(client, intake_env, body, content_type):
    response = client.post("/api/reports/track", body, content_type=content_type)
    assert response.status_code == 422
    assert set(response.json()) == {"message", "errors"}
