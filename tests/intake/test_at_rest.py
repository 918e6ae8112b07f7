"""What a copy of the database and the uploads folder gives away: nothing about the reporter."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.urls import reverse
from PIL import Image, UnidentifiedImageError

from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.models import Attachment, Report
from tests.intake.conftest import (
    REPORTER_ID,
    REPORTER_NAME,
    REPORTER_PHONE,
    image_upload,
    named_form_data,
    pdf_upload,
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
