"""Leads screens: authorization matrix, upload, results, evidence, pictures, export, decisions."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from lianqing.cases.models import Case, Kind, Source
from lianqing.core.models import AuditEvent
from lianqing.leads.models import DataPackage, Hit, HitStatus, ImportStatus, ScanStatus
from tests.leads.packages import OFFICIAL_A, RELATIVE_1, january_package, zip_folder
from tests.pages import page_problems

pytestmark = pytest.mark.django_db


def run_worker() -> None:
    call_command("db_worker", batch=True, reload=False, startup_delay=False)


def _read_urls(package, run, hit) -> list[str]:
    return [
        reverse("leads:package_detail", args=[package.pk]),
        reverse("leads:package_import_progress", args=[package.pk]),
        reverse("leads:run_detail", args=[run.pk]),
        reverse("leads:run_progress", args=[run.pk]),
        reverse("leads:run_disappeared", args=[run.pk]),
        reverse("leads:run_export", args=[run.pk]),
        reverse("leads:hit_detail", args=[hit.pk]),
        reverse("leads:hit_chart", args=[hit.pk]),
        reverse("leads:hit_notice", args=[hit.pk]),
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("wrong_role", 403),
        ("township_case_manager", 403),  # leads are for the commission's 案管 only
        ("other_jurisdiction", 404),
        ("owner", 200),
        ("leader", 200),
        ("case_manager", 200),
    ],
)
def test_read_pages_authorization_matrix(who, expected, people, scanned, client, client_for):
    package, run, hit = scanned
    http = client if who == "anonymous" else client_for(people[who])
    for url in _read_urls(package, run, hit):
        response = http.get(url)
        assert response.status_code == expected, f"{who} {url}"
        if expected == 200 and "text/html" in response["Content-Type"]:
            assert page_problems(response.content.decode()) == [], url


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("wrong_role", 403), ("case_manager", 403), ("other_jurisdiction", 404)],
)
def test_denied_decisions_change_nothing(who, expected, people, scanned, client, client_for):
    _, _, hit = scanned
    http = client if who == "anonymous" else client_for(people[who])
    excluded = http.post(reverse("leads:hit_exclude", args=[hit.pk]), {"reason": "不是问题"})
    converted = http.post(reverse("leads:hit_convert", args=[hit.pk]))
    assert (excluded.status_code, converted.status_code) == (expected, expected)
    hit.refresh_from_db()
    assert hit.status == HitStatus.PENDING
    assert Case.objects.count() == 0


def test_package_list_shows_packages_in_bounded_queries(
    people, scanned, client_for, django_assert_max_num_queries
):
    http = client_for(people["leader"])
    with django_assert_max_num_queries(12):
        response = http.get(reverse("leads:package_list"))
    assert response.status_code == 200
    assert scanned[0].name in response.content.decode()
    assert client_for(people["wrong_role"]).get(reverse("leads:package_list")).status_code == 403


def test_results_page_lists_hits_by_rule_with_bounded_queries(
    people, scanned, client_for, django_assert_max_num_queries
):
    _, run, _ = scanned
    http = client_for(people["owner"])
    with django_assert_max_num_queries(16):
        response = http.get(reverse("leads:run_detail", args=[run.pk]), {"rule": "B02"})
    body = response.content.decode()
    assert "王配偶" in body
    assert 'data-rule="B02"' in body
    assert 'data-rule="B01"' not in body
    org_table = body.split('id="org-summary"')[1].split("</table>")[0]
    assert "370124001" in org_table  # the approving org of the B02 benefits


@pytest.mark.django_db(transaction=True)  # the import is queued on commit
def test_upload_of_a_package_zip_imports_it_and_reports_rejected_rows(owner, client_for, data_dir):
    folder = january_package(data_dir / "src")
    with (folder / "benefits.csv").open("a", encoding="utf-8") as handle:
        handle.write("BAD001,低保,370124198001010011,某人,370124001,abc元,2025-01,2025-01-10,370124001\n")
    archive = zip_folder(folder)
    response = client_for(owner).post(
        reverse("leads:package_upload"),
        {
            "archive": SimpleUploadedFile("2025-01.zip", archive, "application/zip"),
            "name": "一月",
            "scan_now": "on",
        },
    )
    package = DataPackage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("leads:package_detail", args=[package.pk])
    # The request only queues the import: the package page shows it as 导入中 until the worker runs
    assert package.import_status == ImportStatus.IMPORTING
    waiting = client_for(owner).get(response["Location"]).content.decode()
    assert 'id="import-progress-bar"' in waiting
    assert 'id="scan-form"' not in waiting
    run_worker()
    package.refresh_from_db()
    assert package.import_status == ImportStatus.READY
    run = package.runs.get()  # the scan asked for was queued by the import, and the worker ran it
    assert (run.status, run.created_by) == (ScanStatus.SUCCEEDED, owner)
    assert not any((data_dir / "tmp").glob("upload-*.zip"))  # the kept upload is gone
    assert package.datasets["benefits"] == 3
    assert package.org == owner.org
    assert package.import_report["rejected_rows"] == 1
    page = client_for(owner).get(response["Location"]).content.decode()
    assert "benefits.csv" in page
    rejects = page.split('id="rejects"')[1]
    assert "abc元" in rejects
    assert "amount" in rejects or "金额" in rejects


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"benefits.csv": b"x", "notes.docx": b"y"}, "无法识别的文件: notes.docx"),
        ({"../evil/benefits.csv": b"x"}, "不允许"),
    ],
    ids=["unknown-file", "path-traversal"],
)
def test_bad_uploads_are_refused_with_a_message_and_store_nothing(
    files, message, owner, client_for, data_dir
):
    http = client_for(owner)
    response = http.post(
        reverse("leads:package_upload"),
        {"archive": SimpleUploadedFile("bad.zip", _zip(files), "application/zip")},
        follow=True,
    )
    assert message in response.content.decode()
    assert DataPackage.objects.count() == 0
    assert not (data_dir / "packages").exists() or not any((data_dir / "packages").iterdir())
    assert not (data_dir / "tmp").exists() or not any((data_dir / "tmp").iterdir())


@pytest.mark.django_db(transaction=True)  # the import is queued on commit
@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"officials.xlsx": b"PK\x03\x04 not really a workbook"}, "导入发现"),
        ({"orgs.csv": "org_code,name,region_code\nX1,甲,370124\n".encode()}, "没有一条规则可以运行"),
    ],
    ids=["corrupt-workbook", "no-rule-can-run"],
)
def test_a_failed_import_shows_its_error_on_the_package_page_and_keeps_no_data(
    files, message, owner, client_for, data_dir
):
    http = client_for(owner)
    response = http.post(
        reverse("leads:package_upload"),
        {"archive": SimpleUploadedFile("bad.zip", _zip(files), "application/zip"), "scan_now": "on"},
    )
    run_worker()
    package = DataPackage.objects.get()
    assert package.import_status == ImportStatus.FAILED
    assert message in package.import_error
    assert package.datasets == {}
    assert package.runs.count() == 0  # no scan of a failed import
    page = http.get(response["Location"]).content.decode()
    assert message in page.split('id="import-error"')[1]
    assert 'id="scan-form"' not in page
    assert not (data_dir / "packages").exists() or not any((data_dir / "packages").iterdir())
    assert not any((data_dir / "tmp").iterdir())
    scan = http.post(reverse("leads:scan_start", args=[package.pk]), {"engine": "duckdb"}, follow=True)
    assert "尚未导入成功" in scan.content.decode()
    assert package.runs.count() == 0


@pytest.mark.django_db(transaction=True)  # the import is queued on commit
def test_a_failed_import_reads_in_the_language_of_whoever_opens_the_page_later(owner, client_for, data_dir):
    """The worker writes Chinese; the reason and its problems are kept with their templates, so
    an English page shows them in English, with the file as it was named."""
    http = client_for(owner)
    archive = _zip({"officials.xlsx": b"PK\x03\x04 not really a workbook"})
    response = http.post(reverse("leads:package_upload"), {"archive": SimpleUploadedFile("bad.zip", archive)})
    run_worker()
    http.cookies["django_language"] = "en"
    failure = http.get(response["Location"]).content.decode().split('id="import-error"')[1]
    assert "Problems found by the import: 1; the package was not saved" in failure
    assert "File officials.xlsx is not a valid Excel workbook" in failure
    assert "导入发现" not in failure
    http.cookies["django_language"] = "zh-hans"
    chinese = http.get(response["Location"]).content.decode().split('id="import-error"')[1]
    assert "导入发现 1 个问题，数据包未保存" in chinese
    assert "文件 officials.xlsx 不是有效的 Excel 工作簿" in chinese


@pytest.mark.django_db(transaction=True)  # the import is queued on commit
def test_a_folder_of_the_data_directory_is_imported_by_the_worker(owner, client_for, data_dir):
    january_package(data_dir / "jan")
    http = client_for(owner)
    response = http.post(reverse("leads:package_folder"), {"folder": "jan", "name": "一月"})
    package = DataPackage.objects.get()
    assert package.import_status == ImportStatus.IMPORTING
    progress = reverse("leads:package_import_progress", args=[package.pk])
    polled = http.get(progress, {"polling": "1"})
    assert "HX-Refresh" not in polled
    assert "导入中" in polled.content.decode()
    run_worker()
    assert http.get(progress, {"polling": "1"})["HX-Refresh"] == "true"  # the page reloads itself
    page = http.get(response["Location"]).content.decode()
    assert 'id="import-report"' in page
    assert (
        ">惠民惠农补贴发放</td>" in page.split('id="import-report"')[1]
    )  # the dataset by name, not its code
    assert 'id="scan-form"' in page
    package.refresh_from_db()
    assert (package.import_status, package.datasets["benefits"]) == (ImportStatus.READY, 3)
    assert package.runs.count() == 0  # no scan was asked for


def test_a_file_that_is_not_a_zip_is_refused(owner, client_for):
    response = client_for(owner).post(
        reverse("leads:package_upload"),
        {"archive": SimpleUploadedFile("x.zip", b"hello", "application/zip")},
        follow=True,
    )
    assert "不是有效的 zip" in response.content.decode()
    assert DataPackage.objects.count() == 0


def test_evidence_page_shows_records_side_by_side_and_is_audited(scanned, owner, client_for):
    _, _, hit = scanned
    response = client_for(owner).get(reverse("leads:hit_detail", args=[hit.pk]))
    body = response.content.decode()
    assert 'data-dataset="benefits"' in body
    assert 'data-dataset="relatives"' in body
    assert "JAN001" in body
    assert (
        AuditEvent.objects.filter(action="view", object_id=str(hit.pk), details__part="evidence").count() == 1
    )


def test_chart_json_of_b02_names_the_official_and_the_relative(scanned, owner, client_for):
    _, _, hit = scanned
    payload = client_for(owner).get(reverse("leads:hit_chart", args=[hit.pk])).json()
    (graph,) = payload["charts"]
    names = {node["name"] for node in graph["nodes"]}
    assert {"王配偶", "张科长", "示范县民政局"} <= names
    ids = {node["id"]: node["name"] for node in graph["nodes"]}
    assert {(ids[link["source"]], ids[link["target"]]) for link in graph["links"]} >= {("张科长", "王配偶")}
    assert OFFICIAL_A not in json.dumps(payload)  # node keys are opaque: no id number leaves the server
    assert RELATIVE_1 not in json.dumps(payload)
    assert AuditEvent.objects.filter(action="view", details__part="chart").count() == 1


def test_export_writes_the_filtered_hits_to_xlsx_and_is_audited(scanned, owner, client_for):
    _, run, _ = scanned
    response = client_for(owner).get(reverse("leads:run_export", args=[run.pk]), {"rule": "B02"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "规则"
    assert {row[0] for row in rows[1:]} == {"B02"}
    assert len(rows) == 3
    assert AuditEvent.objects.filter(action="export", details__hits=2).count() == 1


def test_notice_is_printable_and_names_the_hit(scanned, owner, client_for):
    _, _, hit = scanned
    body = client_for(owner).get(reverse("leads:hit_notice", args=[hit.pk])).content.decode()
    assert "疑点核查通知单" in body
    assert hit.explanation in body
    assert "data-print" in body


def test_exclude_needs_a_reason_and_then_records_it(scanned, owner, client_for):
    _, _, hit = scanned
    http = client_for(owner)
    http.post(reverse("leads:hit_exclude", args=[hit.pk]), {"reason": "  "})
    hit.refresh_from_db()
    assert hit.status == HitStatus.PENDING
    http.post(reverse("leads:hit_exclude", args=[hit.pk]), {"reason": "已核实，分户单独居住"})
    hit.refresh_from_db()
    assert (hit.status, hit.decision_reason, hit.decided_by) == (
        HitStatus.EXCLUDED,
        "已核实，分户单独居住",
        owner,
    )


def test_convert_registers_a_data_scan_lead_with_evidence_and_people(scanned, owner, org_tree, client_for):
    _, _, hit = scanned
    response = client_for(owner).post(reverse("leads:hit_convert", args=[hit.pk]))
    assert response.status_code == 302
    hit.refresh_from_db()
    case = Case.objects.get()
    assert hit.status == HitStatus.CONVERTED
    assert hit.case == case
    assert (case.kind, case.source) == (Kind.LEAD, Source.DATA_SCAN)
    assert case.org == org_tree.township_a
    assert case.details["rule_id"] == "B02"
    assert case.category == "public_interest"  # from the B02 header's category
    assert case.details["records"]["benefits"][0]["record_id"] == "JAN001"
    (attachment,) = case.attachments.all()
    workbook = load_workbook(attachment.file.path)
    assert workbook.sheetnames == ["疑点", "亲属关系", "惠民惠农补贴发放"]
    assert workbook["惠民惠农补贴发放"]["A2"].value == "JAN001"
    people = set(case.reported_persons.values_list("name", "org_name", "position"))
    assert people == {("王配偶", "", ""), ("张科长", "示范县民政局", "科长")}
    again = client_for(owner).post(reverse("leads:hit_convert", args=[hit.pk]), follow=True)
    assert "已转线索" in again.content.decode()
    assert Case.objects.count() == 1
    assert Hit.objects.filter(case=case).count() == 1
