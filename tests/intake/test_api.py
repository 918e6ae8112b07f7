"""The JSON API: the same intake for a mini-program or the 12388 system."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lianqing.core.roles import Role
from lianqing.intake.abuse import proof_solve
from lianqing.intake.models import Channel, Message, Report
from lianqing.intake.services import staff_message_post
from tests.intake.conftest import REPORTER_ID, REPORTER_NAME, REPORTER_PHONE, image_upload

PAYLOAD = {
    "category": "public_interest",
    "province": "370000",
    "city": "370100",
    "county": "370124",
    "description": "村干部把危房改造补助款发给了自己的亲戚，真正的困难户没有拿到。",
    "persons": json.dumps(
        [{"name": "赵某", "org_name": "某村村委会", "position": "村主任"}], ensure_ascii=False
    ),
    "consent": "true",
}


def _challenge(client: Client) -> dict[str, str]:
    data = client.get("/api/reports/challenge").json()
    return {"token": data["token"], "proof": proof_solve(data["token"], data["bits"])}


def test_openapi_schema_is_served(client, intake_env):
    schema = client.get("/api/openapi.json").json()
    assert {
        "/api/reports",
        "/api/reports/challenge",
        "/api/reports/track",
        "/api/reports/track/messages",
    } <= set(schema["paths"])


def test_submit_track_and_reply_through_the_api(
    client, intake_env, org_tree, make_user, django_capture_on_commit_callbacks
):
    proof = _challenge(client)
    named = {
        **PAYLOAD,
        "is_anonymous": "false",
        "reporter_name": REPORTER_NAME,
        "reporter_id_number": REPORTER_ID,
    }
    named["reporter_phone"] = REPORTER_PHONE
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post("/api/reports", {**named, **proof, "attachments": [image_upload()]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert len(body["receipt"]) == 16
    assert body["status"] == "已收到"
    report = Report.objects.get()
    assert report.channel == Channel.API
    assert not report.is_anonymous
    assert report.attachments.count() == 1

    # the same submission again is the same report
    again = client.post("/api/reports", {**named, **proof})
    assert again.status_code == 200
    assert again.json()["receipt"] == body["receipt"]
    assert Report.objects.count() == 1

    staff_message_post(
        report=report, body="请说明补助款金额。", by=make_user(Role.PETITION, org=org_tree.petition_office)
    )
    tracked = client.post(
        "/api/reports/track", {"code": body["receipt_grouped"]}, content_type="application/json"
    )
    assert tracked.status_code == 200
    assert tracked.json()["status"] == "已收到"
    assert [m["body"] for m in tracked.json()["messages"]] == ["请说明补助款金额。"]

    reply = client.post("/api/reports/track/messages", {"code": body["receipt"], "body": "每户一万二。"})
    assert reply.status_code == 201
    assert Message.objects.filter(report=report, direction="from_reporter").get().body == "每户一万二。"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        pytest.param(
            {"reporter_id_number": "110105194912310021"}, "reporter_id_number", "校验位不正确", id="id-number"
        ),
        pytest.param({"province": "990000"}, "province", "选择一个有效的选项", id="province"),
        pytest.param({"persons": "not json"}, "persons", "JSON", id="persons"),
    ],
)
def test_bad_input_gets_422_with_chinese_message(client, intake_env, change, field, message):
    data = {**PAYLOAD, "is_anonymous": "false", "reporter_name": "某人", "reporter_phone": REPORTER_PHONE}
    data["reporter_id_number"] = REPORTER_ID
    response = client.post("/api/reports", {**data, **change, **_challenge(client)})
    assert response.status_code == 422
    assert any(message in text for text in response.json()["errors"][field])
    assert not Report.objects.exists()


def test_unknown_receipt_is_404_like_a_mistyped_one(client, intake_env):
    unknown = client.post("/api/reports/track", {"code": "1234567812345678"}, content_type="application/json")
    mistyped = client.post("/api/reports/track", {"code": "12"}, content_type="application/json")
    assert unknown.status_code == mistyped.status_code == 404
    assert unknown.json() == mistyped.json()
