"""Nothing a file carries about who made it, where or on what reaches staff computers: every kind
the portal accepts is made with MARKER in every metadata field, cleaned, then read back with the
format's own parser AND searched byte by byte (decompressed where the format compresses)."""

from __future__ import annotations

import io
import zipfile

import av
import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianqing.intake.attachments import AttachmentKind, attachment_prepare
from lianqing.intake.errors import IntakeError
from tests.intake.marked_files import (
    MARKER,
    RSID,
    gif_marked,
    heic_marked,
    jpeg_marked,
    marker_found,
    ole_marked,
    ooxml_marked,
    pdf_marked,
    png_marked,
    video_marked,
    webp_marked,
)


def _prepare(name: str, data: bytes):
    assert marker_found(data) or data.startswith(b"PK"), "the test file must carry the marker"
    return attachment_prepare(SimpleUploadedFile(name, data))


def _image_metadata(data: bytes) -> list[object]:
    with Image.open(io.BytesIO(data)) as image:
        found: list[object] = [*image.info.values(), *dict(image.getexif()).values()]
        for ifd in (0x8825, 0x8769):  # GPS, camera settings
            found.extend(image.getexif().get_ifd(ifd).values())
        return found


@pytest.mark.parametrize(
    ("name", "make", "extension"),
    [
        pytest.param("IMG_0001.jpg", jpeg_marked, "jpg", id="jpeg"),
        pytest.param("截图.png", png_marked, "png", id="png"),
        pytest.param("动图.gif", gif_marked, "gif", id="gif"),
        pytest.param("照片.webp", webp_marked, "webp", id="webp"),
    ],
)
def test_pictures_keep_their_pixels_and_nothing_else(name, make, extension):
    original = make()
    with Image.open(io.BytesIO(original)) as image:  # the marker really is where a parser looks
        assert any(MARKER in str(value) for value in _image_metadata(original)) or "comment" in image.info

    prepared = _prepare(name, original)

    assert prepared.file_type.kind == AttachmentKind.IMAGE
    assert prepared.file_type.extension == extension
    assert not marker_found(prepared.data)
    values = _image_metadata(prepared.data)
    assert not any(MARKER in str(value) for value in values), values
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.size == (64, 48)
        assert not image.getexif()
        assert "icc_profile" not in image.info
        assert "comment" not in image.info
        assert "xmp" not in image.info
    if extension == "gif":
        with Image.open(io.BytesIO(prepared.data)) as image:
            assert image.n_frames == 2  # still animated


def test_heic_stays_heic_without_its_metadata():  # the details: test_heif_strip.py
    prepared = _prepare("IMG_0002.HEIC", heic_marked())
    assert prepared.original_name == "IMG_0002.HEIC"
    assert prepared.file_type.mime == "image/heic"
    assert not marker_found(prepared.data)
    assert not any(MARKER in str(value) for value in _image_metadata(prepared.data))


def _pdf_all_bytes(pdf: pikepdf.Pdf) -> bytes:
    """Every object of the document, streams decoded: where a marker could hide after compression."""
    chunks = [repr(pdf.trailer).encode()]
    for obj in pdf.objects:
        chunks.append(repr(obj).encode())
        if isinstance(obj, pikepdf.Stream):
            chunks.append(obj.read_bytes())
    return b"\n".join(chunks)


def test_pdf_loses_info_xmp_thumbnails_piece_info_and_annotation_authors():
    original = pdf_marked()
    with pikepdf.open(io.BytesIO(original)) as pdf:
        assert str(pdf.docinfo["/Author"]) == MARKER

    prepared = _prepare("举报材料.pdf", original)

    assert not marker_found(prepared.data)
    with pikepdf.open(io.BytesIO(prepared.data)) as pdf:
        assert not marker_found(_pdf_all_bytes(pdf))
        assert len(pdf.docinfo) == 0
        assert "/Metadata" not in pdf.Root
        assert "/PieceInfo" not in pdf.Root
        with pdf.open_metadata() as meta:
            assert MARKER not in str(meta)
        page = pdf.pages[0]
        assert "/Thumb" not in page.obj
        assert "/PieceInfo" not in page.obj
        annotation = page.obj["/Annots"][0]
        assert "/T" not in annotation
        assert str(annotation["/Contents"]) == "批注内容"  # the comment itself is the reporter's content
        assert b"evidence text" in page.obj["/Contents"].read_bytes()
        # no file travels inside it: attachment list, file-attachment annotations, associated files
        assert len(pdf.attachments) == 0
        assert "/AF" not in pdf.Root
        assert "/AF" not in page.obj
        assert [str(a["/Subtype"]) for a in page.obj["/Annots"]] == ["/Text"]
        assert not any("/EF" in obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary))


