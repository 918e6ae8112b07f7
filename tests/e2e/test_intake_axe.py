"""axe-core (vendored, WCAG 2.1 A and AA) on the reporting portal's pages — the form, the form
with its errors, the receipt, the track page and a tracked report — in both languages at 1366
and 390 px; nothing sideways-scrolling on the phone, no console error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.intake.conftest import intake_env, intake_key_dir  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _violations(page: object, axe: str) -> list[dict[str, object]]:
    # Judge the page at rest: the pointer off the button just clicked, no colour half-way through
    # Bootstrap's hover transition (axe once read #add-person mid-fade as low contrast).
    page.mouse.move(0, 0)  # type: ignore[attr-defined]
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")  # type: ignore[attr-defined]
    page.add_script_tag(content=axe)  # type: ignore[attr-defined]
    found: list[dict[str, object]] = page.evaluate(  # type: ignore[attr-defined]
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))",
        AXE_TAGS,
    )
    return found


@pytest.mark.usefixtures("intake_env")
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_axe_finds_no_violation_on_the_reporting_pages(live_server, browser, language, artifacts_dir):
    from tests.e2e.console import console_errors
    from tests.e2e.layout import layout_problems

    axe = AXE.read_text(encoding="utf-8")
    found: dict[str, object] = {}

    def check(page: object, name: str, width: int) -> None:
        assert page.evaluate("() => document.documentElement.lang") == language  # type: ignore[attr-defined]
        if violations := _violations(page, axe):
            found[f"{width} {name}"] = violations
        if width == 390 and (problems := layout_problems(page)):
            found[f"layout {width} {name}"] = problems

    for width, height in ((1366, 900), (390, 844)):
        # bypass_csp: the test injects axe itself; the pages' own policy forbids inline scripts.
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page = context.new_page()
        errors = console_errors(page)
        page.goto(f"{live_server.url}/report/")
        page.click("#add-person")  # the second person's row, with its level and region, shown too
        check(page, "form", width)
        # The form sent back with its errors (the server's messages beside the fields)
        page.check("#id_consent")
        page.click("#report-submit")
        page.wait_for_selector("#form-errors")
        # The refused form answers 400 by design: the browser logs that one response, nothing else.
        refused = [e for e in errors if e.endswith("/report/: HTTP 400") or "status of 400" in e]
        assert len(refused) == 2, errors
        errors[:] = [e for e in errors if e not in refused]
        check(page, "form with errors", width)
        page.select_option("#id_category", "sifeng_gifts")
        page.fill("#id_person1_name", "刘某")
        page.select_option("#id_person1_level", "county")
        page.select_option("#id_province", "370000")
        page.fill("#id_description", "春节前收受下属单位送的购物卡和微信红包，我有当时拍下的照片。")
        page.select_option("#id_addressed_level", "county")
        page.check("#id_consent")
        page.click("#report-submit")
        page.wait_for_selector("#receipt-code")
        receipt = page.inner_text("#receipt-code").strip()
        check(page, "receipt", width)
        page.screenshot(
            path=str(artifacts_dir / f"intake_axe_receipt_{language}_{width}.png"), full_page=True
        )
        page.goto(f"{live_server.url}/report/track/")
        check(page, "track", width)
        page.fill("#id_code", receipt)
        page.click("#track-submit")
        page.wait_for_selector("#report-status")
        check(page, "tracked report", width)
        if errors:
            found[f"console {width}"] = errors
        context.close()
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
