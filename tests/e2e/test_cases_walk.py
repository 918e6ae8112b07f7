"""A walk of every page a demo user sees (core, intake, cases, dossiers, the public portal), for
every demo role, in both languages, at 1366 and 390 px: no console error or HTTP error, nothing
wider than its box, no chart label clipped, the screen's own words in the page's language, and no
raw column name or region code where a name exists. One server, one browser, one demo; a page
list per role (the pages the role may open). Screenshots go to tests/e2e/artifacts/walk/."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.core.models import User
from tests.core.factories import TEST_PASSWORD
from tests.e2e.conftest import staff_login
from tests.e2e.console import console_errors
from tests.e2e.layout import code_problems, language_problems, layout_problems

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = [
    "lingdao", "xinfang", "anguan", "jiancha", "shencha", "shenli", "shuju", "chengguan",
    "admin", "anquan", "shenji",  # 三员: 系统管理员, 安全保密管理员, 安全审计员
]  # fmt: skip
LANGUAGES = ("zh-hans", "en")
WIDTHS = (1366, 390)
# The screen's own words: labels, headings, buttons, column heads, status badges, help text.
OWN_WORDS = (
    "main h1, main h2, main h3, main label, main button, main th, main dt, main .badge, main .alert, nav"
)
PUBLIC_PAGES = ["/", "/report/", "/report/track/", "/staff/login/"]
# Pages that read the same for every role: walked with the first role that may open them.
SAME_FOR_EVERY_ROLE = ("/staff/password/", "/staff/orgs/")
# Django's own admin: its layout and its third-party model names are not ours; console errors only.
DJANGO_ADMIN = "/admin/"


@pytest.fixture
def demo(db, settings, tmp_path):
    from lianqing.cases import demo as cases_demo
    from lianqing.core import demo as core_demo
    from lianqing.dossiers import demo as dossiers_demo
    from lianqing.intake import demo as intake_demo

    settings.KEYS_DIR = tmp_path / "keys"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INTAKE_CHALLENGE_BITS = 4
    settings.INTAKE_KDF_COST = "interactive"
    settings.KEYS_DIR.mkdir()
    out = io.StringIO()
    core_demo.load(out)
    intake_demo.load(out)
    cases_demo.load(out)
    dossiers_demo.load(out)
    for user in User.objects.filter(username__in=ROLES):
        user.set_password(TEST_PASSWORD)
        user.save(update_fields=["password"])
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _candidates() -> list[str]:
    """Every staff page of the demo, with one object of each kind."""
    from lianqing.cases.models import Case
    from lianqing.core.models import Org
    from lianqing.dossiers.models import Cadre, OpinionRequest, RegistryImport, Unit
    from lianqing.intake.models import Report

    pages = [
        "/staff/", "/staff/password/", "/staff/orgs/", "/staff/notifications/", "/staff/audit/",
        "/staff/grants/", "/admin/",
        "/staff/cases/", "/staff/cases/new/", "/staff/cases/statistics/",
        "/staff/reports/", "/staff/reports/my-key/", "/staff/reports/identity-requests/",
        "/staff/dossiers/", "/staff/dossiers/opinions/", "/staff/dossiers/opinions/new/",
    ]  # fmt: skip
    commission = Org.objects.get(org_code="JW370124")
    pages.append(f"/staff/orgs/{commission.pk}/")
    pages += [f"/staff/reports/{pk}/" for pk in Report.objects.order_by("pk").values_list("pk", flat=True)]
    cases = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    pages += [f"/staff/cases/{pk}/" for pk in cases]
    pages += [f"/staff/cases/{pk}/print/" for pk in cases[:1]]
    for model, path in ((Cadre, "cadres"), (Unit, "units"), (RegistryImport, "imports")):
        first = model.objects.order_by("pk").first()
        if first is not None:
            pages.append(f"/staff/dossiers/{path}/{first.pk}/")
    opinion = OpinionRequest.objects.order_by("pk").first()
    if opinion is not None:
        pages += [f"/staff/dossiers/opinions/{opinion.pk}/", f"/staff/dossiers/opinions/{opinion.pk}/print/"]
    return pages


def _pages_for(user: User, candidates: list[str]) -> list[str]:
    """The pages this user may open (200, HTML); at most three cases, the rest of each kind once."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    pages, cases = [], 0
    for path in candidates:
        is_case = path.startswith("/staff/cases/") and path.rstrip("/").split("/")[-1].isdigit()
        if is_case and cases >= 3:
            continue
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(path)
            cases += is_case
    return pages


