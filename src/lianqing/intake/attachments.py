"""Attachments: what a file really is (from its bytes, never its name), size and count limits,
and images re-encoded without their metadata (EXIF, GPS, maker notes) to protect the reporter.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from lianqing.intake import conf
from lianqing.intake.errors import IntakeError


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("图片")
    VIDEO = "video", _("视频")
    PDF = "pdf", _("PDF 文档")
    OFFICE = "office", _("Office 文档")


@dataclass(frozen=True)
class FileType:
    kind: AttachmentKind
    mime: str
    extension: str


@dataclass(frozen=True)
class PreparedFile:
    """An accepted file, ready to be sealed: cleaned bytes and what it is."""

    original_name: str
    file_type: FileType
    data: bytes


_IMAGE_FORMATS = {
    "JPEG": FileType(AttachmentKind.IMAGE, "image/jpeg", "jpg"),
    "PNG": FileType(AttachmentKind.IMAGE, "image/png", "png"),
    "GIF": FileType(AttachmentKind.IMAGE, "image/gif", "gif"),
    "WEBP": FileType(AttachmentKind.IMAGE, "image/webp", "webp"),
}
_VIDEO_BRANDS_EXCLUDED = {b"heic", b"heix", b"mif1", b"msf1", b"avif", b"heim", b"heis"}
_OOXML_PARTS = {
    "word/": FileType(
        AttachmentKind.OFFICE,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xl/": FileType(
        AttachmentKind.OFFICE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
    "ppt/": FileType(
        AttachmentKind.OFFICE,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
ACCEPTED_TYPES_TEXT = "图片（JPG、PNG、GIF、WebP）、视频（MP4、MOV、3GP、WebM、AVI）、PDF、Office 文档（Word、Excel、PowerPoint、WPS、OpenDocument）"


def _zip_type(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mime = archive.read("mimetype").decode("ascii", "replace").strip()
                if mime.startswith("application/vnd.oasis.opendocument."):
                    return FileType(AttachmentKind.OFFICE, mime, "od" + mime.rsplit(".", 1)[-1][0])
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, file_type in _OOXML_PARTS.items():
        if any(name.startswith(prefix) for name in names):
            return file_type
    return None


def sniff(data: bytes) -> FileType | None:
    """The type of a file from its content (magic numbers and structure), or None if not accepted."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return _IMAGE_FORMATS["JPEG"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _IMAGE_FORMATS["PNG"]
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _IMAGE_FORMATS["GIF"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _IMAGE_FORMATS["WEBP"]
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return FileType(AttachmentKind.VIDEO, "video/x-msvideo", "avi")
    if head[4:8] == b"ftyp" and head[8:12] not in _VIDEO_BRANDS_EXCLUDED:
        brand = head[8:12]
        if brand == b"qt  ":
            return FileType(AttachmentKind.VIDEO, "video/quicktime", "mov")
        if brand.startswith(b"3g"):
            return FileType(AttachmentKind.VIDEO, "video/3gpp", "3gp")
        return FileType(AttachmentKind.VIDEO, "video/mp4", "mp4")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return FileType(AttachmentKind.VIDEO, "video/webm", "webm")
    if head.startswith(b"%PDF-"):
        return FileType(AttachmentKind.PDF, "application/pdf", "pdf")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE compound file: .doc .xls .ppt .wps
        return FileType(AttachmentKind.OFFICE, "application/x-ole-storage", "doc")
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    return None


def _strip_image(data: bytes, name: str, file_type: FileType) -> bytes:
    """Decode and re-encode the pixels only; nothing of the original file's metadata survives."""
    fmt = file_type.extension.upper().replace("JPG", "JPEG")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                frames = getattr(image, "n_frames", 1)
                out = io.BytesIO()
                if frames > 1 and fmt in {"GIF", "WEBP"}:
                    image.save(out, format=fmt, save_all=True)
                    return out.getvalue()
                upright = ImageOps.exif_transpose(image)
                if fmt == "JPEG":
                    upright.convert("RGB").save(out, format="JPEG", quality=90, optimize=False)
                else:
                    upright.save(out, format=fmt)
                return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        raise IntakeError(
            f"附件 {name}: 图片已损坏或过大，无法读取 (attachment {name}: the image is damaged or too large)",
            field="attachments",
        ) from None


def attachment_prepare(upload: UploadedFile, *, strip_metadata: bool | None = None) -> PreparedFile:
    """Read one upload, check its type from its content and clean it. IntakeError if refused."""
    name = (upload.name or "附件").rsplit("/", 1)[-1][:200]
    limit = conf.max_file_bytes()
    if upload.size is not None and upload.size > limit:
        raise IntakeError(
            f"附件 {name} 超过 {limit // conf.MiB} MB 的大小上限 (attachment {name} is larger than {limit // conf.MiB} MB)",
            field="attachments",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise IntakeError(
            f"附件 {name} 超过 {limit // conf.MiB} MB 的大小上限 (attachment {name} is larger than {limit // conf.MiB} MB)",
            field="attachments",
        )
    if not data:
        raise IntakeError(f"附件 {name} 是空文件 (attachment {name} is empty)", field="attachments")
    file_type = sniff(data)
    if file_type is None:
        raise IntakeError(
            f"附件 {name} 的文件类型不受支持，只接受{ACCEPTED_TYPES_TEXT} "
            f"(attachment {name}: file type not accepted; images, videos, PDF and Office documents only)",
            field="attachments",
        )
    strip = conf.strip_image_metadata() if strip_metadata is None else strip_metadata
    if file_type.kind == AttachmentKind.IMAGE and strip:
        data = _strip_image(data, name, file_type)
    return PreparedFile(original_name=name, file_type=file_type, data=data)


def attachments_prepare(uploads: Sequence[UploadedFile], *, already: int = 0) -> list[PreparedFile]:
    """Check count and total size, then prepare each file."""
    if len(uploads) + already > conf.max_files():
        raise IntakeError(
            f"附件最多 {conf.max_files()} 个 (at most {conf.max_files()} attachments)", field="attachments"
        )
    total = sum(upload.size or 0 for upload in uploads)
    if total > conf.max_total_bytes():
        raise IntakeError(
            f"附件总大小超过 {conf.max_total_bytes() // conf.MiB} MB (attachments exceed {conf.max_total_bytes() // conf.MiB} MB in total)",
            field="attachments",
        )
    return [attachment_prepare(upload) for upload in uploads]
