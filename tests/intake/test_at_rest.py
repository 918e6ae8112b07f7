"""What a copy of the database and the uploads folder gives away: nothing about the reporter."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image, UnidentifiedImageError

from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.models import Attachment, Report
from lianqing.intake.selectors import attachment_read, attachment_shown
from tests.intake.conftest import (
    REPORTER_ID,
    REPORTER_NAME,
    REPORTER_PHONE,
    image_upload,
    keeper,
    named_form_data,
    pdf_upload,
    unlock,
)
from tests.intake.marked_files import (
    heic_text_everywhere,
    jpeg_marked,
    marker_found,
    ooxml_marked,
    pdf_marked,
    video_marked,
)


def _dump_database() -> bytes:
    """Every row of every table, as one blob (what `pg_dump` or a copied SQLite file holds)."""
    chunks: list[bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        chunks.append(bytes(value))
                    elif value is not None:
                        chunks.append(str(value).encode())
    return b"\n".join(chunks)


def test_database_and_files_hold_no_reporter_identity(client, intake_env, django_capture_on_commit_callbacks):
    # Given a named report with a photo and a document, and the reporter's later reply
    challenge = challenge_issue()
    data = {
        **named_form_data(),
        "token": challenge.token,
        "proof": proof_solve(challenge.token, challenge.bits),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("intake:report_form"),
            {**data, "attachments": [image_upload("欧阳举报的照片.jpg"), pdf_upload()]},
        )
    assert response.status_code == 200
    assert Report.objects.filter(is_anonymous=False).count() == 1
    assert Attachment.objects.count() == 2

    # When the whole database is dumped
    dump = _dump_database()

    # Then neither the name, nor the ID number, nor the phone, nor the file's name is in it
    assert "国庆期间多次用公款".encode() in dump  # (the dump does hold the report's text)
    for secret in (REPORTER_NAME, REPORTER_ID, REPORTER_ID.lower(), REPORTER_PHONE, "欧阳举报的照片"):
        assert secret.encode() not in dump, secret
    receipt = response.content.decode().split('id="receipt-code">')[1][:19].replace(" ", "")
    assert receipt.encode() not in dump

    # And the files on disk are neither images nor readable documents
    files = sorted((intake_env / "intake" / "files").iterdir())
    assert len(files) == 2
    for path in files:
        content = path.read_bytes()
        assert not content.startswith((b"\xff\xd8\xff", b"%PDF"))
        with pytest.raises(UnidentifiedImageError):
            Image.open(io.BytesIO(content))


def _files_under(*roots: Path) -> list[Path]:
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


def _unzipped(data: bytes) -> bytes:
    if not data.startswith(b"PK"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


def test_no_metadata_and_no_file_name_anywhere_at_rest_or_on_staff_computers(
    client, settings, intake_env, django_capture_on_commit_callbacks
):
    # Given a report with a file of every kind, each carrying MARKER in every metadata field and
    # a name that gives the reporter away
    uploads = {
        "欧阳举报的照片.jpg": jpeg_marked(),
        "IMG_欧阳手机.HEIC": heic_text_everywhere(),
        "欧阳举报材料.pdf": pdf_marked(),
        "欧阳的说明.docx": ooxml_marked("docx"),
        "欧阳的台账.xlsx": ooxml_marked("xlsx"),
        "欧阳录像.mp4": video_marked("mp4"),
        "欧阳录像2.mov": video_marked("mov"),
    }
    challenge = challenge_issue()
    data = {
        **named_form_data(),
        "token": challenge.token,
        "proof": proof_solve(challenge.token, challenge.bits),
    }
    files = [SimpleUploadedFile(name, content) for name, content in uploads.items()]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:report_form"), {**data, "attachments": files})
    assert response.status_code == 200, response.content.decode()[-2000:]
    assert Attachment.objects.count() == len(uploads)

    # When the database is dumped and every file of the instance folder and the uploads is read
    names = [name.rsplit(".", 1)[0].encode() for name in uploads]
    blobs = {"database": _dump_database()}
    for path in _files_under(Path(settings.HOME), intake_env):
        blobs[str(path)] = path.read_bytes()

    # Then no file name and no metadata marker is anywhere
    for where, blob in blobs.items():
        assert not marker_found(blob), where
        for name in names:
            assert name not in blob, (where, name.decode())

    # And what staff download (decrypted) carries no marker either, under a neutral type
    private_key = unlock(keeper())
    kinds = set()
    for attachment in Attachment.objects.all():
        content = attachment_read(attachment=attachment, private_key=private_key, user=keeper())
        assert not marker_found(_unzipped(content.data)), content.name  # as stored
        shown = attachment_shown(content)
        assert not marker_found(_unzipped(shown.data)), shown.name  # as a browser gets it
        kinds.add(shown.mime)
    assert "image/heic" not in kinds  # phones' HEIC, stored as HEIC, is shown as JPEG
    assert {"image/jpeg", "application/pdf", "video/mp4", "video/quicktime"} <= kinds
