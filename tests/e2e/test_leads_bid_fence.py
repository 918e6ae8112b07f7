"""The bid-fence picture of R024/R058 hits on the contract's own bids, in a real browser: the
process's bids on one axis with the scan's fence, drawn for a tender and for a tenderer, nothing
clipped at 1366 and 390 px, no console error, zh and en."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.analytics.generate import generate
from lianqing.core.roles import Role
from lianqing.leads.services import package_register_folder, scan_run_sync
from tests.e2e.conftest import staff_login
from tests.e2e.console import console_errors
from tests.e2e.layout import layout_problems

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def scanned(tmp_path, settings, org_tree, make_user):
    settings.DATA_DIR = tmp_path / "data"
    generate(settings.DATA_DIR / "2025-12", persons=1_000, seed=5)
    analyst = make_user(Role.DATA_ANALYSIS, Role.LEADER, org=org_tree.commission, username="shuju")
    TOTPDevice.objects.create(user=analyst, name="phone", confirmed=True)
    package = package_register_folder(user=analyst, folder="2025-12")
    run = scan_run_sync(package=package, user=analyst, as_of=package.as_of, rules=["R024", "R058"])
    return analyst, run


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_the_bids_and_the_fence_draw_in_both_languages(
    request, viewport, live_server, scanned, artifacts_dir
):
    page = request.getfixturevalue(viewport)
    width = 1366 if viewport == "page" else 390
    analyst, run = scanned
    hits = [
        run.hits.get(rule_id="R024", subject_id__startswith="tender:"),
        run.hits.filter(rule_id="R024", subject_id__startswith="tenderer:").order_by("subject_id").first(),
        run.hits.get(rule_id="R058", subject_id__startswith="tender:"),
    ]
    assert all(hit is not None for hit in hits)
    errors = console_errors(page)
    staff_login(page, live_server.url, analyst)
    problems: dict[str, list[str]] = {}
    for language in ("zh-hans", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for hit in hits:
            page.goto(f"{live_server.url}/staff/leads/hits/{hit.pk}/")
            page.wait_for_selector("#chart-bids[data-drawn='true'] canvas")
            page.wait_for_timeout(300)
            page.screenshot(
                path=str(artifacts_dir / f"bids_{width}_{language}_{hit.rule_id.lower()}_{hit.pk}.png"),
                full_page=True,
            )
            problems[f"{language} {hit.rule_id} {hit.subject_id}"] = layout_problems(page)
            title = page.get_attribute("#chart-bids", "aria-label")
            caption = page.inner_text("#chart-bids-caption")
            side = ("lower", "下限") if hit.rule_id == "R024" else ("upper", "上限")
            if language == "en":
                assert title == "Bids against the fence"
                assert f"the scan's {side[0]} fence" in caption
                assert not HAN.search(caption), caption
            else:
                assert title == "投标报价与围栏"
                assert f"本次扫描的{side[1]}围栏" in caption
    found = {where: lines for where, lines in problems.items() if lines}
    assert found == {}, "\n".join(f"{where}: {line}" for where, lines in found.items() for line in lines)
    assert errors == []
