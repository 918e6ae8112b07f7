"""The staff side in the browser, in Chinese: register a letter, an action refused at its field,
the inbox on a phone; no console error anywhere."""

from __future__ import annotations

import re

import pytest

from lianqing.cases.models import Case, Status
from tests.cases.factories import register_case
from tests.e2e.conftest import staff_login
from tests.e2e.console import console_errors

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_a_letter_in_chinese_then_an_error_stays_at_its_field(
    live_server, page, officer, artifacts_dir
):
    errors = console_errors(page)
    staff_login(page, live_server.url, officer)
    page.goto(f"{live_server.url}/staff/cases/new/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    # Defect 1: the datetime-local input carries an ISO value, so the browser accepts the form
    received = page.input_value("#id_received_at")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", received), received
    page.select_option("#id_category", "sifeng_gifts")
    page.fill("#id_summary", "来信反映县某局干部春节期间收受管理服务对象微信红包。")
    page.fill("#id_reported_persons", "黄某，县某局，副局长")
    page.click("#register-submit")
    page.wait_for_selector("#case-number")
    case = Case.objects.get()
    assert (case.status, case.source) == (Status.PENDING, "letter")
    assert page.inner_text("#case-deadline").startswith(case.deadline.isoformat())
    assert "剩" in page.inner_text("#case-countdown")  # Defect 5: the countdown

    # Defect 4: assign without an org: the message in words at the field, the form stays open
    page.click("#open-accept")
    page.click("#submit-accept")
    page.wait_for_selector("#case-panel[data-version='2']")
    page.click("#open-assign")
    page.wait_for_selector("#action-assign.show")
    page.click("#submit-assign")
    page.wait_for_selector("#id_assign-to_org_error")
    assert page.inner_text("#id_assign-to_org_error") == "请选择承办机构"
    assert page.is_visible("#id_assign-to_org")
    assert "to_org" not in page.inner_text("#case-panel")
    page.screenshot(path=str(artifacts_dir / "case_assign_error_zh.png"), full_page=True)
    assert errors == [], "\n".join(errors)


def test_inbox_on_a_phone_is_a_list_of_cards(live_server, phone_page, officer, org_tree, artifacts_dir):
    # Defect 11: at 390 px the inbox was a 4,855 px table with one-character columns
    for index in range(12):
        register_case(org_tree.commission, summary=f"来信反映某镇干部违规吃喝问题（第{index + 1}件）")
    errors = console_errors(phone_page)
    staff_login(phone_page, live_server.url, officer)
    phone_page.goto(f"{live_server.url}/staff/cases/")
    phone_page.wait_for_selector("#case-cards")
    assert phone_page.locator("#case-cards > li").count() == 12
    assert not phone_page.is_visible("#case-table")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    height = phone_page.evaluate("document.documentElement.scrollHeight")
    assert width <= 390
    assert height < 2600, height
    phone_page.screenshot(path=str(artifacts_dir / "inbox_phone.png"), full_page=True)
    assert errors == [], "\n".join(errors)
