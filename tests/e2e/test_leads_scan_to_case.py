"""A data analyst uploads a generated package, the scan runs in the worker, the B02 evidence page
draws its relationship graph, and the 疑点 becomes a lead in the case inbox.

Screenshots of the results page and three evidence pages (graph, sankey, calendar) go to
tests/e2e/artifacts/ for review.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.analytics.generate import generate
from lianqing.cases.models import Case, Source
from lianqing.core.roles import Role
from lianqing.leads.models import DataPackage, Hit, ImportStatus, ScanRun, ScanStatus
from tests.e2e.conftest import staff_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def package_zip(tmp_path: Path, settings) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    folder = generate(tmp_path / "generated", persons=1_000, seed=5).out
    archive = tmp_path / "2025-12.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(folder.iterdir()):
            bundle.write(path, path.name)
    return archive


def _open_first_hit(page, base_url: str, run: ScanRun, rule_id: str) -> Hit:
    hit = run.hits.filter(rule_id=rule_id).order_by("subject_id").first()
    assert hit is not None, f"no {rule_id} hit in the generated package"
    page.goto(f"{base_url}/staff/leads/runs/{run.pk}/?rule={rule_id}")
    page.click(f"#hit-table tr[data-rule='{rule_id}'] a[href='/staff/leads/hits/{hit.pk}/']")
    page.wait_for_selector("#hit-title")
    return hit


def test_upload_scan_evidence_graph_and_lead_in_inbox(
    live_server, page, org_tree, make_user, package_zip, artifacts_dir
):
    analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission, username="shuju")
    TOTPDevice.objects.create(user=analyst, name="phone", confirmed=True)
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    staff_login(page, live_server.url, analyst)

    # Given the analyst uploads the package zip: the import report lists what was taken
    page.goto(f"{live_server.url}/staff/leads/")
    page.set_input_files("#id_archive", str(package_zip))
    page.fill("#id_upload_name", "示范县 2025年12月")
    page.click("#upload-submit")
    # the upload returns at once: the import waits for the worker, then the page reloads itself
    page.wait_for_selector("#import-state #import-progress-bar")
    assert page.inner_text("#import-status") == "导入中"
    call_command("db_worker", batch=True, reload=False, startup_delay=False, max_tasks=1)
    assert DataPackage.objects.get().import_status == ImportStatus.READY
    page.wait_for_selector("#import-report", timeout=15_000)
    assert "benefits.parquet" in page.inner_text("#import-report")

    # When the scan started with the import waits for the worker, the page shows its progress bar
    page.wait_for_selector("#active-run #run-progress-bar")
    assert page.inner_text("#run-status") == "排队中"
    page.screenshot(path=str(artifacts_dir / "leads_import_report.png"), full_page=True)
    call_command("db_worker", batch=True, reload=False, startup_delay=False)
    run = ScanRun.objects.get()
    assert run.status == ScanStatus.SUCCEEDED, run.error

    # Then the page reloads itself once the scan is done, and the results list the hits by rule
    page.wait_for_selector("#active-run", state="detached", timeout=15_000)
    page.click(f"#run-list a[href='/staff/leads/runs/{run.pk}/']")
    page.wait_for_selector("#rule-summary")
    assert "B02" in page.inner_text("#rule-summary")
    page.screenshot(path=str(artifacts_dir / "leads_results.png"), full_page=True)

    # The B02 evidence page draws the relationship graph with named nodes
    hit = _open_first_hit(page, live_server.url, run, "B02")
    page.wait_for_selector("#chart-graph[data-drawn='true'] canvas")
    caption = page.inner_text("#chart-graph-caption")
    assert hit.subject_name in caption
    assert "民政局" in caption or "人民政府" in caption  # the official's org is a node
    assert page.locator("#evidence-records [data-dataset='benefits']").count() == 1
    page.screenshot(path=str(artifacts_dir / "leads_evidence_b02_graph.png"), full_page=True)

    for rule_id, kind in (("M01", "sankey"), ("F01", "calendar"), ("C02", "graph"), ("F06", "calendar")):
        _open_first_hit(page, live_server.url, run, rule_id)
        page.wait_for_selector(f"#chart-{kind}[data-drawn='true'] canvas")
        page.screenshot(
            path=str(artifacts_dir / f"leads_evidence_{rule_id.lower()}_{kind}.png"), full_page=True
        )

    assert script_errors == []

    # When the analyst turns the B02 疑点 into a lead
    _open_first_hit(page, live_server.url, run, "B02")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#convert-button")
    page.wait_for_selector("#hit-case-link")
    assert "已转线索" in page.inner_text("#hit-status")

    # Then the lead is in the case management office's inbox
    case = Case.objects.get(source=Source.DATA_SCAN)
    case_manager = make_user(Role.CASE_MANAGEMENT, org=org_tree.case_office, username="anguan")
    TOTPDevice.objects.create(user=case_manager, name="phone", confirmed=True)
    context = page.context.browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    inbox = context.new_page()
    staff_login(inbox, live_server.url, case_manager)
    inbox.goto(f"{live_server.url}/staff/cases/")
    listed = inbox.inner_text("main")
    context.close()
    assert str(case) in listed
    assert hit.subject_name in case.summary
