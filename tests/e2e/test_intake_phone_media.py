"""A citizen on a phone sends an iPhone HEIC photo and a video, both full of where, when and on
what they were made; an over-long paste is counted and refused without losing a character; staff
then download the files stripped of all of it."""

from __future__ import annotations

import io

import av
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from lianqing.core.roles import Role
from lianqing.intake.models import Report
from tests.e2e.conftest import staff_login
from tests.intake.conftest import PASSPHRASE, give_key, intake_env, intake_key_dir  # noqa: F401 (fixtures)
from tests.intake.marked_files import MARKER, heic_marked, marker_found, video_marked

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "春节前收受下属单位送的购物卡和微信红包，我有当时拍下的照片和视频。"


def _no_console_errors(page) -> list[str]:
    """Console errors of the page, except the refused form's own 400 (the status it is meant to
    have) and the browser's favicon probe (the app serves none: noticed, not this test's subject)."""
    errors: list[str] = []

    def console(message) -> None:
        url = message.location.get("url", "")
        expected = url.endswith("/favicon.ico") or (url.endswith("/report/") and "400" in message.text)
        if message.type == "error" and not expected:
            errors.append(f"{message.text} {url}")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _fill_report(page, base_url: str, description: str) -> None:
    page.goto(f"{base_url}/report/")
    page.select_option("#id_category", "sifeng_gifts")
    page.fill("#id_person1_name", "刘某")
    page.fill("#id_person1_org", "县某局")
    page.select_option("#id_province", "370000")
    page.fill("#id_description", description)


def _attach(page) -> None:
    page.set_input_files(
        "#id_attachments",
        files=[
            {"name": "IMG_0001.HEIC", "mimeType": "image/heic", "buffer": heic_marked()},
            {"name": "IMG_0002.MOV", "mimeType": "video/quicktime", "buffer": video_marked("mov")},
        ],
    )


@pytest.mark.usefixtures("intake_env")
def test_phone_heic_and_video_arrive_stripped_and_a_long_paste_is_counted_not_cut(
    live_server, phone_page, page, org_tree, make_user, settings, artifacts_dir
):
    settings.INTAKE_CHALLENGE_BITS = 10  # the browser really solves the proof of work
    phone_errors = _no_console_errors(phone_page)
    # (a 信访 officer with a personal key: reports are sealed to the recipients there are when they arrive)
    officer = make_user(Role.PETITION, org=org_tree.petition_office, username="xinfang")
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    give_key(officer)

    # Given a reporter who pastes far more than the description may hold
    paste = TEXT * 200  # 6,600 characters
    _fill_report(phone_page, live_server.url, paste)

    # Then the counter says by how much, in words, before anything is sent
    counter = phone_page.inner_text("#id_description-counter")
    assert f"已超出 {len(paste) - 5000} 字" in counter
    phone_page.screenshot(path=str(artifacts_dir / "intake_counter_phone.png"), full_page=True)

    # When they send it anyway, with a HEIC photo and a MOV video
    _attach(phone_page)
    phone_page.check("#id_consent")
    phone_page.click("#report-submit")
    phone_page.wait_for_selector("#form-errors")

    # Then it is refused by name, every character is still in the box, and the files are asked for
    assert "问题描述最多 5000 个字，现在是 6600 个字" in phone_page.inner_text("#report-form")
    assert phone_page.input_value("#id_description") == paste
    assert "请重新选择附件" in phone_page.inner_text("#attachments-again")
    assert not Report.objects.exists()

    # When they shorten it, choose the files again and send
    phone_page.fill("#id_description", TEXT)
    _attach(phone_page)
    phone_page.check("#id_consent")
    phone_page.click("#report-submit")
    phone_page.wait_for_selector("#receipt-code")
    phone_page.screenshot(path=str(artifacts_dir / "intake_media_receipt_phone.png"), full_page=True)
    report = Report.objects.get()
    assert sorted(report.attachments.values_list("kind", flat=True)) == ["image", "video"]

    # Then staff, after unlocking, download a JPEG (of the HEIC) and a MOV with nothing of the phone left
    staff_errors = _no_console_errors(page)
    staff_login(page, live_server.url, officer)
    page.goto(f"{live_server.url}/staff/reports/{report.pk}/")
    page.fill("#id_passphrase", PASSPHRASE)
    page.click("#unlock-submit")
    page.wait_for_selector("#attachment-list a")
    page.screenshot(path=str(artifacts_dir / "intake_media_staff.png"), full_page=True)
    names = page.locator("#attachment-list a").all_inner_texts()
    assert sorted(names) == ["IMG_0001.HEIC", "IMG_0002.MOV"]  # stored as sent, metadata zeroed
    downloads = {}
    for link in page.locator("#attachment-list a").all():
        response = page.request.get(live_server.url + link.get_attribute("href"))
        assert response.ok
        downloads[link.inner_text()] = response.body()
    for data in downloads.values():
        assert not marker_found(data)
    with Image.open(io.BytesIO(downloads["IMG_0001.HEIC"])) as photo:  # shown as JPEG
        assert photo.format == "JPEG"
        assert not photo.getexif()
    with av.open(io.BytesIO(downloads["IMG_0002.MOV"])) as video:
        tags = [dict(video.metadata), *(dict(stream.metadata) for stream in video.streams)]
    assert not any(MARKER in str(tag) or "location" in str(tag) for tag in tags)
    assert phone_errors == [], phone_errors
    assert staff_errors == []
