"""Zip containers (Office documents are zips) opened without trusting them.

A zip bomb is a small file whose members unpack to gigabytes. Before anything is read, the
declared sizes and compression ratios of every member are checked; members are then read only
in bounded pieces. zipfile itself stops a member at its declared size (and fails its CRC), so a
member that lies about its size cannot unpack past what was checked here.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _

from lianqing.intake import conf
from lianqing.intake.errors import IntakeError

# Members this small are never a bomb, whatever their ratio (a tiny XML part compresses 50:1).
_RATIO_EXEMPT_BYTES = 1024 * 1024


def _refuse(name: str, why: str) -> IntakeError:
    return IntakeError(
        _("附件 %(name)s：%(why)s，为安全起见不予接收。请另存为 PDF 后再上传。") % {"name": name, "why": why},
        field="attachments",
    )


def zip_check(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse an archive whose members could unpack to more than the configured limits."""
    members = archive.infolist()
    if len(members) > conf.zip_max_members():
        raise _refuse(name, _("文档内部包含的文件过多（%(count)d 个）") % {"count": len(members)})
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > _RATIO_EXEMPT_BYTES and info.file_size > conf.zip_max_ratio() * max(
            info.compress_size, 1
        ):
            raise _refuse(name, _("文档内部的压缩比异常（疑似“压缩炸弹”）"))
    if total > conf.zip_max_unpacked_bytes():
        raise _refuse(
            name,
            _("文档解压后超过 %(limit)d MB") % {"limit": conf.zip_max_unpacked_bytes() // conf.MiB},
        )


@contextmanager
def zip_open_checked(data: bytes, name: str) -> Iterator[zipfile.ZipFile]:
    """The archive, its limits checked; BadZipFile (and the like) for what is not a zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        zip_check(archive, name)
        yield archive


def zip_read_bounded(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, limit: int) -> bytes:
    """At most `limit` bytes of a member: what detection or a small rewrite needs, never more."""
    with archive.open(member) as handle:
        return handle.read(limit)


def zip_copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: zipfile.ZipFile) -> None:
    """Copy one member in pieces (never whole in memory), with a neutral timestamp."""
    with archive.open(info) as source, target.open(neutral_info(info), "w") as sink:
        while chunk := source.read(1024 * 1024):
            sink.write(chunk)


def neutral_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """The member's name and compression, without the time it was last saved."""
    clean = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
    clean.compress_type = info.compress_type
    clean.external_attr = 0o600 << 16
    return clean
