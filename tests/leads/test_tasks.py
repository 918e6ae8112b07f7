"""Scans run in the worker, can be cancelled, and a failed scan keeps its error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lianqing.leads.models import ScanRun, ScanStatus
from lianqing.leads.services import package_register_folder, scan_cancel, scan_execute, scan_start
from tests.leads.packages import january_package

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def package(analyst, data_dir):
    january_package(data_dir / "jan")
    return package_register_folder(user=analyst, folder="jan")


def test_the_worker_runs_a_queued_scan_and_reports_progress(package, analyst):
    run = scan_start(package=package, user=analyst, rules=["B01", "B02", "C01"])
    assert run.status == ScanStatus.QUEUED

    call_command("db_worker", batch=True, reload=False, startup_delay=False)

    run.refresh_from_db()
    assert run.status == ScanStatus.SUCCEEDED, run.error
    assert (run.progress_done, run.progress_total) == (3, 3)
    assert run.hits_count == 3
    assert [rule["rule_id"] for rule in run.summary["rules"] if rule["skipped"]] == ["C01"]
    assert run.started_at <= run.finished_at


def test_a_cancelled_queued_scan_never_runs(package, analyst):
    run = scan_start(package=package, user=analyst)
    scan_cancel(run=run, user=analyst)
    call_command("db_worker", batch=True, reload=False, startup_delay=False)
    run.refresh_from_db()
    assert run.status == ScanStatus.CANCELLED
    assert run.hits.count() == 0
    # and the package may be scanned again
    assert scan_start(package=package, user=analyst, enqueue=False).status == ScanStatus.QUEUED


def test_a_running_scan_stops_at_the_next_rule_when_cancelled(package, analyst):
    run = scan_start(package=package, user=analyst, enqueue=False)
    ScanRun.objects.filter(pk=run.pk).update(is_cancel_requested=True)
    scan_execute(run.pk)
    run.refresh_from_db()
    assert run.status == ScanStatus.CANCELLED
    assert run.hits.count() == 0


def test_a_failed_scan_shows_its_error(package, analyst, client_for):
    (Path(package.path) / "benefits.parquet").write_bytes(b"not parquet at all")
    run = scan_start(package=package, user=analyst, enqueue=False)
    scan_execute(run.pk)
    run.refresh_from_db()
    assert run.status == ScanStatus.FAILED
    assert "benefits" in run.error
    page = client_for(analyst).get(reverse("leads:run_detail", args=[run.pk])).content.decode()
    assert 'id="run-error"' in page
    assert run.hits.count() == 0
    english = client_for(analyst)
    english.cookies["django_language"] = "en"
    error = (
        english.get(reverse("leads:run_detail", args=[run.pk])).content.decode().split('id="run-error"')[1]
    )
    assert "File benefits.parquet cannot be read" in error.split("</div>")[0]


def test_a_skipped_rule_names_the_missing_dataset_in_the_page_language(package, analyst, client_for):
    run = scan_start(package=package, user=analyst, rules=["C01"], enqueue=False)
    scan_execute(run.pk)
    http = client_for(analyst)
    chinese = http.get(reverse("leads:run_detail", args=[run.pk])).content.decode()
    assert "缺少数据集 " in chinese
    http.cookies["django_language"] = "en"
    english = http.get(reverse("leads:run_detail", args=[run.pk])).content.decode()
    assert "Missing datasets: " in english
    assert "缺少数据集" not in english


def test_starting_a_second_scan_in_the_browser_while_one_runs_is_refused(package, analyst, client_for):
    http = client_for(analyst)
    first = http.post(reverse("leads:scan_start", args=[package.pk]), {"engine": "duckdb"})
    assert first.status_code == 302
    second = http.post(reverse("leads:scan_start", args=[package.pk]), {"engine": "duckdb"}, follow=True)
    assert "已有一个扫描在排队或进行中" in second.content.decode()
    assert ScanRun.objects.filter(package=package).count() == 1


def test_progress_fragment_polls_while_running_and_reloads_when_done(package, analyst, client_for):
    http = client_for(analyst)
    run = scan_start(package=package, user=analyst, enqueue=False)
    url = reverse("leads:run_progress", args=[run.pk]) + "?polling=1"
    running = http.get(url)
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "HX-Refresh" not in running
    scan_execute(run.pk)
    done = http.get(url)
    assert done["HX-Refresh"] == "true"


def test_cancelling_a_scan_whose_worker_died_ends_it_at_once(package, analyst):
    run = scan_start(package=package, user=analyst, enqueue=False)
    long_ago = timezone.now() - dt.timedelta(hours=2)
    ScanRun.objects.filter(pk=run.pk).update(
        status=ScanStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    scan_cancel(run=run, user=analyst)
    run.refresh_from_db()
    assert run.status == ScanStatus.CANCELLED
    assert "中断" in run.error
    assert scan_start(package=package, user=analyst, enqueue=False).status == ScanStatus.QUEUED


def test_rule_parameters_from_the_scan_form_reach_the_engine(package, analyst, client_for):
    http = client_for(analyst)
    bad = http.post(
        reverse("leads:scan_start", args=[package.pk]),
        {"engine": "duckdb", "params": "F02.per_head_max=abc"},
        follow=True,
    )
    assert "F02.per_head_max" in bad.content.decode()
    malformed = http.post(
        reverse("leads:scan_start", args=[package.pk]),
        {"engine": "duckdb", "params": "per_head_max"},
        follow=True,
    )
    assert "规则编号.参数名=值" in malformed.content.decode()
    assert ScanRun.objects.count() == 0
    http.post(
        reverse("leads:scan_start", args=[package.pk]),
        {"engine": "duckdb", "params": "f02.per_head_max=200\n"},
    )
    assert ScanRun.objects.get().params == {"F02.per_head_max": "200"}
