"""Retention: after closure, identity, files and content go when their category's period runs out."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lianqing.cases.models import Case, CaseEvent, Status
from lianqing.core.models import AuditEvent
from lianqing.core.schedule import DAILY_JOBS
from lianqing.intake import storage
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.models import Report, RetentionPolicy
from lianqing.intake.retention import ERASED_TEXT, retention_apply
from lianqing.intake.services import ReportDraft, ReporterIdentity, report_submit
from tests.intake.conftest import REPORTER_ID, REPORTER_NAME, REPORTER_PHONE, image_upload, pdf_upload

YEAR = timedelta(days=365)


def _report(category: str = "sifeng_gifts") -> Report:
    challenge = challenge_issue()
    draft = ReportDraft(
        category=category,
        region_code="370124",
        description="某局局长春节前收受下属单位送的购物卡和微信红包，合计数万元。",
        persons=[{"name": "刘某", "org_name": "县某局", "position": "局长"}],
        identity=ReporterIdentity(name=REPORTER_NAME, id_number=REPORTER_ID, phone=REPORTER_PHONE),
    )
    return report_submit(
        draft=draft,
        uploads=[image_upload(), pdf_upload()],
        token=challenge.token,
        proof=proof_solve(challenge.token, challenge.bits),
        client="r",
    ).report


def _close(report: Report, at) -> None:
    Case.objects.filter(pk=report.case_id).update(status=Status.FED_BACK)
    CaseEvent.objects.create(
        case_id=report.case_id, at=at, action="feedback", from_status="concluded", to_status="fed_back"
    )


def _files() -> set[str]:
    _, committed = storage.stored_names()
    return committed


def test_each_part_goes_when_its_period_after_closure_runs_out(
    intake_env, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report, still_open = _report(), _report()
    closed = timezone.now() - 2 * YEAR
    _close(report, closed)
    files = set(report.attachments.values_list("storage_name", flat=True))
    open_files = set(still_open.attachments.values_list("storage_name", flat=True))
    assert files <= _files()

    # 4 years after closure: nothing is due (default: identity 5 years)
    assert retention_apply(now=closed + 4 * YEAR)["reports"] == 0
    # 5 years and a day: the identity goes, nothing else; one audit row
    assert retention_apply(now=closed + 5 * YEAR + timedelta(days=1)) == {
        "reports": 1, "identity": 1, "attachments": 0, "content": 0
    }  # fmt: skip
    report.refresh_from_db()
    assert report.identity_box is None
    assert report.identity_erased_at is not None
    assert report.attachments.count() == 2
    assert report.description.startswith("某局局长")
    # running again the same day changes nothing
    assert retention_apply(now=closed + 5 * YEAR + timedelta(days=1))["reports"] == 0
    # 10 years: the sealed files are shredded from disk
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(now=closed + 10 * YEAR + timedelta(days=1))
    assert not files & _files()
    assert open_files <= _files()  # the open report's files stay
    assert not report.attachments.exists()
    assert not report.recipients.exists()  # nothing sealed left: the key grants go too
    # 30 years: the content
    retention_apply(now=closed + 30 * YEAR + timedelta(days=1))
    report.refresh_from_db()
    assert report.description == ERASED_TEXT
    assert not report.persons.exists()
    rows = AuditEvent.objects.filter(
        object_type="intake.report", object_id=str(report.pk), details__event="retention"
    )
    assert [r.details["erased"] for r in rows.order_by("seq")] == [["identity"], ["attachments"], ["content"]]
    assert [r.details["files"] for r in rows.order_by("seq")] == [0, 2, 0]
    # the open report is untouched throughout
    still_open.refresh_from_db()
    assert still_open.identity_box is not None
    assert still_open.attachments.count() == 2


def test_periods_are_set_per_category(intake_env, django_capture_on_commit_callbacks):
    RetentionPolicy.objects.create(
        category="sifeng_dining", identity_days=30, attachments_days=60, content_days=90
    )
    with django_capture_on_commit_callbacks(execute=True):
        short, default = _report("sifeng_dining"), _report("sifeng_gifts")
    closed = timezone.now() - timedelta(days=10)
    _close(short, closed)
    _close(default, closed)
    assert retention_apply(now=closed + timedelta(days=31)) == {
        "reports": 1, "identity": 1, "attachments": 0, "content": 0
    }  # fmt: skip
    assert Report.objects.get(pk=default.pk).identity_box is not None


def test_a_reopened_case_keeps_everything(intake_env):
    report = _report()
    _close(report, timezone.now() - 20 * YEAR)
    Case.objects.filter(pk=report.case_id).update(status=Status.HANDLING)  # reopened
    assert retention_apply(now=timezone.now())["reports"] == 0


def test_retention_runs_daily_in_the_worker():
    assert "lianqing.intake.tasks.intake_retention_task" in {path for path, _ in DAILY_JOBS}
