"""From the public portal to feedback: a report submitted online is accepted, handled, concluded,
answered by the petition office, and the reporter reads the reply on the track page."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.cases.models import Case, Status
from lianqing.core.roles import Role
from tests.e2e.conftest import staff_login
from tests.e2e.console import console_errors
from tests.intake.conftest import give_key

pytestmark = pytest.mark.django_db(transaction=True)

REPLY = "经核查，反映的公款宴请问题属实，已对相关人员进行诫勉谈话，并责令退赔。感谢您的监督。"


@pytest.fixture
def intake_ready(settings, tmp_path):
    settings.INTAKE_KDF_COST = "interactive"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INTAKE_CHALLENGE_BITS = 4


def _submit_report(page, base_url: str) -> str:
    page.goto(f"{base_url}/report/")
    page.select_option("#id_category", "sifeng_dining")
    page.fill("#id_person1_name", "张某某")
    page.fill("#id_person1_org", "东阿镇人民政府")
    page.fill("#id_person1_position", "副镇长")
    page.select_option("#id_province", "370000")
    page.wait_for_selector("#id_city option[value='370100']", state="attached")
    page.select_option("#id_city", "370100")
    page.wait_for_selector("#id_county option[value='370124']", state="attached")
    page.select_option("#id_county", "370124")
    page.fill("#id_description", "镇政府某干部国庆期间多次用公款在饭店宴请亲友，每次都开具会议费发票报销。")
    page.check("input[name='is_anonymous'][value='1']")
    page.check("#id_consent")
    page.click("#report-submit")
    page.wait_for_selector("#receipt-code")
    return page.inner_text("#receipt-code").strip()


def _act(
    page, action: str, fields: dict[str, str] | None = None, selects: dict[str, str] | None = None
) -> None:
    page.wait_for_load_state("networkidle")  # the page's lazy panels (links, triage) have settled
    page.click(f"#open-{action}")
    page.wait_for_selector(f"#action-{action}.show")  # the form has finished opening
    for selector, value in (selects or {}).items():
        page.select_option(selector, value)
    for selector, value in (fields or {}).items():
        page.fill(selector, value)
    version = int(page.get_attribute("#case-panel", "data-version"))
    with page.expect_response(lambda response: f"/act/{action}/" in response.url, timeout=60_000) as answer:
        page.click(f"#submit-{action}")
    assert answer.value.status == 200, f"{action}: HTTP {answer.value.status}"
    # htmx swaps in the panel of the next version of the case (or the same one with a message)
    page.wait_for_selector(f"#case-panel[data-version='{version + 1}'], #action-error", timeout=60_000)
    assert page.locator("#action-error").count() == 0, page.inner_text("#action-error")


def test_report_from_public_portal_to_feedback_on_track_page(
    live_server, page, org_tree, make_user, intake_ready, artifacts_dir
):
    errors = console_errors(page)
    # Given the petition office, which also handles simple reports itself (信访室自办)
    officer = make_user(Role.PETITION, Role.SUPERVISION, org=org_tree.petition_office, username="xinfang")
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    give_key(officer)  # a recipient of the commission's reports

    # When a citizen reports anonymously on the public portal
    receipt = _submit_report(page, live_server.url)
    case = Case.objects.get()
    assert case.status == Status.PENDING

    # And the petition office finds it in the inbox and takes it through to feedback
    staff_login(page, live_server.url, officer)
    page.goto(f"{live_server.url}/staff/cases/?source=online")
    page.click(f"text={case.number}")
    page.wait_for_selector("#case-number")
    assert "/staff/reports/" in page.get_attribute(
        "#intake-link", "href"
    )  # identity and attachments live there
    _act(page, "accept")
    assert page.inner_text("#case-status") == "已受理"
    _act(
        page,
        "assign",
        selects={"#id_assign-route": "department", "#id_assign-to_org": str(org_tree.petition_office.pk)},
    )
    _act(page, "start")
    _act(
        page,
        "conclude",
        selects={"#id_conclude-disposal": "verify", "#id_conclude-outcome": "admonition"},
        fields={"#id_conclude-result": "属实，已对张某某诫勉谈话，责令退赔。"},
    )
    _act(page, "feedback", fields={"#id_feedback-text": REPLY})
    assert page.inner_text("#case-status") == "已反馈"
    page.screenshot(path=str(artifacts_dir / "case_after_feedback.png"), full_page=True)

    # Then the reporter, with only the receipt code, reads the reply on the track page
    reporter = page.context.browser.new_context(locale="zh-CN").new_page()
    reporter.goto(f"{live_server.url}/report/track/")
    reporter.fill("#id_code", receipt)
    reporter.click("#track-submit")
    reporter.wait_for_selector("#report-status")
    assert reporter.inner_text("#report-status") == "已办结"
    assert reporter.inner_text("#public-reply").strip() == REPLY
    reporter.screenshot(path=str(artifacts_dir / "track_reply.png"), full_page=True)
    reporter.context.close()
    # Defect 15: no console error on any page of the walk (CSP, missing favicon, scripts)
    assert errors == [], "\n".join(errors)
