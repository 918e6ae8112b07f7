"""登记 实名 in the browser, in Chinese: the identity fields appear only when 实名 is ticked, a
missing phone is refused at its field, the region is chosen by the shared cascade, and the
submitted identity is sealed (readable through the custodian path only); no console error."""

from __future__ import annotations

import pytest

from lianqing.cases.models import Case
from lianqing.intake.models import Channel, Report
from lianqing.intake.selectors import report_identity_read
from tests.e2e.conftest import staff_login
from tests.e2e.console import console_errors
from tests.e2e.layout import layout_problems
from tests.intake.conftest import approve_identity, intake_env, intake_key_dir, keeper, unlock

__all__ = ["intake_env", "intake_key_dir"]  # fixtures used below

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_a_named_visit_in_chinese(live_server, page, intake_env, officer, artifacts_dir):
    errors = console_errors(page)
    staff_login(page, live_server.url, officer)
    page.goto(f"{live_server.url}/staff/cases/new/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    # Not ticked: no identity fields
    assert not page.is_visible("#id_reporter_name")
    page.select_option("#id_source", "visit")
    page.select_option("#id_category", "bribery")
    page.fill("#id_summary", "来访人反映某村党支部书记收受工程款回扣。")
    page.fill("#id_reported_persons", "王某，某村，党支部书记")
    # The shared 行政区划 cascade: province → cities → counties, by name. The province's list of
    # cities is held back until the county is chosen: its late answer must not undo the choices.
    held = []

    def provinces_cities(url: str) -> bool:
        return "/regions/" in url and url.endswith("parent=370000")

    page.route(provinces_cities, lambda route: held.append(route))
    page.select_option("#id_province", label="山东省")  # already the commission's own: chosen again
    page.select_option("#id_city", label="济南市")
    page.wait_for_selector("#id_county option:has-text('历城区')", state="attached")
    page.select_option("#id_county", label="历城区")
    assert len(held) == 1
    with page.expect_response(lambda response: "parent=370000" in response.url):
        held[0].continue_()
    page.unroute(provinces_cities)
    assert page.input_value("#id_city") == "370100"
    assert page.input_value("#id_county") == "370112"
    # Ticked: name, phone and the optional ID number appear, the first two marked required
    page.check("#id_is_reporter_named")
    assert page.is_visible("#id_reporter_name")
    assert page.is_visible("#id_reporter_phone")
    assert page.is_visible("#id_reporter_id_number")
    assert page.is_visible("label[for=id_reporter_phone] .lq-required")
    assert page.query_selector("label[for=id_reporter_id_number] .lq-required") is None
    page.fill("#id_reporter_name", "司马来访")
    page.click("#register-submit")
    # The missing phone is refused at its field, in Chinese, and the fields stay open
    page.wait_for_selector("text=实名举报请填写联系电话")
    assert page.is_visible("#id_reporter_phone")
    assert page.input_value("#id_reporter_name") == "司马来访"
    assert layout_problems(page) == []
    page.screenshot(path=str(artifacts_dir / "register_named_error_zh.png"), full_page=True)
    page.fill("#id_reporter_phone", "138 1111 2222")
    page.fill("#id_reporter_id_number", "11010519491231002X")
    page.click("#register-submit")
    page.wait_for_selector("#case-number")
    assert "司马来访" not in page.content()
    page.screenshot(path=str(artifacts_dir / "register_named_case_zh.png"), full_page=True)

    case = Case.objects.get()
    assert case.is_reporter_named
    assert case.region_code == "370112"
    report = Report.objects.get(case=case)
    assert report.channel == Channel.REGISTERED
    reader = keeper()
    approve_identity(report, reader)
    identity = report_identity_read(report=report, private_key=unlock(reader), user=reader)
    assert identity is not None
    assert (identity.name, identity.phone, identity.id_number) == (
        "司马来访",
        "13811112222",
        "11010519491231002X",
    )
    assert errors == [], "\n".join(errors)
