"""A walk of the case screens for every demo role, in both languages, at 1366 and 390 px:
no console error, no horizontal overflow, and the English screens' own words in English."""

from __future__ import annotations

import io
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.cases.models import Case
from lianqing.core.models import User
from tests.core.factories import TEST_PASSWORD
from tests.e2e.conftest import staff_login
from tests.e2e.console import console_errors

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ["lingdao", "xinfang", "anguan", "jiancha", "shencha", "shenli", "shuju", "chengguan"]
CJK = re.compile(r"[\u4e00-\u9fff]")
# The screens' own words: labels, headings, buttons, column heads, status badges.
OWN_WORDS = "h1, h2, label, button, th, dt, .badge, .alert"


@pytest.fixture
def demo(db):
    from lianqing.cases import demo as cases_demo
    from lianqing.core import demo as core_demo

    core_demo.load(io.StringIO())
    cases_demo.load(io.StringIO())
    for user in User.objects.filter(username__in=ROLES):
        user.set_password(TEST_PASSWORD)
        user.save(update_fields=["password"])
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _pages(user: User) -> list[str]:
    from lianqing.cases.access import case_scope
    from lianqing.cases.statistics_views import STATISTICS_ROLES
    from lianqing.cases.views import REGISTER_ROLES

    pages = ["/staff/", "/staff/cases/"]
    pages += ["/staff/cases/new/"] if user.has_role(*REGISTER_ROLES) else []
    pages += ["/staff/cases/statistics/"] if user.has_role(*STATISTICS_ROLES) else []
    visible = case_scope(Case.objects.order_by("pk"), user)
    pages += [f"/staff/cases/{case.pk}/" for case in visible[:3]]
    return pages


def _own_words_in_chinese(page: object, data: list[str]) -> list[str]:
    texts = page.eval_on_selector_all(OWN_WORDS, "nodes => nodes.map(n => n.innerText)")  # type: ignore[attr-defined]
    leaks = []
    for text in texts:
        for value in data:
            text = text.replace(value, " ")
        if CJK.search(text):
            leaks.append(text.strip()[:60])
    return leaks


@pytest.mark.parametrize("username", ROLES)
def test_walk_every_case_screen(live_server, browser, demo, artifacts_dir, username):
    user = User.objects.get(username=username)
    from lianqing.core.models import Org

    data = [
        *sorted(
            {*Org.objects.values_list("name", flat=True), *map(str, User.objects.all()), *user.role_names()},
            key=len,
            reverse=True,
        ),
        "廉情",
        "简体中文",
        "中文",
    ]
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    errors = console_errors(page)
    staff_login(page, live_server.url, user)  # once: a TOTP code is never accepted twice
    for language in ("zh-hans", "en"):
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for path in _pages(user):
            for width in (1366, 390):
                page.set_viewport_size({"width": width, "height": 844})
                page.goto(f"{live_server.url}{path}")
                overflow = page.evaluate("document.documentElement.scrollWidth") - width
                if overflow > 0:
                    problems.append(f"{language} {width}px {path}: {overflow}px wider than the screen")
                if language == "en":
                    problems += [f"en {path}: {leak}" for leak in _own_words_in_chinese(page, data)]
        page.screenshot(path=str(artifacts_dir / f"walk_{username}_{language}.png"), full_page=True)
    context.close()
    problems += errors
    assert sorted(set(problems)) == [], "\n".join(sorted(set(problems)))
