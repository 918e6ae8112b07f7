"""Data packages: queue an import (upload or folder), run it in the worker, register a folder.

An import runs in the worker (`tasks.package_import_task`), never in a request; the demo and
the tests register folders in-process. Each delivery of an import task first claims its package
(a conditional update, as a scan claims its run), so two deliveries never import into one folder.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.models import Org, User
from lianqing.leads import events, storage
from lianqing.leads.errors import LeadsError
from lianqing.leads.models import DataPackage, ImportStatus, PackageSource
from lianqing.leads.scans import scan_start
from lianqing.leads.storage import stored

logger = logging.getLogger(__name__)


def _package_create(
    *, user: User, name: str, source: str, source_name: str, imported: storage.ImportedPackage
) -> DataPackage:
    if user.org is None:
        storage.remove_package_folder(imported.path)
        raise LeadsError(_("您的账号没有所属机构，不能导入数据包"))
    try:
        with transaction.atomic():
            package = DataPackage.objects.create(
                name=name.strip()[:200] or source_name[:200],
                org=user.org,
                source=source,
                source_name=source_name[:300],
                path=str(imported.path),
                as_of=imported.as_of,
                datasets=imported.datasets,
                manifest=imported.manifest,
                import_report=imported.report,
                created_by=user,
            )
            events.package_registered_event(package=package, user=user)
    except BaseException:
        storage.remove_package_folder(imported.path)
        raise
    return package


def package_register_folder(
    *, user: User, folder: str, name: str = "", source: str = PackageSource.FOLDER
) -> DataPackage:
    """Import a folder under DATA_DIR (one of `storage.data_folders()`)."""
    imported = storage.import_folder(storage.resolve_data_folder(folder))
    return _package_create(
        user=user, name=name or folder, source=source, source_name=folder, imported=imported
    )


def _pending_package_create(
    *, user: User, name: str, source: str, source_name: str, out: Path, scan_after: bool
) -> DataPackage:
    with transaction.atomic():
        package = DataPackage.objects.create(
            name=name.strip()[:200] or source_name[:200],
            org=_require_org(user),
            source=source,
            source_name=source_name[:300],
            path=str(out),
            import_status=ImportStatus.IMPORTING,
            created_by=user,
        )
        events.package_registered_event(package=package, user=user)
        from lianqing.leads.tasks import package_import_task

        transaction.on_commit(lambda: package_import_task.enqueue(package.pk, scan_after))
    return package


def _require_org(user: User) -> Org:
    if user.org is None:
        raise LeadsError(_("您的账号没有所属机构，不能导入数据包"))
    return user.org


def package_import_upload(
    *, user: User, upload: IO[bytes], filename: str, name: str = "", scan_after: bool = False
) -> DataPackage:
    """Keep an uploaded zip and queue its import (导入中); a file that is no package zip is refused."""
    _require_org(user)
    storage.check_zip(upload, filename)
    out = storage.new_package_folder()
    staged = storage.stage_upload(upload, out)
    try:
        return _pending_package_create(
            user=user,
            name=name or Path(filename).stem,
            source=PackageSource.UPLOAD,
            source_name=filename,
            out=out,
            scan_after=scan_after,
        )
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def package_import_folder(
    *, user: User, folder: str, name: str = "", scan_after: bool = False
) -> DataPackage:
    """Queue the import of a folder under DATA_DIR (one of `storage.data_folders()`)."""
    _require_org(user)
    storage.resolve_data_folder(folder)
    return _pending_package_create(
        user=user,
        name=name or folder,
        source=PackageSource.FOLDER,
        source_name=folder,
        out=storage.new_package_folder(),
        scan_after=scan_after,
    )


def _import_of(package: DataPackage) -> storage.ImportedPackage:
    out = Path(package.path)
    if package.source == PackageSource.UPLOAD:
        return storage.import_zip(storage.staged_upload(out), package.source_name, out)
    return storage.import_folder(storage.resolve_data_folder(package.source_name), out)


def _import_failed(package_id: int, error: str, details: list[str]) -> None:
    """Mark the import failed. The reason and the problems are kept as Chinese text and, for an
    analytics message, with its template too, so the package page reads them in its language."""
    DataPackage.objects.filter(pk=package_id, import_status=ImportStatus.IMPORTING).update(
        import_status=ImportStatus.FAILED,
        import_error=str(error)[:5000],
        import_report={"error": stored(error), "problems": [stored(detail) for detail in details[:100]]},
    )


def package_import_claim(package_id: int) -> DataPackage | None:
    """Take a queued import for this delivery of its task: None when another delivery has it.

    One conditional UPDATE, atomic on SQLite and PostgreSQL alike: of two deliveries racing,
    exactly one sets `import_started_at`, and only that one writes into the package folder.
    """
    claimed = DataPackage.objects.filter(
        pk=package_id, import_status=ImportStatus.IMPORTING, import_started_at__isnull=True
    ).update(import_started_at=timezone.now())
    return DataPackage.objects.get(pk=package_id) if claimed else None


def package_import_execute(package_id: int, *, scan_after: bool = False) -> None:
    """Import a queued package (the task body); then queue its scan if asked.

    A refused import leaves no folder and marks the package 导入失败 with the reason. A delivery
    that finds the import claimed by another, or no longer importing, does nothing.
    """
    package = package_import_claim(package_id)
    if package is None:
        return
    out = Path(package.path)
    try:
        imported = _import_of(package)
    except LeadsError as error:
        _import_failed(package_id, error.message, error.details)
        return
    except Exception as error:  # a bug or a broken file: the analyst still sees why the import ended
        logger.exception("import of package %s failed", package_id)
        storage.remove_package_folder(out)
        _import_failed(package_id, f"导入出错：{type(error).__name__}: {error}", [])
        return
    finally:
        if package.source == PackageSource.UPLOAD:
            storage.staged_upload(out).unlink(missing_ok=True)
    try:
        updated = DataPackage.objects.filter(pk=package_id, import_status=ImportStatus.IMPORTING).update(
            import_status=ImportStatus.READY,
            as_of=imported.as_of,
            datasets=imported.datasets,
            manifest=imported.manifest,
            import_report=imported.report,
        )
    except BaseException:
        storage.remove_package_folder(out)
        raise
    if not updated:
        storage.remove_package_folder(out)
        return
    if scan_after:
        package.refresh_from_db()
        try:
            scan_start(package=package, user=package.created_by)
        except LeadsError as error:
            logger.warning("scan after the import of package %s not started: %s", package_id, error)


def package_imports_sweep(*, now: dt.datetime | None = None) -> int:
    """End the imports whose worker died: claimed longer ago than LEADS_IMPORT_STUCK_AFTER and
    still importing. Each is marked 导入失败 with a reason the analyst reads on the package page,
    and what the dead worker may have half-written is removed. A worker that wakes up later
    finds the import no longer importing and keeps nothing (package_import_execute). Returns how
    many were ended; the worker runs it daily."""
    now = now or timezone.now()
    stuck_after: dt.timedelta = settings.LEADS_IMPORT_STUCK_AFTER
    hours = max(1, round(stuck_after.total_seconds() / 3600))
    ended = 0
    stuck = DataPackage.objects.filter(
        import_status=ImportStatus.IMPORTING, import_started_at__lt=now - stuck_after
    )
    for package in stuck.only("pk", "path"):
        reason = _(
            "后台导入任务开始后 %(hours)d 小时仍未完成（处理它的进程可能已中断），导入已结束，请重新登记或上传数据包"
        ) % {"hours": hours}
        if DataPackage.objects.filter(pk=package.pk, import_status=ImportStatus.IMPORTING).update(
            import_status=ImportStatus.FAILED, import_error=reason, import_report={"problems": []}
        ):
            storage.remove_package_folder(Path(package.path))
            ended += 1
    if ended:
        logger.warning("ended %d stuck package imports", ended)
    return ended
