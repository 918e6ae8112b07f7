"""Evidence is never lost after commit: a move into `files/` that fails on a real read-only
volume, a real full volume or another device (EXDEV) keeps the file and says so truthfully.

The volumes are real kernel mounts (a read-only bind, a tmpfs): the tests run as root, here and
in CI. Transactions really commit (transactional_db), so the on-commit moves run as in production.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from lianqing.core.roles import Role
from lianqing.intake import storage
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.models import Attachment, Report
from lianqing.intake.selectors import attachment_read, files_pending
from tests.conftest import verified_client
from tests.intake.conftest import FORM_DATA, keeper, pdf_upload, unlock

pytestmark = pytest.mark.django_db(transaction=True)


MOUNT, UMOUNT = shutil.which("mount") or "/usr/bin/mount", shutil.which("umount") or "/usr/bin/umount"


def _mount(*args: str) -> None:
    subprocess.run([MOUNT, *args], check=True, capture_output=True)  # noqa: S603 (fixed arguments)


def _umount(path: Path) -> None:
    subprocess.run([UMOUNT, "-l", str(path)], check=False, capture_output=True)  # noqa: S603


@pytest.fixture(autouse=True)
def _root_only():
    if os.geteuid() != 0:
        pytest.skip("mounting a read-only bind and a tmpfs needs root (the tests run as root in CI)")


@pytest.fixture
def files_dir(intake_env: Path) -> Path:
    directory = intake_env / "intake" / "files"
    directory.mkdir(parents=True)
    (intake_env / "intake" / "pending").mkdir()
    return directory


@pytest.fixture
def read_only_files(files_dir: Path) -> Iterator[Path]:
    """`files/` is a read-only bind mount (a volume remounted read-only after an error)."""
    _mount("--bind", str(files_dir), str(files_dir))
    try:
        _mount("-o", "remount,ro,bind", str(files_dir))
        yield files_dir
    finally:
        _umount(files_dir)


def _writable_again(path: Path) -> None:
    _mount("-o", "remount,rw,bind", str(path))


@pytest.fixture
def other_device_files(files_dir: Path) -> Iterator[Path]:
    """`files/` is a tmpfs: another device than `pending/`, so rename() fails with EXDEV."""
    _mount("-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(files_dir))
    try:
        yield files_dir
    finally:
        _umount(files_dir)


@pytest.fixture
def full_other_device_files(other_device_files: Path) -> Path:
    """`files/` is on another device, and that device is full (ENOSPC on the copy)."""
    with pytest.raises(OSError) as raised:
        _fill(other_device_files / "filler")
    assert raised.value.errno == errno.ENOSPC
    return other_device_files


def _fill(path: Path) -> None:
    with open(path, "wb", buffering=0) as filler:
        while True:
            filler.write(bytes(64 * 1024))


def _post_report(client, token: str, bits: int):
    data = {**FORM_DATA, "token": token, "proof": proof_solve(token, bits)}
    return client.post(reverse("intake:report_form"), {**data, "attachments": [pdf_upload()]})


def _sweep() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("intake_sweep", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_read_only_volume_keeps_the_file_pending_says_so_and_sweep_files_it_later(
    client, read_only_files, org_tree, make_user
):
    # Given the attachments volume is read-only when a reporter submits a report with a document
    challenge = challenge_issue()
    response = _post_report(client, challenge.token, challenge.bits)

    # Then the report is received, and the answer says the attachment waits to be filed
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="receipt-code"' in page
    assert "1 个附件已收到，正在等待入库" in page
    attachment = Attachment.objects.get()
    pending, committed = storage.stored_names()
    assert (pending, committed) == ({attachment.storage_name}, set())

    # And a repeated submit of the same form answers the same truth, without a second report
    again = _post_report(client, challenge.token, challenge.bits)
    assert again.status_code == 200
    assert "没有重复登记" in again.content.decode()
    assert "1 个附件已收到，正在等待入库" in again.content.decode()
    assert Report.objects.count() == 1

    # And staff see that the attachment is pending, and can still open it
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    detail = verified_client(officer).get(reverse("intake:staff_report_detail", args=[attachment.report_id]))
    assert "附件待入库" in detail.content.decode()
    content = attachment_read(attachment=attachment, private_key=unlock(keeper()), user=keeper())
    assert content.data.startswith(b"%PDF-")

    # When the sweep runs while the volume is still read-only, nothing is lost and it says so
    out, err = _sweep()
    assert "1 个仍无法移入" in out
    assert "仍在待入库目录" in err
    assert storage.stored_names() == ({attachment.storage_name}, set())

    # When the volume is writable again, the sweep files it and staff no longer see the notice
    _writable_again(read_only_files)
    out, _ = _sweep()
    assert "移入 1 个文件" in out
    assert storage.stored_names() == (set(), {attachment.storage_name})
    assert files_pending(Attachment.objects.all()) == set()
    detail = verified_client(officer).get(reverse("intake:staff_report_detail", args=[attachment.report_id]))
    assert "附件待入库" not in detail.content.decode()


def test_files_on_another_device_are_copied_across_whole(client, other_device_files):
    # Given `files/` is on another device than `pending/` (rename fails with EXDEV)
    pending_dir = other_device_files.parent / "pending"
    assert os.stat(pending_dir).st_dev != os.stat(other_device_files).st_dev
    challenge = challenge_issue()

    # When a report with a document is submitted
    response = _post_report(client, challenge.token, challenge.bits)

    # Then the file is filed on the other device, whole, and nothing is left pending
    assert response.status_code == 200
    assert "等待入库" not in response.content.decode()
    attachment = Attachment.objects.get()
    assert storage.stored_names() == (set(), {attachment.storage_name})
    content = attachment_read(attachment=attachment, private_key=unlock(keeper()), user=keeper())
    assert content.data.startswith(b"%PDF-")
    assert not list(other_device_files.glob(".*partial"))


def test_full_volume_on_a_reporter_reply_keeps_the_file_and_the_api_says_so(client, full_other_device_files):
    # Given a report submitted while the attachments volume (another device) is full
    challenge = challenge_issue()
    response = _post_report(client, challenge.token, challenge.bits)
    assert response.status_code == 200
    receipt = response.content.decode().split('id="receipt-code">')[1][:19]
    report = Report.objects.get()
    assert files_pending(report.attachments.all()) == {report.attachments.get().pk}

    # When the reporter adds evidence through the JSON API
    answer = client.post(
        "/api/reports/track/messages",
        {"code": receipt, "body": "补充一份材料", "attachments": [pdf_upload()]},
    )

    # Then the reply is accepted and says its file waits to be filed; both files are kept
    assert answer.status_code == 201, answer.content
    assert answer.json() == {"accepted": True, "attachments_pending": 1}
    assert len(storage.stored_names()[0]) == 2
    assert not list(full_other_device_files.glob(".*partial"))  # no half copy on the full volume

    # And once space is freed the sweep files both
    (full_other_device_files / "filler").unlink()
    out, _ = _sweep()
    assert "移入 2 个文件" in out
    assert storage.stored_names() == (set(), set(Attachment.objects.values_list("storage_name", flat=True)))
