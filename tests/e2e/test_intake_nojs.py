"""A reporter whose browser runs no JavaScript (Tor Browser's safest mode) still reports."""

from __future__ import annotations

import re

import pytest

from lianqing.intake.abuse import challenge_open
from lianqing.intake.captcha import captcha_answer
from lianqing.intake.models import Report
from tests.intake.conftest import intake_env, intake_key_dir  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.usefixtures("intake_env")
def test_report_without_javascript(live_server, browser, artifacts_dir):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1366, "height": 768}, locale="zh-CN"
    )
    page = context.new_page()
    errors: list[str] = []
    # (the browser's own /favicon.ico probe is not the page's: the app serves no favicon)
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    page.goto(f"{live_server.url}/report/")
    page.select_option("#id_category", "sifeng_dining")
    page.fill("#id_person1_name", "张某某")
    page.fill("#id_person1_org", "东阿镇人民政府")
    page.select_option("#id_province", "370000")  # no script fills the city list: the province is enough
    page.fill("#id_description", "镇政府某干部国庆期间多次用公款在饭店宴请亲友，每次都开具会议费发票报销。")
    page.check("input[name='is_anonymous'][value='1']")
    page.check("#id_consent")
    assert page.is_visible("#nojs-captcha img")
    token = page.get_attribute("#id_token", "value")
    page.fill("#id_captcha", captcha_answer(challenge_open(token)[0]))
    page.screenshot(path=str(artifacts_dir / "intake_nojs_form.png"), full_page=True)
    page.click("#report-submit")
    page.wait_for_selector("#receipt-code")
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", page.inner_text("#receipt-code").strip())
    assert Report.objects.get().region_code == "370000"
    assert errors == []
    context.close()
