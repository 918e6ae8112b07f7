"""A citizen on a phone reports with a photo, keeps the receipt, tracks it and answers a question."""

from __future__ import annotations

import re

import pytest

from lianqing.core.roles import Role
from lianqing.intake.models import Message, Report
from lianqing.intake.services import staff_message_post
from tests.intake.conftest import intake_env, intake_key_dir, jpeg_with_gps  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.usefixtures("intake_env")
def test_phone_report_receipt_track_and_answer(
    live_server, phone_page, org_tree, make_user, settings, artifacts_dir
):
    settings.INTAKE_CHALLENGE_BITS = 12  # the browser really solves the proof of work
    page = phone_page

    # Given the reporting form on a phone
    page.goto(f"{live_server.url}/report/")
    page.select_option("#id_category", "sifeng_gifts")
    page.fill("#id_person1_name", "刘某")
    page.fill("#id_person1_org", "县某局")
    page.fill("#id_person1_position", "局长")
    # The person's level and where they work (their own region cascade)
    page.select_option("#id_person1_level", "county")
    page.select_option("#id_person1_province", "370000")
    page.wait_for_selector("#id_person1_city option[value='370100']", state="attached")
    page.select_option("#id_person1_city", "370100")
    page.wait_for_selector("#id_person1_county option[value='370124']", state="attached")
    page.select_option("#id_person1_county", "370124")
    assert not page.is_visible("#id_person2_name")  # further persons are folded away on a phone
    page.click("#add-person")
    page.fill("#id_person2_name", "王某")
    page.fill("#id_person2_org", "县某局")
    page.select_option("#id_province", "370000")
    page.wait_for_selector("#id_city option[value='370100']", state="attached")
    page.select_option("#id_city", "370100")
    page.wait_for_selector("#id_county option[value='370124']", state="attached")
    page.select_option("#id_county", "370124")
    page.select_option("#id_addressed_level", "county")  # the reporter addresses the county commission
    page.fill("#id_description", "春节前收受下属单位送的购物卡和微信红包，我有当时拍下的照片。")
    page.set_input_files(
        "#id_attachments", files=[{"name": "照片.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}]
    )
    assert not page.is_visible("#id_reporter_name")  # anonymous by default: no identity fields
    page.check("#id_consent")
    page.screenshot(path=str(artifacts_dir / "intake_form_phone.png"), full_page=True)

    # When they submit
    page.click("#report-submit")
    page.wait_for_selector("#receipt-code")

    # Then a 4-4-4-4 receipt with a warning is shown once, and the report with its photo exists
    receipt = page.inner_text("#receipt-code").strip()
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", receipt)
    assert "回执码只显示这一次" in page.inner_text("#receipt-warning")
    page.screenshot(path=str(artifacts_dir / "intake_receipt_phone.png"), full_page=True)
    report = Report.objects.get()
    assert report.attachments.filter(kind="image").count() == 1
    assert report.region_code == "370124"
    assert list(report.persons.values_list("name", flat=True)) == ["刘某", "王某"]
    assert list(report.persons.values_list("level", "region_code")) == [("county", "370124"), ("", "")]
    assert report.addressed_level == "county"

    # When they track it with the code
    page.click("#go-track")
    page.fill("#id_code", receipt)
    page.click("#track-submit")
    page.wait_for_selector("#report-status")
    assert page.inner_text("#report-status") == "已收到"

    # And a handler asks a question
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    staff_message_post(report=report, body="请问购物卡是哪家商场的？面值多少？", by=officer)
    page.reload()
    assert "请问购物卡是哪家商场的？面值多少？" in page.inner_text("#mailbox")

    # Then they answer it
    page.fill("#id_body", "某某商场的卡，每张一千元，共五张。")
    page.click("#reply-submit")
    page.wait_for_selector("text=已收到您的回复")
    assert "每张一千元" in page.inner_text("#mailbox")
    page.screenshot(path=str(artifacts_dir / "intake_track_phone.png"), full_page=True)
    reply = Message.objects.get(report=report, direction="from_reporter")
    assert reply.body == "某某商场的卡，每张一千元，共五张。"