def test_the_marked_pdf_really_carries_files():
    with pikepdf.open(io.BytesIO(pdf_marked())) as pdf:
        assert f"{MARKER}.docx" in pdf.attachments
        assert "/FileAttachment" in [str(a["/Subtype"]) for a in pdf.pages[0].obj["/Annots"]]
        assert "/AF" in pdf.Root


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx"])
def test_office_documents_lose_properties_authors_and_picture_metadata(kind):
    prepared = _prepare(f"材料.{kind}", ooxml_marked(kind))

    assert prepared.file_type.extension == kind
    with zipfile.ZipFile(io.BytesIO(prepared.data)) as archive:
        names = archive.namelist()
        everything = b"".join(archive.read(name) for name in names)
        core = archive.read("docProps/core.xml")
        app = archive.read("docProps/app.xml")
        dates = {info.date_time for info in archive.infolist()}
    assert not marker_found(everything)
    assert "docProps/custom.xml" not in names
    assert "docProps/thumbnail.jpeg" not in names
    assert b"custom.xml" not in everything  # no dangling references
    assert b"thumbnail" not in everything
    for field in (b"creator", b"lastModifiedBy", b"revision", b"created"):
        assert field not in core
    assert b"Company" not in app
    assert dates == {(1980, 1, 1, 0, 0, 0)}  # not when the reporter last saved it
    media = next(name for name in names if "/media/" in name)
    with zipfile.ZipFile(io.BytesIO(prepared.data)) as archive, Image.open(archive.open(media)) as picture:
        assert not picture.getexif()
    assert b"evidence text" in everything  # the content stays


def test_word_revision_session_ids_and_revision_authors_are_gone():
    original = ooxml_marked("docx")
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        before = b"".join(archive.read(name) for name in archive.namelist())
    assert RSID.encode() in before
    assert b"w:rsids" in before
    assert b"<w:del " in before

    prepared = _prepare("材料.docx", original)

    with zipfile.ZipFile(io.BytesIO(prepared.data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    everything = b"".join(parts.values())
    assert RSID.encode() not in everything
    assert b"00ABCDEF" not in everything
    assert b"rsid" not in everything
    assert not marker_found(everything)  # w:ins, w:del, comments and people.xml authors
    assert b"<w:zoom" in parts["word/settings.xml"]  # the settings themselves stay
    assert b"<w:delText>gone</w:delText>" in parts["word/document.xml"]  # so does the tracked change


@pytest.mark.parametrize("name", ["旧格式.doc", "旧表格.xls", "旧文稿.wps"])
def test_legacy_binary_office_files_are_refused_with_the_reason(name):
    with pytest.raises(IntakeError) as refused:
        attachment_prepare(SimpleUploadedFile(name, ole_marked()))

    message = str(refused.value)
    assert name in message
    assert "旧版 Office 格式" in message
    assert "PDF" in message
    assert "docx" in message
    assert refused.value.field == "attachments"


@pytest.mark.parametrize(("container", "mime"), [("mov", "video/quicktime"), ("mp4", "video/mp4")])
def test_videos_are_remuxed_without_place_device_or_time(container, mime):
    original = video_marked(container)
    with av.open(io.BytesIO(original)) as source:
        assert MARKER in str(dict(source.metadata)) or marker_found(original)

    prepared = _prepare(f"VID_0001.{container}", original)

    assert prepared.file_type.mime == mime
    assert not marker_found(prepared.data)
    assert b"\xa9xyz" not in prepared.data
    with av.open(io.BytesIO(prepared.data)) as clean:
        tags = [dict(clean.metadata), *(dict(stream.metadata) for stream in clean.streams)]
        assert not any(MARKER in str(tag) for tag in tags), tags
        for tag in tags:
            assert not {"location", "creation_time", "make", "model"} & {key.split("-")[0] for key in tag}, (
                tag
            )
        assert sorted(stream.type for stream in clean.streams) == ["audio", "video"]
        frames = sum(1 for _ in clean.decode(video=0))
    assert frames == 12  # every frame is still there
