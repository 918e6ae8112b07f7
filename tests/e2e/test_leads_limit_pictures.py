"""The pictures that put a measure against its line (F09, F11, F12, D01–D03), in a real browser:
one hit of each drawn, nothing clipped at 1366 and 390 px, no console error, zh and en; and the
rule catalogue, reached from the leads page, at the same sizes and in both languages."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.analytics.generate import generate
from lianqing.core.roles import Role
from lianqing.leads.services import package_register_folder, scan_run_sync
from tests.e2e.conftest import staff_login
from tests.e2e.console import console_errors
from tests.e2e.layout import layout_problems

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PICTURES = (
    ("F09", "fuel", "Fuel fills against the tank"),
    ("F11", "payments", "The day's official card payments"),
    ("F12", "years", "Official reception spending, two years"),
    ("D01", "declared", "Declared against found"),
    ("D02", "declared", "Declared against found"),
    ("D03", "declared", "Declared against found"),
)


@pytest.fixture
def scanned(tmp_path, settings, org_tree, make_user):
    settings.DATA_DIR = tmp_path / "data"
    generate(settings.DATA_DIR / "2025-12", persons=1_000, seed=5)
    analyst = make_user(Role.DATA_ANALYSIS, Role.LEADER, org=org_tree.commission, username="shuju")
    TOTPDevice.objects.create(user=analyst, name="phone", confirmed=True)
    package = package_register_folder(user=analyst, folder="2025-12")
    run = scan_run_sync(package=package, user=analyst, as_of=package.as_of)
    return analyst, run


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_each_measure_picture_draws_whole_in_both_languages(
    request, viewport, live_server, scanned, artifacts_dir
):
    page = request.getfixturevalue(viewport)
    width = 1366 if viewport == "page" else 390
    analyst, run = scanned
    errors = console_errors(page)
    staff_login(page, live_server.url, analyst)
    problems: dict[str, list[str]] = {}
    for language in ("zh-hans", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for rule_id, kind, english_title in PICTURES:
            hit = run.hits.filter(rule_id=rule_id).order_by("subject_id").first()
            assert hit is not None, rule_id
            page.goto(f"{live_server.url}/staff/leads/hits/{hit.pk}/")
            page.wait_for_selector(f"#chart-{kind}[data-drawn='true'] canvas")
            page.wait_for_timeout(300)
            page.screenshot(
                path=str(artifacts_dir / f"measure_{width}_{language}_{rule_id.lower()}.png"), full_page=True
            )
            problems[f"{language} {rule_id}"] = layout_problems(page)
            title = page.get_attribute(f"#chart-{kind}", "aria-label")
            caption = page.inner_text(f"#chart-{kind}-caption")
            assert caption.strip(), rule_id
            if language == "en":
                assert title == english_title
                assert "升" not in caption
                assert "申报" not in caption
                assert "月份" not in caption
            else:
                assert title is not None
                assert title != english_title
        page.goto(f"{live_server.url}/staff/leads/")
        page.click("#rule-catalogue-link")
        page.wait_for_selector("#rule-F09 .rule-hits")
        page.screenshot(path=str(artifacts_dir / f"catalogue_{width}_{language}.png"), full_page=True)
        problems[f"{language} catalogue"] = layout_problems(page)
        f09_hits = run.hits.filter(rule_id="F09").count()
        assert page.inner_text("#rule-F09 .rule-hits").strip() == f"#{run.pk}：{f09_hits}"
    found = {where: lines for where, lines in problems.items() if lines}
    assert found == {}, "\n".join(f"{where}: {line}" for where, lines in found.items() for line in lines)
    assert errors == []
