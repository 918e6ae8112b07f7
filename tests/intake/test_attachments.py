import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianqing.intake.attachments import AttachmentKind, attachment_prepare, attachments_prepare, sniff
from lianqing.intake.errors import IntakeError
from tests.intake.conftest import jpeg_with_gps, pdf_upload


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "kind", "extension"),
    [
        pytest.param(jpeg_with_gps(), AttachmentKind.IMAGE, "jpg", id="jpeg"),
        pytest.param(
            b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", AttachmentKind.VIDEO, "mp4", id="mp4"
        ),
        pytest.param(b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", AttachmentKind.VIDEO, "mov", id="mov"),
        pytest.param(b"%PDF-1.7\n", AttachmentKind.PDF, "pdf", id="pdf"),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), AttachmentKind.OFFICE, "doc", id="ole-doc"
        ),
        pytest.param(
            _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
            AttachmentKind.OFFICE,
            "docx",
            id="docx",
        ),
        pytest.param(
            _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"}),
            AttachmentKind.OFFICE,
            "xlsx",
            id="xlsx",
        ),
    ],
)
def test_type_comes_from_content(data, kind, extension):
    found = sniff(data)
    assert found is not None
    assert (found.kind, found.extension) == (kind, extension)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"MZ\x90\x00" + bytes(100), id="windows-exe"),
        pytest.param(b"<html><script>alert(1)</script></html>", id="html"),
        pytest.param(_zip({"evil.sh": b"rm -rf /"}), id="plain-zip"),
        pytest.param(b"\x00\x00\x00\x18ftypavif\x00\x00", id="avif-not-a-video"),
    ],
)
def test_other_content_is_refused_whatever_the_name(data):
    assert sniff(data) is None
    with pytest.raises(IntakeError, match=r"照片\.jpg 的文件类型不受支持"):
        attachment_prepare(SimpleUploadedFile("照片.jpg", data, content_type="image/jpeg"))


def test_image_metadata_and_gps_are_stripped(settings):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # given: GPS present
    prepared = attachment_prepare(SimpleUploadedFile("x.jpg", original))
    cleaned = Image.open(io.BytesIO(prepared.data))
    assert not cleaned.getexif()
    assert b"ReporterPhone" not in prepared.data
    assert cleaned.size == (80, 60)


def test_stripping_can_be_switched_off(settings):
    settings.INTAKE_STRIP_IMAGE_METADATA = 0
    original = jpeg_with_gps()
    assert attachment_prepare(SimpleUploadedFile("x.jpg", original)).data == original


def test_damaged_image_is_refused():
    with pytest.raises(IntakeError, match="图片已损坏"):
        attachment_prepare(SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 10))


def test_size_and_count_limits(settings):
    settings.INTAKE_MAX_FILE_BYTES = 100
    with pytest.raises(IntakeError, match="大小上限"):
        attachment_prepare(SimpleUploadedFile("big.pdf", b"%PDF-" + bytes(200)))
    settings.INTAKE_MAX_FILE_BYTES = 10_000
    settings.INTAKE_MAX_FILES = 2
    uploads = [pdf_upload(f"{i}.pdf") for i in range(3)]
    with pytest.raises(IntakeError, match="附件最多 2 个"):
        attachments_prepare(uploads)
    assert len(attachments_prepare(uploads[:2])) == 2


def test_videos_have_their_own_larger_limit(settings):
    from tests.intake.marked_files import video_marked

    video = video_marked("mp4")
    settings.INTAKE_MAX_FILE_BYTES = 1000  # documents and pictures: 1 kB here
    settings.INTAKE_MAX_VIDEO_BYTES = len(video) + 10
    assert attachment_prepare(SimpleUploadedFile("v.mp4", video)).file_type.kind == AttachmentKind.VIDEO
    settings.INTAKE_MAX_VIDEO_BYTES = len(video) - 10
    with pytest.raises(IntakeError, match=r"v\.mp4 超过 0 MB 的大小上限"):
        attachment_prepare(SimpleUploadedFile("v.mp4", video))
