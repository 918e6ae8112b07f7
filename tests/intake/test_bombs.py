"""Decompression bombs are refused from what they declare, before they unpack: a real 300 MB
zip member of zeros, an ODF whose `mimetype` is the bomb, and a picture of 144 megapixels."""

from __future__ import annotations

import io
import resource
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lianqing.intake.attachments import attachment_prepare
from lianqing.intake.errors import IntakeError

MiB = 1024 * 1024


def _zip_bomb(bomb_member: str, *, first: dict[str, bytes]) -> bytes:
    """A real zip whose `bomb_member` unpacks to 300 MB of zeros (written in pieces)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in first.items():
            archive.writestr(name, data)
        with archive.open(bomb_member, "w", force_zip64=True) as member:
            zeros = bytes(MiB)
            for _ in range(300):
                member.write(zeros)
    return out.getvalue()


def _png_bomb(width: int, height: int) -> bytes:
    """A real greyscale PNG of width × height zero pixels: small on disk, huge when decoded."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = bytes(width + 1)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _refused_within(data: bytes, name: str, *, max_python_mib: int) -> str:
    """Prepare the file; return the refusal, checking the process did not grow to unpack it."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    try:
        with pytest.raises(IntakeError) as refused:
            attachment_prepare(SimpleUploadedFile(name, data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert peak < max_python_mib * MiB, f"Python allocations peaked at {peak / MiB:.0f} MiB"
    assert grown_kib < 100 * 1024, f"the process grew by {grown_kib / 1024:.0f} MiB"
    assert refused.value.field == "attachments"
    return refused.value.message


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    return _zip_bomb("word/document.xml", first={"[Content_Types].xml": b"<Types/>"})


def test_docx_zip_bomb_is_refused_without_unpacking(docx_bomb):
    assert len(docx_bomb) < 2 * MiB  # 300 MB inside
    message = _refused_within(docx_bomb, "合同.docx", max_python_mib=8)
    assert "合同.docx" in message
    assert "压缩炸弹" in message


def test_opendocument_mimetype_bomb_is_refused_without_unpacking():
    bomb = _zip_bomb("mimetype", first={})
    message = _refused_within(bomb, "材料.odt", max_python_mib=8)
    assert "材料.odt" in message


def test_zip_with_too_many_parts_is_refused(settings):
    settings.INTAKE_ZIP_MAX_MEMBERS = 50
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        for index in range(60):
            archive.writestr(f"word/part{index}.xml", b"<w/>")
    message = _refused_within(out.getvalue(), "很多部分.docx", max_python_mib=8)
    assert "文件过多" in message


def test_picture_bomb_is_refused_from_its_header():
    bomb = _png_bomb(12_000, 12_000)  # 144 megapixels of zeros, a few hundred kB
    assert len(bomb) < 2 * MiB
    message = _refused_within(bomb, "大图.png", max_python_mib=8)
    assert "大图.png" in message
    assert "尺寸过大" in message
