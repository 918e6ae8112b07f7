"""主体责任 in the browser: the reviewer reopens a locked task, the unit's 履责联络员 uploads the
evidence and submits on a phone, the reviewer returns it, the liaison resubmits, the reviewer
accepts it with a grade; in Chinese, then the pages again in English and at 390 px."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from lianqing.duties.lights import lights_refresh
from lianqing.duties.models import Task, TaskStatus
from tests.duties import conftest as duties_conftest
from tests.duties.conftest import World
from tests.e2e.conftest import totp_now
from tests.e2e.console import console_errors
from tests.e2e.layout import layout_problems

pytestmark = pytest.mark.django_db(transaction=True)
duties_world = duties_conftest.world  # the duties tests' fixture, here too
CJK = re.compile(r"[\u4e00-\u9fff]")


def _login(page: object, base_url: str, user: object, landing: str) -> None:
    from tests.core.factories import TEST_PASSWORD

    page.goto(f"{base_url}/staff/login/")  # type: ignore[attr-defined]
    page.fill("#id_username", user.username)  # type: ignore[attr-defined]
    page.fill("#id_password", TEST_PASSWORD)  # type: ignore[attr-defined]
    page.click("#login-submit")  # type: ignore[attr-defined]
    page.wait_for_url("**/staff/otp/**")  # type: ignore[attr-defined]
    page.fill("#id_token", totp_now(user))  # type: ignore[attr-defined]
    page.click("#otp-submit")  # type: ignore[attr-defined]
    page.wait_for_selector(landing)  # type: ignore[attr-defined]


def _status(page: object) -> str:
    return page.inner_text("#task-status")  # type: ignore[attr-defined]


def test_liaison_and_reviewer_walk_a_task(
    live_server, browser, duties_world: World, tmp_path, artifacts_dir
) -> None:
    for user in (duties_world.liaison, duties_world.reviewer):
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    lights_refresh(today=timezone.localdate())
    task = Task.objects.get(unit=duties_world.unit_a, item__title="研究部署党风廉政建设工作")
    assert task.status == TaskStatus.LOCKED
    url = f"{live_server.url}/staff/duties/tasks/{task.pk}/"
    picture = tmp_path / "会议记录.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, "JPEG")
    picture.write_bytes(buffer.getvalue())

    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    reviewer = desk.new_page()
    reviewer_errors = console_errors(reviewer)
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    liaison = phone.new_page()
    liaison_errors = console_errors(liaison)

    _login(reviewer, live_server.url, duties_world.reviewer, "#staff-home-title")
    reviewer.goto(url)
    assert "已锁定" in _status(reviewer)
    reviewer.fill("#form-reopen textarea", "单位说明延误原因，准予补报")
    reviewer.click("#do-reopen")
    reviewer.wait_for_selector("text=已解锁")
    assert "曾逾期" in _status(reviewer)

    _login(liaison, live_server.url, duties_world.liaison, "#unit-title")
    assert layout_problems(liaison) == []
    liaison.click(f"a[href='/staff/duties/tasks/{task.pk}/']")
    liaison.select_option("#id_kind", "minutes")
    liaison.set_input_files("#id_file", str(picture))
    liaison.click("#upload-button")
    liaison.wait_for_selector("#evidence-list a")
    liaison.fill("#form-submit textarea", "已召开党组会议专题研究部署")
    liaison.click("#do-submit")
    liaison.wait_for_selector("text=待审核")
    assert layout_problems(liaison) == []
    liaison.screenshot(path=str(artifacts_dir / "duties-liaison-390.png"), full_page=True)

    reviewer.goto(url)
    reviewer.fill("#form-return textarea", "会议记录缺少签到页")
    reviewer.click("#do-return")
    reviewer.wait_for_selector("text=已退回")

    liaison.goto(url)
    liaison.fill("#form-submit textarea", "已补充签到页")
    liaison.click("#do-submit")
    liaison.wait_for_selector("text=待审核")

    reviewer.goto(url)
    reviewer.select_option("#form-accept select", "A")
    reviewer.click("#do-accept")
    reviewer.wait_for_selector("#task-grade")
    assert "已通过" in _status(reviewer)
    assert reviewer.get_attribute("#task-title .lq-light", "data-light") == "green"
    reviewer.screenshot(path=str(artifacts_dir / "duties-reviewer-1366.png"), full_page=True)
    assert reviewer_errors == []
    assert liaison_errors == []

    # English, and the commission's pages at 390 px
    desk.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    for path in (
        url,
        "/staff/duties/dashboard/?year=2026",
        f"/staff/duties/units/{duties_world.unit_a.pk}/?year=2026",
    ):
        reviewer.goto(path if path.startswith("http") else f"{live_server.url}{path}")
        heading = reviewer.inner_text("h1")
        if "dashboard" in path:
            assert not CJK.search(heading), heading
    assert reviewer_errors == []
    liaison.goto(f"{live_server.url}/staff/duties/units/{duties_world.unit_a.pk}/handbook/?year=2026")
    assert "履责纪实手册" in liaison.inner_text("h1")
    assert layout_problems(liaison) == []
    assert liaison_errors == []
    assert liaison.goto(f"{live_server.url}/staff/cases/").status == 404  # nothing else of the platform
    desk.close()
    phone.close()
