"""The mapping wizard in a real browser: a messy GBK export with junk rows above its header is
mapped (one proposal corrected), saved under the department's name, and next month's export is
imported with it in one click; the wizard's screens clip nothing at 1366 and 390 px, zh and en."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.core.roles import Role
from lianqing.leads.models import DataPackage
from tests.analytics.mapping_exports import civil_affairs_export
from tests.e2e.conftest import staff_login
from tests.e2e.console import console_errors
from tests.e2e.layout import layout_problems

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def analyst(tmp_path, settings, org_tree, make_user):
    settings.DATA_DIR = tmp_path / "data"
    user = make_user(Role.DATA_ANALYSIS, org=org_tree.commission, username="shuju")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def test_map_a_messy_export_save_and_import_next_month_in_one_click(
    page, live_server, analyst, tmp_path, artifacts_dir
):
    errors = console_errors(page)
    november = civil_affairs_export(tmp_path / "低保11月.csv", 11, bad_amount_row=2)
    december = civil_affairs_export(tmp_path / "低保12月.csv", 12, persons=8)
    staff_login(page, live_server.url, analyst)
    page.goto(f"{live_server.url}/staff/leads/")
    page.click("#mapping-link")
    page.select_option("#id_dataset", "benefits")
    page.set_input_files("#id_export", str(november))
    page.click("#wizard-start")
    page.wait_for_selector("#wizard-columns")
    assert "表头在第 4 行" in page.inner_text("#wizard-detected")
    assert page.input_value("#column-2") == "person_id"  # 识别码: by its values
    assert "五百元" in page.inner_text("#wizard-rejects")
    # The analyst corrects one proposal: 流水号 is kept aside instead of being the record id (the
    # importer then derives record ids from file and row).
    page.select_option("#column-0", "")
    page.click("#wizard-preview-button")
    page.wait_for_selector("#wizard-columns")
    assert page.input_value("#column-0") == ""
    page.screenshot(path=str(artifacts_dir / "wizard_1366_zh.png"), full_page=True)
    assert layout_problems(page) == []
    page.fill("#id_department", "民政局")
    page.click("#wizard-save")
    page.wait_for_selector("#saved-mappings [data-mapping='民政局']")

    page.set_input_files("[data-mapping='民政局'] input[type=file]", str(december))
    page.click("[data-mapping='民政局'] button[type=submit]")
    page.wait_for_url("**/staff/leads/packages/*/")
    package = DataPackage.objects.get()
    assert package.datasets == {"benefits": 8}
    assert errors == []


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_the_wizard_clips_nothing_in_either_language(
    request, viewport, live_server, analyst, tmp_path, artifacts_dir
):
    page = request.getfixturevalue(viewport)
    width = 1366 if viewport == "page" else 390
    errors = console_errors(page)
    export = civil_affairs_export(tmp_path / "低保11月.csv", 11, bad_amount_row=2)
    staff_login(page, live_server.url, analyst)
    for language in ("zh-hans", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page.goto(f"{live_server.url}/staff/leads/mappings/")
        assert layout_problems(page) == []
        page.select_option("#id_dataset", "benefits")
        page.set_input_files("#id_export", str(export))
        page.click("#wizard-start")
        page.wait_for_selector("#wizard-columns")
        page.screenshot(path=str(artifacts_dir / f"wizard_{width}_{language}.png"), full_page=True)
        assert layout_problems(page) == [], language
        if language == "en":
            assert "Header on row 4" in page.inner_text("#wizard-detected")
    assert errors == []
