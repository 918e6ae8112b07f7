"""Attachments: what a file really is (from its bytes, never its name), size and count limits,
and every kind cleaned of its metadata to protect the reporter (strip_images, strip_documents,
strip_video).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianqing.intake import conf
from lianqing.intake.archives import zip_open_checked, zip_read_bounded
from lianqing.intake.errors import IntakeError
from lianqing.intake.strip_documents import office_strip, pdf_strip
from lianqing.intake.strip_heif import heif_strip
from lianqing.intake.strip_images import image_strip
from lianqing.intake.strip_video import video_strip


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
_HEIF_BRANDS = {b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis", b"hevc", b"hevx"}
_VIDEO_BRANDS_EXCLUDED = {*_HEIF_BRANDS, b"avif", b"avis"}
_HEIC = FileType(AttachmentKind.IMAGE, "image/heic", "heic")
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
ACCEPTED_TYPES_TEXT = _(
    "图片：JPG、PNG、GIF、WebP、手机 HEIC；视频：MP4、MOV、3GP、WebM、AVI；PDF；"
    "Office 文档：docx、xlsx、pptx、OpenDocument"
)
_LEGACY_OFFICE = "application/x-ole-storage"


def _zip_type(data: bytes, name: str) -> FileType | None:
    """OOXML or OpenDocument from a zip's part names; its limits checked first (zip bombs)."""
    try:
        with zip_open_checked(data, name) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mime = zip_read_bounded(archive, "mimetype", 100).decode("ascii", "replace").strip()
                if mime.startswith("application/vnd.oasis.opendocument."):
                    return FileType(AttachmentKind.OFFICE, mime, "od" + mime.rsplit(".", 1)[-1][0])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, file_type in _OOXML_PARTS.items():
        if any(name.startswith(prefix) for name in names):
            return file_type
    return None


def sniff(data: bytes, name: str = "") -> FileType | None:
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
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return _HEIC
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
        return FileType(AttachmentKind.OFFICE, _LEGACY_OFFICE, "doc")  # refused by attachment_prepare
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(data, name)
    return None


def _too_large(name: str, limit: int) -> IntakeError:
    return IntakeError(
        gettext("附件 %(name)s 超过 %(limit)d MB 的大小上限") % {"name": name, "limit": limit // conf.MiB},
        field="attachments",
    )


def _stripped(data: bytes, name: str, file_type: FileType) -> bytes:
    """The file without its metadata, of the same type."""
    if file_type == _HEIC:  # losslessly, in its container: decoding and re-encoding costs 50 ms
        return heif_strip(data, name)
    if file_type.kind == AttachmentKind.IMAGE:
        return image_strip(data, name, file_type.extension)[0]
    if file_type.kind == AttachmentKind.VIDEO:
        return video_strip(data, name, file_type.extension)
    if file_type.kind == AttachmentKind.PDF:
        return pdf_strip(data, name)
    return office_strip(data, name)


def _renamed_jpeg(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return f"{stem}.jpg" if dot and extension.lower() in {"heic", "heif"} else f"{name}.jpg"


def shown_in_browser(name: str, mime: str, data: bytes) -> tuple[str, str, bytes]:
    """Name, type and bytes a browser can show: a HEIC photo (kept as HEIC, losslessly stripped)
    becomes a JPEG of its pixels alone, in memory; anything else is given as it is. A HEIC whose
    pictures cannot be decoded is given as it is: it carries no metadata either."""
    if mime != _HEIC.mime:
        return name, mime, data
    try:
        jpeg, _extension = image_strip(data, name, _HEIC.extension)
    except IntakeError:
        return name, mime, data
    return _renamed_jpeg(name), _IMAGE_FORMATS["JPEG"].mime, jpeg


def attachment_prepare(
    upload: UploadedFile, *, strip_metadata: bool | None = None, heic_as_jpeg: bool = False
) -> PreparedFile:
    """Read one upload, check its type from its content and clean it. IntakeError if refused.
    `heic_as_jpeg`: for files served as they are stored (no decryption step to convert at)."""
    name = (upload.name or "附件").rsplit("/", 1)[-1][:200]
    limit = conf.max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise _too_large(name, limit)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(name, limit)
    if not data:
        raise IntakeError(gettext("附件 %(name)s 是空文件") % {"name": name}, field="attachments")
    file_type = sniff(data, name)
    if file_type is None:
        raise IntakeError(
            gettext("附件 %(name)s 的文件类型不受支持，只接受%(types)s")
            % {"name": name, "types": ACCEPTED_TYPES_TEXT},
            field="attachments",
        )
    if file_type.mime == _LEGACY_OFFICE:
        raise IntakeError(
            gettext(
                "附件 %(name)s 是旧版 Office 格式（.doc、.xls、.ppt、.wps）。这类文件在内部多处记有作者和修订人的姓名，"
                "无法可靠清除，为保护您的身份不予接收。请在 Office 或 WPS 中另存为 PDF 或 docx、xlsx、pptx 后再上传。"
            )
            % {"name": name},
            field="attachments",
        )
    kind_limit = conf.max_video_bytes() if file_type.kind == AttachmentKind.VIDEO else conf.max_file_bytes()
    if len(data) > kind_limit:
        raise _too_large(name, kind_limit)
    strip = conf.strip_image_metadata() if strip_metadata is None else strip_metadata
    if strip:
        data = _stripped(data, name, file_type)
    if heic_as_jpeg and file_type == _HEIC:
        jpeg, _extension = image_strip(data, name, _HEIC.extension)  # refuses what cannot be decoded
        return PreparedFile(original_name=_renamed_jpeg(name), file_type=_IMAGE_FORMATS["JPEG"], data=jpeg)
    return PreparedFile(original_name=name, file_type=file_type, data=data)


def attachments_prepare(uploads: Sequence[UploadedFile], *, already: int = 0) -> list[PreparedFile]:
    """Check count and total size, then prepare each file."""
    if len(uploads) + already > conf.max_files():
        raise IntakeError(gettext("附件最多 %(count)d 个") % {"count": conf.max_files()}, field="attachments")
    total = sum(upload.size or 0 for upload in uploads)
    if total > conf.max_total_bytes():
        raise IntakeError(
            gettext("附件总大小超过 %(limit)d MB") % {"limit": conf.max_total_bytes() // conf.MiB},
            field="attachments",
        )
    return [attachment_prepare(upload) for upload in uploads]
