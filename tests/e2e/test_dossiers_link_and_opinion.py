"""A report naming "汪局长 卫健局" gets the suggested cadre with reasons on its case page; the handler
confirms with one click; the cadre file (opened with a typed reason) shows the report; an 意见回复
for three cadres is drafted, approved by a 领导, printed and exported. Chinese pages carry no
English, the English pages render, and the cadre file works at 390 px.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from lianqing.core.roles import Role
from lianqing.dossiers.models import OpinionRequest
from tests.cases.factories import register_case
from tests.dossiers.factories import registry_build
from tests.e2e.conftest import CHROMIUM_ARGS, staff_login  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True)]

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def _watch(page, errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    page.on("pageerror", lambda error: errors.append(str(error)))

    def console(message) -> None:  # type: ignore[no-untyped-def]
        # the browser asks for /favicon.ico by itself; the app has none to give
        if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico"):
            errors.append(message.text)

    page.on("console", console)


def _no_english(page) -> None:  # type: ignore[no-untyped-def]
    text = page.inner_text("#main")
    assert ENGLISH_WORD.findall(text) == [], f"English on a Chinese page: {ENGLISH_WORD.findall(text)[:5]}"


def _session(browser, live_server, user, errors, *, phone: bool = False):  # type: ignore[no-untyped-def]
    if phone:
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
        )
    else:
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True
        )
    page = context.new_page()
    _watch(page, errors)
    staff_login(page, live_server.url, user)
    return context, page


def test_link_confirm_file_and_opinion_reply(live_server, browser, org_tree, make_user, artifacts_dir):
    registry = registry_build(org_tree)
    handler = make_user(Role.PETITION, org=org_tree.petition_office, username="xinfang")
    drafter = make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="dangfeng")
    leader = make_user(Role.LEADER, org=org_tree.commission, username="lingdao")
    for user in (handler, drafter, leader):
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    case = register_case(
        org_tree.commission,
        summary="反映县卫健局汪局长在医疗设备采购中指定供应商",
        persons=[{"name": "汪局长", "org_name": "卫健局", "position": ""}],
    )
    call_command("db_worker", batch=True, reload=False, startup_delay=False)  # the suggestion task
    errors: list[str] = []

    # Given the handler opens the case: the suggested cadre, with the reasons
    context, page = _session(browser, live_server, handler, errors)
    page.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    page.wait_for_selector("#case-links .lq-reasons")
    panel = page.inner_text("#case-links")
    assert "王建国" in panel
    assert "县卫生健康局" in panel
    assert "姓氏同音" in panel
    assert "单位相符" in panel
    assert "职务" in panel
    _no_english(page)
    page.screenshot(path=str(artifacts_dir / "dossiers-suggestion.png"), full_page=True)
    # When the handler confirms with one click
    page.click("#case-links button[id^='confirm-']")
    page.wait_for_selector("#case-links [id^='link-state-']")
    assert "已确认为" in page.inner_text("#case-links")
    page.reload()
    page.wait_for_selector("#case-links [id^='link-state-']")
    assert page.locator("#case-links button[id^='confirm-']").count() == 0  # never asked again
    context.close()

    # Then the cadre file, opened with a reason, shows the report (one leader session throughout:
    # a second sign-in within the same 30 s would reuse a one-time code, which is refused)
    leader_context, page = _session(browser, live_server, leader, errors)
    page.goto(f"{live_server.url}/staff/dossiers/cadres/{registry.wang.pk}/")
    page.fill("#id_reason", "信访举报核查")
    page.click("#reason-submit")
    page.wait_for_selector("#cadre-name")
    assert case.number in page.inner_text("#petitions")
    _no_english(page)
    page.screenshot(path=str(artifacts_dir / "dossiers-cadre-file.png"), full_page=True)
    # and in English
    page.click("button[name='language'][value='en']")
    page.wait_for_selector("#cadre-name")
    assert "Basic information and posts" in page.inner_text("#main")
    assert "Petitions" in page.inner_text("#main") or "petition" in page.inner_text("#main").lower()
    page.click("button[name='language'][value='zh-hans']")
    page.wait_for_selector("#cadre-name")

    # An 意见回复 for three cadres: drafted by 党风政风监督室
    context, page = _session(browser, live_server, drafter, errors)
    page.goto(f"{live_server.url}/staff/dossiers/opinions/new/")
    page.fill("#id_letter_number", "组函〔2025〕12号")
    page.fill("#id_received_on", "2025-06-02")
    page.fill("#id_cadres", f"王建国\n刘芳\n{registry.town_cadre.person_id}")
    page.click("#opinion-submit")
    page.wait_for_selector("#opinion-status")
    _no_english(page)
    opinion = OpinionRequest.objects.get()
    for item, conclusion in zip(
        opinion.items.order_by("order"), ["no_problem", "not_affecting", "no_problem"], strict=True
    ):
        section = f"#item-{item.pk}"
        page.select_option(f"{section} select", conclusion)
        page.click(f"{section} button[type='submit']")
        page.wait_for_selector(section)
    page.click("#opinion-submit-approval")
    page.wait_for_selector("#opinion-status:has-text('待领导审批')")
    context.close()

    # approved by the 领导, printed and exported
    page = leader_context.pages[0]
    page.goto(f"{live_server.url}/staff/dossiers/opinions/{opinion.pk}/")
    page.click("#opinion-approve")
    page.wait_for_selector("#opinion-status:has-text('已审批')")
    with page.expect_download() as download_info:
        page.click("#opinion-export")
    workbook = load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read()))  # noqa: SIM115
    names = [row[1] for row in workbook.active.iter_rows(min_row=3, values_only=True)]
    assert names == ["王建国", "刘芳", "陈立"]
    page.click("#opinion-print")
    page.wait_for_selector("#reply-table")
    printed = page.inner_text("body")
    assert "关于征求党风廉政意见的回复" in printed
    assert "组函〔2025〕12号" in printed
    page.wait_for_load_state("load")  # the stylesheet with the print rules has arrived
    page.emulate_media(media="print")
    page.wait_for_selector("#print-button", state="hidden")  # fails if the print view still shows it
    page.screenshot(path=str(artifacts_dir / "dossiers-reply-letter.png"), full_page=True)
    leader_context.close()

    # the cadre file at 390 px: nothing wider than the screen
    reader = make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="jiancha")
    TOTPDevice.objects.create(user=reader, name="phone", confirmed=True)
    context, page = _session(browser, live_server, reader, errors, phone=True)
    page.goto(f"{live_server.url}/staff/dossiers/cadres/{registry.wang.pk}/")
    page.fill("#id_reason", "手机查阅")
    page.click("#reason-submit")
    page.wait_for_selector("#cadre-name")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / "dossiers-cadre-file-390.png"), full_page=True)
    context.close()
    assert errors == []
