"""AI triage in the browser: a report filed on the portal is read by the worker; the handler sees
the category, the resolved person, the amount and a duplicate warning on the report page, corrects
the category with one click, and the correction is in the training data. A 舆情 export is imported
(its bad row named) and one event becomes a 问题线索. The panel works at 390 px and in English.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.cases.models import Case, Kind
from lianqing.core.roles import Role
from lianqing.intake.models import Report
from lianqing.triage.models import Feedback, Field
from tests.cases.factories import register_case
from tests.dossiers.factories import registry_build
from tests.e2e.conftest import staff_login
from tests.e2e.console import console_errors
from tests.e2e.layout import OVERFLOWS_JS
from tests.intake.conftest import give_key

pytestmark = pytest.mark.django_db(transaction=True)

LETTER = "我要举报县卫健局汪局长，春节前收受药企老板红包两万元，还让人把礼品送到他家里，至今还在收。"
POSTS = """time,platform,author,text,url
2026-11-01 10:00,微博,网友A,县卫生健康局王建国局长春节前收了药企红包两万元，太黑了,https://example.invalid/1
2026-11-01 12:00,抖音,网友B,转发：县卫生健康局王建国局长春节前收了药企红包两万元！！,https://example.invalid/2
2026-11-02 08:00,微博,网友C,今天天气真好，桂花开了,https://example.invalid/3
昨天下午,微博,网友D,县民政局刘芳用公车接孩子,https://example.invalid/4
"""
PANEL_OVERFLOWS_JS = (
    OVERFLOWS_JS.replace(
        'document.querySelectorAll("main *")', 'document.querySelectorAll("#triage-panel, #triage-panel *")'
    )
    .replace("root.scrollWidth > root.clientWidth + 1", "false")
    .replace(
        'if (el.closest("[_echarts_instance_]")) continue;', 'if (el.closest(".visually-hidden")) continue;'
    )
)
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def intake_ready(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.INTAKE_KDF_COST = "interactive"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INTAKE_CHALLENGE_BITS = 4
    settings.HOME = tmp_path


def _run_worker() -> None:
    call_command("db_worker", batch=True, reload=False, startup_delay=False)


def _submit_report(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/report/")
    page.select_option("#id_category", "other")
    page.select_option("#id_province", "370000")
    page.wait_for_selector("#id_city option[value='370100']", state="attached")
    page.select_option("#id_city", "370100")
    page.wait_for_selector("#id_county option[value='370124']", state="attached")
    page.select_option("#id_county", "370124")
    page.fill("#id_person1_org", "县卫健局")
    page.fill("#id_description", LETTER)
    page.check("input[name='is_anonymous'][value='1']")
    page.check("#id_consent")
    page.click("#report-submit")
    page.wait_for_selector("#receipt-code")


def test_report_triage_correction_and_public_posts_to_lead(
    live_server, browser, org_tree, make_user, intake_ready, artifacts_dir, tmp_path
):
    registry_build(org_tree)
    handler = make_user(Role.PETITION, org=org_tree.petition_office, username="xinfang")
    analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission, username="fenxi")
    for user in (handler, analyst):
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    give_key(handler)
    # Given the same letter came in once before, by post
    earlier = register_case(org_tree.commission, summary=LETTER, persons=[], source="letter")
    _run_worker()

    # When a citizen files it again on the portal, and the worker reads it
    citizen = browser.new_context(locale="zh-CN").new_page()
    _submit_report(citizen, live_server.url)
    citizen.context.close()
    report = Report.objects.get()
    _run_worker()

    # Then the handler sees the reading on the report page
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    staff_login(page, live_server.url, handler)
    page.goto(f"{live_server.url}/staff/reports/{report.pk}/")
    page.wait_for_selector("#triage-panel #triage-category")
    assert page.inner_text("#triage-category") == "贪污贿赂"
    assert "王建国" in page.inner_text("#triage-person-1")
    assert "县卫生健康局" in page.inner_text("#triage-person-1")
    assert "20,000" in page.inner_text("#triage-amount")
    assert earlier.number in page.inner_text("#triage-duplicate-warning")
    assert "实名" not in page.inner_text("#triage-priority")  # anonymous: no point for a real name
    assert "反映领导干部" in page.inner_text("#triage-priority")

    # When the handler corrects the category with one click
    page.select_option("#triage-category-select", "sifeng_gifts")
    page.click("#triage-category-correct")
    page.wait_for_selector("#triage-category-state")
    assert "违规收送礼品礼金" in page.inner_text("#triage-category-state")

    # Then the correction is training data, and the model page lists it
    feedback = Feedback.objects.get(field=Field.CATEGORY)
    assert (feedback.case_id, feedback.predicted, feedback.corrected, feedback.decided_by) == (
        report.case_id,
        "bribery",
        "sifeng_gifts",
        handler,
    )
    page.goto(f"{live_server.url}/staff/triage/model/")
    training = page.inner_text("#training-data")
    assert report.case.number in training
    assert "违规收送礼品礼金" in training
    page.screenshot(path=str(artifacts_dir / "triage_model.png"), full_page=True)
    signed_in = context.storage_state()  # one sign-in: a TOTP code is good once
    context.close()

    # And on a phone, in Chinese and in English, the case page's panel fits the screen
    for language in ("zh-hans", "en"):
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, storage_state=signed_in
        )
        phone.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        mobile = phone.new_page()
        errors += console_errors(mobile)
        mobile.goto(f"{live_server.url}/staff/cases/{report.case_id}/")
        mobile.wait_for_selector("#triage-panel #triage-category")
        # the panel is checked; the rest of the case page belongs to the cases app
        assert mobile.evaluate(PANEL_OVERFLOWS_JS) == []
        header = mobile.inner_text("#triage-panel .card-header")
        if language == "en":
            assert HAN.findall(header) == [], header
            assert "gifts" in mobile.inner_text("#triage-category-state")
        mobile.screenshot(path=str(artifacts_dir / f"triage_panel_390_{language}.png"), full_page=True)
        phone.close()

    # When an analyst imports a 舆情 export with one bad row
    export = tmp_path / "yuqing.csv"
    export.write_text(POSTS, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors += console_errors(page)
    staff_login(page, live_server.url, analyst)
    page.goto(f"{live_server.url}/staff/triage/posts/")
    page.set_input_files("#posts-file", str(export))
    page.click("#posts-submit")
    page.wait_for_selector("#posts-errors")
    assert "第 5 行" in page.inner_text("#posts-errors")
    assert "昨天下午" in page.inner_text("#posts-errors")
    rows = page.locator("#post-events tbody tr")
    assert rows.count() == 1
    assert "王建国" in rows.first.inner_text()

    # Then one event becomes a 问题线索 with its posts as evidence
    rows.first.locator("a").click()
    page.wait_for_selector("#event-posts")
    assert page.locator("#event-posts li").count() == 2
    page.click("#event-convert")
    page.wait_for_selector("#event-case")
    lead = Case.objects.get(kind=Kind.LEAD)
    assert page.inner_text("#event-case") == lead.number
    assert page.inner_text("#event-status") == "已转问题线索"
    assert lead.attachments.get().name.startswith("舆情帖子_")
    assert [p["author"] for p in lead.details["posts"]] == ["网友A", "网友B"]
    page.screenshot(path=str(artifacts_dir / "triage_lead.png"), full_page=True)
    context.close()
    assert errors == [], "\n".join(errors)
