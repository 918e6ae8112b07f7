"""What /healthz checks: that the database and the upload folders take writes, for real.

A read-only or full volume still answers reads, so "the process is up" says nothing; each check
writes (one database row, one small file per folder) and reports which part refused.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.models import HealthProbe


def database_problem() -> str | None:
    try:
        with transaction.atomic():
            HealthProbe.objects.update_or_create(pk=1, defaults={"checked_at": timezone.now()})
    except DatabaseError as error:
        return _("数据库不能写入：%(error)s") % {"error": error}
    return None


def upload_folders() -> list[Path]:
    """The upload folder and the intake's working folders beneath it that exist."""
    root = Path(settings.MEDIA_ROOT)
    return [
        root,
        *(path for path in (root / "intake" / "pending", root / "intake" / "files") if path.is_dir()),
    ]


def folder_problem(folder: Path) -> str | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-") as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        return _("文件夹 %(folder)s 不能写入：%(error)s") % {"folder": folder, "error": error.strerror}
    return None


def health_problems() -> dict[str, str]:
    problems: dict[str, str] = {}
    if message := database_problem():
        problems["database"] = message
    for folder in upload_folders():
        if message := folder_problem(folder):
            problems["uploads"] = message
            break
    return problems
