"""The demo district's 领导驾驶舱: units coloured by their index, a warning of each kind, drilling down
to the items behind a score and a warning; a warning verified, rectified and closed; the 大屏
renders with no console error; in Chinese and English, at 1366 and 390 px."""

from __future__ import annotations

import io

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.core import demo as core_demo
from lianqing.core.models import Org, User
from lianqing.integrity import demo as integrity_demo
from lianqing.integrity.demo import UNITS
from lianqing.integrity.models import Warning, WarningStatus
from tests.core.factories import TEST_PASSWORD
from tests.dossiers.factories import UnitFactory, cadre_in_post
from tests.e2e.conftest import staff_login

pytestmark = [pytest.mark.django_db(transaction=True)]

UNIT_NAMES = {
    "DEMO-WJ": "县卫生健康局", "DEMO-MZ": "县民政局", "DEMO-DE": "东阿镇人民政府", "DEMO-CZ": "县财政局",
    "DEMO-JY": "县教育和体育局", "DEMO-ZJ": "县住房和城乡建设局", "DEMO-NY": "县农业农村局", "DEMO-XZ": "孝直镇人民政府",
}  # fmt: skip
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"


def _demo_district() -> User:
    """The demo's org tree, users and registry units (as the dossiers demo makes them), then the
    integrity demo's planted reports and one daily run."""
    out = io.StringIO()
    core_demo.load(out)
    commission = Org.objects.get(org_code=core_demo.COMMISSION_CODE)
    serial = 100
    for code in UNITS:
        unit = UnitFactory(code=code, name=UNIT_NAMES[code], org=commission, region_code=core_demo.REGION)
        for position in ("局长", "副局长", "科长", "科员"):
            serial += 1
            name = SURNAMES[serial % len(SURNAMES)] + "建" + "国华明强"[serial % 4]
            cadre_in_post(org=commission, name=name, unit=unit, position=position, serial=serial)
    integrity_demo.load(out)
    leader = User.objects.get(username="lingdao")
    leader.set_password(TEST_PASSWORD)
    leader.save()
    TOTPDevice.objects.create(user=leader, name="phone", confirmed=True)
    return leader


def _watch(page, errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))

    def console(message) -> None:  # type: ignore[no-untyped-def]
        if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico"):
            errors.append(f"{page.url}: {message.text}")

    page.on("console", console)
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.url}: HTTP {r.status}")
            if r.status >= 400 and not r.url.endswith("favicon.ico")
            else None
        ),
    )


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1] + 1, f"page is {width[0]}px wide in a {width[1]}px window"


def test_demo_cockpit_drill_down_dispose_and_big_screen(live_server, browser, artifacts_dir):
    leader = _demo_district()
    kinds = set(Warning.objects.values_list("kind", flat=True))
    assert kinds == {"苗头性", "倾向性", "集中"}  # the demo plants one of each
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    _watch(page, errors)
    staff_login(page, live_server.url, leader)

    # Given the leader's 工作台: the cockpit, units coloured, a warning of each kind open
    page.wait_for_selector("#home-cockpit #cockpit-treemap canvas")
    for kind in ("苗头性", "倾向性", "集中"):
        assert int(page.inner_text(f"#warning-kinds [data-kind='{kind}']")) >= 1
    legend = page.inner_text("#colour-legend")
    assert "红" in legend
    assert "绿" in legend
    assert "县民政局" in page.inner_text("#risky-units")
    page.screenshot(path=str(artifacts_dir / "integrity-cockpit-1366.png"), full_page=True)

    # When he drills down from the riskiest unit to its deductions and on to a report behind them
    page.click("#risky-units a:text('县民政局')")
    page.wait_for_selector("#deductions")
    assert "巡察审计问题未整改" in page.inner_text("#deductions")
    page.click("#deductions a[href*='/staff/integrity/scores/']")  # its cadres' share → a cadre
    page.wait_for_selector("#deductions a[href*='/staff/cases/']")
    page.click("#deductions a[href*='/staff/cases/']")
    page.wait_for_url("**/staff/cases/*/")

    # And from the 苗头性 warning to the reports behind it, then verifies, rectifies and closes it
    page.goto(f"{live_server.url}/staff/integrity/warnings/?kind=苗头性")
    page.click("#warning-table tr:has-text('县民政局') a.warning-link")
    page.wait_for_selector("#warning-chart canvas")
    # The chart draws the expected count (and its band) month by month, not only in the warned month
    judged = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('warning-chart')).getOption().series"
        ".filter((s) => s.type === 'line').map((s) => s.data.filter((v) => v !== null).length)"
    )
    assert len(judged) == 3
    assert min(judged) >= 6, judged
    warning_url = page.url
    assert page.locator("#warning-items a[href*='/staff/cases/']").count() == 9
    assert "预警" in page.inner_text("#warning-status")
    page.select_option("#id_owner", label=str(leader))
    page.click("#assign-submit")
    page.fill("#verify-reason", "派第一监督检查室核实")
    page.click("#verify-submit")
    page.wait_for_selector("#rectify-reason")
    page.fill("#rectify-reason", "经核实部分属实，责令县民政局整改低保评定程序")
    page.click("#rectify-submit")
    page.wait_for_selector("#close-reason")
    page.click("#close-submit")  # no reason: the browser asks for one, nothing is sent
    assert Warning.objects.get(unit_code="DEMO-MZ", kind="苗头性").status == WarningStatus.RECTIFYING
    page.fill("#close-reason", "整改到位，复核无新增问题")
    page.click("#close-submit")
    page.wait_for_selector("#warning-status:text('已销号')")
    assert "整改到位" in page.inner_text("#warning-events")
    assert Warning.objects.get(unit_code="DEMO-MZ", kind="苗头性").status == WarningStatus.CLOSED

    # The 大屏 renders its charts with large type and nothing in the console
    page.goto(f"{live_server.url}/staff/integrity/screen/")
    page.wait_for_selector("#cockpit-treemap canvas")
    size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('#screen-title')).fontSize)"
    )
    assert size >= 30
    page.screenshot(path=str(artifacts_dir / "integrity-screen-1366.png"))

    # In English
    page.goto(f"{live_server.url}/staff/integrity/")
    page.click("button[name='language'][value='en']")
    page.wait_for_selector("#cockpit-title:text('Leadership cockpit')")
    assert "Open warnings" in page.inner_text("#cockpit")
    page.goto(f"{live_server.url}/staff/integrity/screen/")
    page.wait_for_selector("#cockpit-treemap canvas")
    assert "Integrity big screen" in page.inner_text("#screen-title")
    page.goto(warning_url)
    page.wait_for_selector("#warning-chart canvas")
    explanation = page.inner_text("#warning-explanation")
    assert "a sudden rise" in explanation
    assert "基线" not in explanation
    context.close()

    # At 390 px, the cockpit and the 大屏 fit the phone
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = phone.new_page()
    _watch(page, errors)
    staff_login(page, live_server.url, leader)
    page.wait_for_selector("#home-cockpit #cockpit-treemap canvas")
    _no_sideways_scroll(page)
    page.goto(f"{live_server.url}/staff/integrity/screen/")
    page.wait_for_selector("#cockpit-treemap canvas")
    _no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "integrity-screen-390.png"), full_page=True)
    page.goto(f"{live_server.url}/staff/integrity/warnings/?status=all")
    _no_sideways_scroll(page)
    phone.close()
    assert errors == []
