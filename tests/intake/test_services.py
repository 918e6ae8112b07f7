"""Submitting reports: one report per submission, all or nothing with its files, abuse limits."""

from __future__ import annotations

import resource
import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection

from lianqing.cases.models import Case, Kind, Source, Status
from lianqing.core.models import AuditEvent
from lianqing.core.roles import Role
from lianqing.intake import storage
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import Attachment, Message, MessageDirection, Report
from lianqing.intake.selectors import attachment_read, report_identity_read, report_public_status
from lianqing.intake.services import (
    ReportDraft,
    ReporterIdentity,
    report_find_by_receipt,
    report_submit,
    reporter_message_post,
    staff_message_post,
)
from tests.intake.conftest import (
    REPORTER_ID,
    REPORTER_NAME,
    REPORTER_PHONE,
    approve_identity,
    image_upload,
    keeper,
    pdf_upload,
    unlock,
)

DRAFT = ReportDraft(
    category="sifeng_gifts",
    region_code="370124",
    description="某局局长春节前收受下属单位送的购物卡和微信红包，合计数万元。",
    persons=[{"name": "刘某", "org_name": "县某局", "position": "局长"}],
)


def _submit(draft=DRAFT, uploads=(), *, client="client-a", token=None):
    challenge = challenge_issue()
    token = token or challenge.token
    return report_submit(
        draft=draft,
        uploads=list(uploads),
        token=token,
        proof=proof_solve(token, challenge.bits),
        client=client,
    )


def _files_on_disk() -> tuple[set[str], set[str]]:
    return storage.stored_names()


def test_submission_creates_report_case_and_sealed_files(intake_env, django_capture_on_commit_callbacks):
    # When a named report with two files is submitted
    identity = ReporterIdentity(name=REPORTER_NAME, id_number=REPORTER_ID, phone=REPORTER_PHONE)
    draft = ReportDraft(**{**DRAFT.__dict__, "identity": identity})
    with django_capture_on_commit_callbacks(execute=True):
        result = _submit(draft, [image_upload(), pdf_upload()])

    # Then one report, registered as an online petition case of the receiving commission
    report = Report.objects.get()
    assert result.report == report
    assert not result.repeated
    assert len(result.receipt_code) == 16
    assert report.case.kind == Kind.PETITION
    assert report.case.source == Source.ONLINE
    assert report.case.status == Status.PENDING
    assert report.case.org == report.org
    assert report.case.is_reporter_named
    assert report_public_status(report).label == "已收到"
    # and its files moved into place, none left pending
    pending, committed = _files_on_disk()
    assert pending == set()
    assert committed == set(report.attachments.values_list("storage_name", flat=True))
    assert len(committed) == 2
    # and a recipient's own key opens the files, and (with a custodian's approval) the identity
    user = keeper()
    private = unlock(user)
    assert report_identity_read(report=report, private_key=private, user=user) is None  # not approved yet
    approve_identity(report, user)
    assert report_identity_read(report=report, private_key=private, user=user).name == REPORTER_NAME
    pdf = attachment_read(attachment=report.attachments.get(kind="pdf"), private_key=private, user=user)
    assert pdf.data.startswith(b"%PDF-")
    assert pdf.name == "材料.pdf"
    assert AuditEvent.objects.filter(action="view", object_type="intake.attachment").count() == 1


def test_double_submit_creates_one_report_and_shows_the_same_receipt(intake_env):
    challenge = challenge_issue()
    first = _submit(token=challenge.token)
    again = _submit(token=challenge.token)
    assert Report.objects.count() == 1
    assert Case.objects.count() == 1
    assert again.repeated
    assert again.report == first.report
    assert again.receipt_code == first.receipt_code


def test_tampered_or_unsolved_token_stores_nothing(intake_env):
    challenge = challenge_issue()
    with pytest.raises(IntakeError, match="被改动"):
        report_submit(draft=DRAFT, uploads=[], token=challenge.token + "x", proof="0", client="c")
    bad_proof = next(str(n) for n in range(1000) if not _solves(challenge.token, str(n), challenge.bits))
    with pytest.raises(IntakeError, match="安全校验未完成"):
        report_submit(draft=DRAFT, uploads=[], token=challenge.token, proof=bad_proof, client="c")
    assert not Report.objects.exists()


def _solves(token: str, proof: str, bits: int) -> bool:
    from lianqing.intake.abuse import proof_is_valid

    return proof_is_valid(token, proof, bits)


def test_rate_limit_per_client(intake_env, settings):
    settings.INTAKE_SUBMISSIONS_PER_HOUR = 2
    _submit(client="busy")
    _submit(client="busy")
    with pytest.raises(IntakeError, match="提交过于频繁") as raised:
        _submit(client="busy")
    assert raised.value.field == "rate"
    _submit(client="another")  # other clients are not affected
    assert Report.objects.count() == 3


def test_failed_database_write_leaves_no_report_and_no_file(intake_env, django_capture_on_commit_callbacks):
    # Given the database refuses the attachment rows (disk full, constraint, lost connection …)
    def refuse_attachments(execute, sql, params, many, context):
        if "intake_attachment" in sql and sql.lstrip().upper().startswith("INSERT"):
            raise DatabaseError("injected failure")
        return execute(sql, params, many, context)

    with (
        pytest.raises(DatabaseError),
        django_capture_on_commit_callbacks(execute=True),
        connection.execute_wrapper(refuse_attachments),
    ):
        _submit(uploads=[image_upload(), pdf_upload()])

    # Then neither the report, nor its case, nor any file exists
    assert not Report.objects.exists()
    assert not Case.objects.exists()
    assert _files_on_disk() == (set(), set())


