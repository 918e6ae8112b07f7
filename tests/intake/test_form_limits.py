"""What a reporter typed is never cut and never lost: text over the limit is refused by name with
its count (page and API alike), a refused submit shows every field again and says the files must
be chosen again, and an oversized body is refused from its length before Django reads it."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.forms import MAX_TEXT
from lianqing.intake.models import Report
from tests.intake.conftest import (
    FORM_DATA,
    image_upload,
    named_form_data,
    pdf_upload,
)
from tests.intake.test_api import PAYLOAD, _challenge

MiB = 1024 * 1024
PASTE = ("某局长多次在私人会所接受宴请，" * 4000)[:60_000]


def _solved() -> dict[str, str]:
    challenge = challenge_issue()
    return {"token": challenge.token, "proof": proof_solve(challenge.token, challenge.bits)}


def _textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    assert found, name
    return html_lib.unescape(found.group(1)).strip("\n")


def test_a_long_paste_is_refused_with_its_count_and_kept_whole(client, intake_env):
    # When a reporter pastes 60,000 characters into the description
    response = client.post(reverse("intake:report_form"), {**FORM_DATA, "description": PASTE, **_solved()})

    # Then nothing is stored, the message names the field and the counts, and the text is all there
    html = response.content.decode()
    assert response.status_code == 400
    assert not Report.objects.exists()
    assert "问题描述最多 5000 个字，现在是 60000 个字，请删减 55000 个字后再提交" in html
    assert _textarea(html, "description") == PASTE


def test_the_description_has_a_counter_and_no_maxlength_that_would_cut_a_paste(client, intake_env):
    html = client.get(reverse("intake:report_form")).content.decode()
    textarea = re.search(r'<textarea name="description"[^>]*>', html).group(0)
    assert "maxlength" not in textarea
    assert f'data-max-chars="{MAX_TEXT}"' in textarea
    assert 'id="id_description-counter"' in html
    assert "/static/intake/counter.js" in html
    assert "<script>" not in html  # the counter is a static file (CSP)


def test_text_at_the_limit_is_accepted_newlines_counting_as_one(client, intake_env):
    line = "某局长多次在私人会所接受宴请。" + "\r\n"  # 15 characters + a newline the browser sends as two
    text = (line * (MAX_TEXT // 16 + 1))[: MAX_TEXT * 2]
    text = text.replace("\r\n", "\n")[:MAX_TEXT].replace("\n", "\r\n")
    assert len(text.replace("\r\n", "\n")) == MAX_TEXT
    response = client.post(reverse("intake:report_form"), {**FORM_DATA, "description": text, **_solved()})
    assert response.status_code == 200, re.findall(
        r"invalid-feedback[^>]*>([^<]+)", response.content.decode()
    )
    assert len(Report.objects.get().description) == MAX_TEXT


def test_the_api_refuses_the_same_paste_the_same_way(client, intake_env):
    response = client.post("/api/reports", {**PAYLOAD, "description": PASTE, **_challenge(client)})
    assert response.status_code == 422
    assert any(
        "问题描述最多 5000 个字，现在是 60000 个字" in m for m in response.json()["errors"]["description"]
    )
    assert not Report.objects.exists()


def test_a_refused_submit_keeps_every_typed_field_and_asks_for_the_files_again(client, intake_env):
    # Given a named report with two reported persons, where the reporter's phone number is wrong
    data = {
        **named_form_data(),
        "reporter_phone": "1234",
        "person2_name": "李某某",
        "person2_org": "县交通局",
        "person2_position": "科长",
    }
    files = [image_upload("现场.jpg"), pdf_upload("发票.pdf")]

    # When it is submitted
    response = client.post(reverse("intake:report_form"), {**data, "attachments": files, **_solved()})

    # Then it is refused, naming the field, and every typed value is still in the form
    html = response.content.decode()
    assert response.status_code == 400
    assert not Report.objects.exists()
    for name in ("person1_name", "person1_org", "person1_position", "person2_name", "person2_org",
                 "person2_position", "reporter_name", "reporter_id_number", "reporter_phone", "occurred_on"):  # fmt: skip
        assert re.search(rf'name="{name}" value="{re.escape(data[name])}"', html), name
    assert _textarea(html, "description") == FORM_DATA["description"]
    for name in ("category", "province", "city", "county"):
        select = re.search(rf'<select name="{name}".*?</select>', html, re.DOTALL).group(0)
        assert f'value="{data[name]}" selected' in select, name
    assert re.search(r'name="is_anonymous" value="0"[^>]*checked', html)
    assert re.search(r'name="consent"[^>]*checked', html)
    # And the page says plainly that the two files must be chosen again
    assert "您选择的 2 个附件没有保存，请重新选择附件后再提交" in html
    assert "请重新选择附件：上次选择的附件没有保存" in html


def test_a_refused_file_names_itself_and_why(client, intake_env):
    fake = SimpleUploadedFile("合同.docx", b"PK\x03\x04not really a zip", content_type="application/msword")
    response = client.post(reverse("intake:report_form"), {**FORM_DATA, "attachments": [fake], **_solved()})
    html = response.content.decode()
    assert response.status_code == 400
    assert "附件 合同.docx 的文件类型不受支持" in html
    assert _textarea(html, "description") == FORM_DATA["description"]


@pytest.fixture
def small_portal(settings):
    """Portal limits of 1 MiB per file and in total: requests over 3 MiB are refused unread."""
    settings.INTAKE_MAX_FILE_BYTES = MiB
    settings.INTAKE_MAX_VIDEO_BYTES = MiB
    settings.INTAKE_MAX_TOTAL_BYTES = MiB


def test_an_oversized_body_is_refused_before_it_is_read(intake_env, small_portal):
    # Given a client that enforces CSRF: had the body been read, the CSRF check would answer 403
    client = Client(enforce_csrf_checks=True)
    big = SimpleUploadedFile("录像.mp4", bytes(4 * MiB), content_type="video/mp4")

    response = client.post(reverse("intake:report_form"), {**FORM_DATA, "attachments": [big]})

    assert response.status_code == 413
    html = response.content.decode()
    assert "提交的内容过大：附件合计不能超过 1 MB" in html
    assert "您填写的文字一般仍在，附件需要重新选择" in html
    assert not Report.objects.exists()


def test_the_api_refuses_an_oversized_body_in_json_and_in_english_when_asked(intake_env, small_portal):
    big = SimpleUploadedFile("video.mp4", bytes(4 * MiB), content_type="video/mp4")
    response = Client().post(
        "/api/reports", {**PAYLOAD, "attachments": [big]}, headers={"accept-language": "en"}
    )
    assert response.status_code == 413
    body = response.json()
    assert body["errors"]["attachments"] == [body["message"]]
    assert "1 MB" in body["message"]
    assert not re.search(r"[\u4e00-\u9fff]", body["message"])  # English, no Chinese left in it


def test_a_body_under_the_limit_goes_on_to_the_form(client, intake_env, small_portal):
    within = SimpleUploadedFile("大.pdf", bytes(2 * MiB), content_type="application/pdf")
    response = client.post(reverse("intake:report_form"), {**FORM_DATA, "attachments": [within], **_solved()})
    assert response.status_code == 400  # read and refused by the form, file by file
    assert "附件总大小超过 1 MB" in response.content.decode()