def _data_words() -> list[str]:
    """What the data says (names of orgs, people, places, roles): may be in either language."""
    from lianqing.cases.models import ReportedPerson
    from lianqing.core.models import Org
    from lianqing.core.roles import Role
    from lianqing.dossiers.models import Cadre, Post, Unit

    words = {
        *Org.objects.values_list("name", flat=True),
        *Cadre.objects.values_list("name", flat=True),
        *Unit.objects.values_list("name", flat=True),
        *Post.objects.values_list("position", flat=True),
        *ReportedPerson.objects.values_list("name", flat=True),
        *ReportedPerson.objects.values_list("org_name", flat=True),
        *ReportedPerson.objects.values_list("position", flat=True),
        *(str(user) for user in User.objects.all()),
        *(user.get_full_name() for user in User.objects.all()),
        *(user.username for user in User.objects.all()),
        *(str(role.value) for role in Role),
        "廉情", "简体中文", "中文", "English",
    }  # fmt: skip
    return sorted((w for w in words if w), key=len, reverse=True)


def _check(page: object, language: str, data: list[str]) -> list[str]:
    if page.url.split("//", 1)[-1].partition("/")[2].startswith(DJANGO_ADMIN.strip("/")):  # type: ignore[attr-defined]
        return []
    problems = layout_problems(page) + code_problems(page)
    return problems + language_problems(page, language, data, OWN_WORDS)


def _open(page: object, url: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    if page.query_selector("#reason-form"):  # type: ignore[attr-defined]
        page.fill("#reason-form textarea, #reason-form input[name=reason]", "走查页面")  # type: ignore[attr-defined]
        page.click("#reason-submit")  # type: ignore[attr-defined]
        page.wait_for_load_state()  # type: ignore[attr-defined]


def test_walk_every_page_for_every_role(live_server, browser, demo, artifacts_dir: Path):
    data = _data_words()
    candidates = _candidates()
    shots = artifacts_dir / "walk"
    shots.mkdir(exist_ok=True)
    problems: list[str] = []
    # The public side, as anyone
    context = browser.new_context(viewport={"width": 1366, "height": 844}, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    errors = console_errors(page)
    for language in LANGUAGES:
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for path in PUBLIC_PAGES:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 844})
                page.goto(f"{live_server.url}{path}")
                problems += [f"public {language} {width}px {path}: {p}" for p in _check(page, language, data)]
                slug = path.strip("/").replace("/", "_") or "home"
                page.screenshot(path=str(shots / f"public_{slug}_{language}_{width}.png"), full_page=True)
    context.close()
    problems += errors
    # Every role's pages
    walked: set[str] = set()
    for username in ROLES:
        user = User.objects.get(username=username)
        pages = [p for p in _pages_for(user, candidates) if not p.startswith(tuple(walked))]
        walked |= {p for p in pages if p.startswith(SAME_FOR_EVERY_ROLE)}
        context = browser.new_context(viewport={"width": 1366, "height": 844}, locale="zh-CN")  # type: ignore[attr-defined]
        page = context.new_page()
        errors = console_errors(page)
        staff_login(page, live_server.url, user)  # once: a TOTP code is never accepted twice
        for language in LANGUAGES:
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            for path in pages:
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 844})
                    _open(page, f"{live_server.url}{path}")
                    found = _check(page, language, data)
                    problems += [f"{username} {language} {width}px {path}: {p}" for p in found]
                    slug = path.strip("/").replace("/", "_")
                    page.screenshot(
                        path=str(shots / f"{username}_{slug}_{language}_{width}.png"), full_page=True
                    )
        context.close()
        problems += [f"{username}: {error}" for error in errors]
    unique = sorted(set(problems))
    assert unique == [], f"{len(unique)} problems:\n" + "\n".join(unique)
