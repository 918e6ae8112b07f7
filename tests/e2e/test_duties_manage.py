"""主体责任 in the browser, the commission's side of keeping things: a duty edited after assignment
(a new version, tasks untouched), a started duty refused deletion, a unit's leaders (a new 书记);
then 述责述廉 — the liaison submits on a phone, the leader returns and then accepts it. In Chinese,
then in English, at 1366 and 390 px, with no console errors and nothing spilling out."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.duties import services
from lianqing.duties.models import AccountabilityReport, ReportStatus, Task, TaskStatus, UnitLeader
from tests.duties import conftest as duties_conftest
from tests.duties.conftest import World
from tests.e2e.console import console_errors
from tests.e2e.layout import layout_problems
from tests.e2e.test_duties_walk import _login

pytestmark = pytest.mark.django_db(transaction=True)
duties_world = duties_conftest.world
CJK = re.compile(r"[\u4e00-\u9fff]")
REPORT = "一年来认真履行第一责任人职责，主持召开党组会议专题研究党风廉政建设工作4次，开展提醒谈话6人次。"


def _ui_text(page: object) -> str:
    """What the page itself says (labels, headings, buttons), without the data people typed."""
    return page.evaluate(  # type: ignore[attr-defined]
        """() => [...document.querySelectorAll('main h2, main label.form-label, main button, main th, main .alert')]
              .map(e => e.innerText.replace(/“[^”]*”|：.*$/g, '')).join('\\n')"""
    )


def test_leader_keeps_checklist_and_leaders_and_reviews_a_report(
    live_server, browser, duties_world: World, artifacts_dir
) -> None:
    world = duties_world
    for user in (world.liaison, world.leader):
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    started = Task.objects.get(unit=world.unit_a, item__title="国庆节前廉洁提醒")
    Task.objects.filter(pk=started.pk).update(status=TaskStatus.SUBMITTED, account="已开展提醒")
    base = live_server.url
    template_url = f"{base}/staff/duties/templates/{world.template.pk}/"

    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    leader = desk.new_page()
    leader_errors = console_errors(leader)
    _login(leader, base, world.leader, "#staff-home-title")

    # edit an assigned duty: a new version, the assigned task keeps its duty
    leader.goto(template_url)
    edit_href = f"/staff/duties/templates/{world.template.pk}/items/{started.lineage}/"
    first = Task.objects.get(unit=world.unit_a, item__title="研究部署党风廉政建设工作")
    leader.click(f"#items a[href='/staff/duties/templates/{world.template.pk}/items/{first.lineage}/']")
    assert "生成新版本" in leader.inner_text("main")
    leader.fill("#id_title", "研究部署党风廉政建设工作（修订）")
    leader.fill("#id_due_day", "20")
    leader.click("#item-edit-form button[type=submit]")
    leader.wait_for_selector("text=已保存为新版本")
    assert "第 2 版" in leader.inner_text("h1")
    assert Task.objects.get(pk=first.pk).item.title == "研究部署党风廉政建设工作"

    # a duty a unit has started: deletion refused with the reason
    leader.goto(f"{base}{edit_href}")
    leader.click("#item-delete-form button")
    leader.wait_for_selector(".alert >> text=不能删除")
    assert "县教育局党组" in leader.inner_text(".alert-danger, .alert-error, .alert")
    assert services.version_latest(world.template).items.filter(lineage=started.lineage).exists()

    # the unit's leaders: add a member, make them 书记
    leader.goto(f"{base}/staff/duties/units/{world.unit_a.pk}/leaders/")
    leader.fill("#id_name", "李明")
    leader.fill("#id_post", "党组成员")
    leader.click("#leader-form button[type=submit]")
    leader.wait_for_selector("#leaders >> text=李明")
    new = UnitLeader.objects.get(unit=world.unit_a, name="李明")
    leader.click(f"a[href='/staff/duties/leaders/{new.pk}/']")
    leader.check("#id_is_secretary")
    leader.click("#leader-form button[type=submit]")
    leader.wait_for_selector("text=已保存：李明")
    assert UnitLeader.objects.get(pk=new.pk).is_secretary
    assert layout_problems(leader) == []
    leader.screenshot(path=str(artifacts_dir / "duties-leaders-1366.png"), full_page=True)

    # 述责述廉: the liaison submits for the former 书记 on a phone
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    liaison = phone.new_page()
    liaison_errors = console_errors(liaison)
    _login(liaison, base, world.liaison, "#unit-title")
    liaison.click("#reports-link")
    liaison.select_option("#id_leader", str(world.secretary_leader.pk))
    liaison.fill("#id_content", REPORT)
    liaison.click("#report-form button[type=submit]")
    liaison.wait_for_selector("#report-status >> text=待审核")
    assert layout_problems(liaison) == []
    liaison.screenshot(path=str(artifacts_dir / "duties-report-390.png"), full_page=True)
    report = AccountabilityReport.objects.get()

    leader.goto(f"{base}/staff/duties/reports/?year=2026")
    leader.click(f"#reports a[href='/staff/duties/reports/{report.pk}/']")
    leader.select_option("#id_decision", "return")
    leader.fill("#id_reason", "请对照责任清单逐项报告")
    leader.click("#review-form button[type=submit]")
    leader.wait_for_selector("#report-status >> text=已退回")

    liaison.goto(f"{base}/staff/duties/reports/{report.pk}/")
    assert "请对照责任清单逐项报告" in liaison.inner_text("#return-reason")
    liaison.fill("#resubmit-form textarea", REPORT + "已逐项对照，均已完成。")
    liaison.click("#resubmit-form button[type=submit]")
    liaison.wait_for_selector("#report-status >> text=待审核")

    leader.goto(f"{base}/staff/duties/reports/{report.pk}/")
    leader.select_option("#id_decision", "accept")
    leader.select_option("#id_grade", "A")
    leader.fill("#id_comment", "履职到位")
    leader.click("#review-form button[type=submit]")
    leader.wait_for_selector("#report-grade")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert leader_errors == []
    assert liaison_errors == []

    # English, desk and phone: the new pages say nothing in Chinese of their own
    pages = [
        template_url, f"{base}{edit_href}", f"{base}/staff/duties/units/{world.unit_a.pk}/leaders/",
        f"{base}/staff/duties/leaders/{new.pk}/", f"{base}/staff/duties/reports/?year=2026",
        f"{base}/staff/duties/reports/{report.pk}/",
    ]  # fmt: skip
    for context, page in ((desk, leader), (phone, liaison)):
        context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
        for url in pages if page is leader else pages[-2:]:
            page.goto(url)
            text = _ui_text(page)
            assert not CJK.search(text), (url, CJK.findall(text)[:10], text[:300])
            assert layout_problems(page) == [], url
    mobile = phone.new_page()
    mobile_errors = console_errors(mobile)
    for url in (pages[-2], pages[-1]):
        mobile.goto(url)
        assert layout_problems(mobile) == [], url
    leader.screenshot(path=str(artifacts_dir / "duties-report-en-1366.png"), full_page=True)
    mobile.screenshot(path=str(artifacts_dir / "duties-report-en-390.png"), full_page=True)
    assert leader_errors == []
    assert liaison_errors == []
    assert mobile_errors == []
    desk.close()
    phone.close()