def test_failed_file_write_leaves_no_report_and_no_file(intake_env):
    # Given the file system refuses files over 20 kB (a real EFBIG from the kernel): the photo
    # fits, the 60 kB document after it does not
    big_pdf = pdf_upload(padding=60_000)
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, hard))
    try:
        with pytest.raises(OSError, match="too large"):
            _submit(uploads=[image_upload(), big_pdf])
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous_handler)
    # Then no report and no file, not even the photo written before the failure
    assert not Report.objects.exists()
    assert not Case.objects.exists()
    assert _files_on_disk() == (set(), set())


def test_a_refused_file_stores_nothing(intake_env):
    disguised = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00" + bytes(64), content_type="image/jpeg")
    with pytest.raises(IntakeError, match=r"照片\.jpg 的文件类型不受支持"):
        _submit(uploads=[pdf_upload(), disguised])
    assert not Report.objects.exists()
    assert _files_on_disk() == (set(), set())


def test_find_by_receipt_and_mailbox(intake_env, org_tree, make_user, django_capture_on_commit_callbacks):
    result = _submit()
    assert report_find_by_receipt(code_text=result.receipt_code, client="c") == result.report
    grouped = " ".join(result.receipt_code[i : i + 4] for i in range(0, 16, 4))
    assert report_find_by_receipt(code_text=grouped, client="c") == result.report
    wrong = result.receipt_code[:-1] + str((int(result.receipt_code[-1]) + 1) % 10)
    assert report_find_by_receipt(code_text=wrong, client="c") is None
    assert report_find_by_receipt(code_text="0000 0000 0000 0000", client="c") is None

    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    staff_message_post(report=result.report, body="请问宴请的具体日期？", by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        reply = reporter_message_post(
            report=result.report, body="10月2日晚", uploads=[pdf_upload()], client="c"
        )
    thread = list(Message.objects.filter(report=result.report).values_list("direction", "body"))
    assert thread == [
        (MessageDirection.TO_REPORTER, "请问宴请的具体日期？"),
        (MessageDirection.FROM_REPORTER, "10月2日晚"),
    ]
    assert Attachment.objects.get(message=reply).report == result.report
    assert _files_on_disk()[1] == {Attachment.objects.get(message=reply).storage_name}


def test_receipt_guessing_is_rate_limited(intake_env, settings):
    settings.INTAKE_RECEIPT_ATTEMPTS_PER_HOUR = 3
    for _ in range(3):
        assert report_find_by_receipt(code_text="1234", client="guesser") is None
    with pytest.raises(IntakeError, match="过于频繁"):
        report_find_by_receipt(code_text="1234", client="guesser")


def test_sweep_finishes_moves_and_removes_orphans(intake_env):
    import os
    import time

    from django.core.management import call_command

    # Given a committed report whose file move never ran (a crash after commit) and an orphan file
    result = _submit(uploads=[pdf_upload()])  # no on_commit callbacks run here: the file stays pending
    recorded = result.report.attachments.get().storage_name
    orphan = storage.pending_write(b"left by a crashed upload")
    old = time.time() - 7200
    os.utime(storage.storage_root() / "pending" / orphan, (old, old))
    assert storage.stored_read(recorded)  # still readable while pending

    call_command("intake_sweep")

    assert _files_on_disk() == (set(), {recorded})


def test_old_rate_counters_are_dropped(intake_env):
    from datetime import timedelta

    from django.utils import timezone

    from lianqing.intake.abuse import rate_limit_hit
    from lianqing.intake.models import RateCounter

    RateCounter.objects.create(key="old", window_start=timezone.now() - timedelta(hours=3), count=5)
    rate_limit_hit("fresh-client", scope="submit", limit=10)
    assert list(RateCounter.objects.values_list("count", flat=True)) == [1]


def test_reporter_reply_notifies_the_case_handler_without_content(intake_env, org_tree, make_user):
    from lianqing.core.models import Notification

    result = _submit()
    handler = make_user(Role.PETITION, org=org_tree.petition_office)
    Case.objects.filter(pk=result.report.case_id).update(handler=handler)  # given: the case was assigned
    report = Report.objects.get(pk=result.report.pk)

    reporter_message_post(report=report, body="补充：还有一次是在十月五日。", uploads=[], client="c")

    notice = Notification.objects.get(recipient=handler)
    assert f"#{result.report.pk}" in notice.title
    assert "十月五日" not in notice.title + notice.body
    assert notice.link == f"/staff/reports/{result.report.pk}/"


def test_sweep_forgets_receipt_copies_after_the_token_expired(intake_env):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    challenge = challenge_issue()
    first = _submit(token=challenge.token)
    Report.objects.filter(pk=first.report.pk).update(received_at=timezone.now() - timedelta(days=1))

    call_command("intake_sweep")

    assert bytes(Report.objects.get().receipt_box) == b""
    with pytest.raises(IntakeError, match="已经提交成功"):  # a late repeat: no second report, a clear answer
        _submit(token=challenge.token)
    assert Report.objects.count() == 1
