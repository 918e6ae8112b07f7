"""Writes of the leads app: register packages, run scans, store hits, decide on hits.

The analytics library does the work and knows nothing of Django; this module calls it and
stores what it returns. An upload's import (`tasks.package_import_task`) and a scan
(`tasks.scan_run_task`) run in the worker, never in a request; the demo imports in-process.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lianqing.analytics.engine import ScanCancelledError, ScanResult, check_scan_params, get_rule, scan
from lianqing.analytics.engine.scan import ENGINES
from lianqing.analytics.errors import AnalyticsError
from lianqing.cases.errors import CaseError
from lianqing.cases.models import Case, Category, Kind, Source
from lianqing.cases.services import case_attachment_add, case_register
from lianqing.core.models import Org, OrgKind, User
from lianqing.leads import events, storage
from lianqing.leads.errors import LeadsError
from lianqing.leads.evidence import DatasetRecords, hit_people, hit_records, scan_places
from lianqing.leads.export import hit_evidence_xlsx
from lianqing.leads.fingerprints import hit_fingerprint
from lianqing.leads.models import (
    DataPackage,
    Hit,
    HitChange,
    HitStatus,
    ImportStatus,
    PackageSource,
    ScanRun,
    ScanStatus,
)

logger = logging.getLogger(__name__)

MAX_REASON = 2000
STALE_AFTER = dt.timedelta(hours=1)  # no progress for this long: the worker is gone
MAX_CASE_RECORDS = 50


def rule_category(rule_id: str) -> str:
    """What kind of problem a lead from the rule is (the rule header's `category`), for the case
    workflow's statistics; a rule no longer in the library files as 其他."""
    try:
        return get_rule(rule_id).category
    except AnalyticsError:
        return Category.OTHER


# --- packages ---------------------------------------------------------------------------------


def _package_create(
    *, user: User, name: str, source: str, source_name: str, imported: storage.ImportedPackage
) -> DataPackage:
    if user.org is None:
        storage.remove_package_folder(imported.path)
        raise LeadsError("您的账号没有所属机构，不能导入数据包 (your account has no org)")
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


def package_register_upload(*, user: User, upload: IO[bytes], filename: str, name: str = "") -> DataPackage:
    """Import an uploaded package zip. Refused (LeadsError) with nothing stored on any problem."""
    imported = storage.import_zip(upload, filename)
    return _package_create(
        user=user,
        name=name or Path(filename).stem,
        source=PackageSource.UPLOAD,
        source_name=filename,
        imported=imported,
    )


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
        raise LeadsError("您的账号没有所属机构，不能导入数据包 (your account has no org)")
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
    DataPackage.objects.filter(pk=package_id, import_status=ImportStatus.IMPORTING).update(
        import_status=ImportStatus.FAILED,
        import_error=error[:5000],
        import_report={"problems": details[:100]},
    )


def package_import_execute(package_id: int, *, scan_after: bool = False) -> None:
    """Import a queued package (the task body); then queue its scan if asked.

    A refused import leaves no folder and marks the package 导入失败 with the reason. A second
    call for a package no longer importing does nothing.
    """
    package = DataPackage.objects.filter(pk=package_id, import_status=ImportStatus.IMPORTING).first()
    if package is None:
        return
    out = Path(package.path)
    try:
        imported = _import_of(package)
    except LeadsError as error:
        _import_failed(package_id, str(error), error.details)
        return
    except Exception as error:  # a bug or a broken file: the analyst still sees why the import ended
        logger.exception("import of package %s failed", package_id)
        storage.remove_package_folder(out)
        _import_failed(package_id, f"导入出错 (import failed): {type(error).__name__}: {error}", [])
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


# --- scans ------------------------------------------------------------------------------------


def _check_scan_options(rules: list[str], params: Mapping[str, Any], engine: str) -> list[str]:
    if engine not in ENGINES:
        raise LeadsError(f"未知引擎 {engine} (unknown engine {engine})")
    try:
        chosen = sorted({get_rule(rule_id).id for rule_id in rules})
        check_scan_params({str(key): value for key, value in params.items()})
    except AnalyticsError as error:
        raise LeadsError(str(error)) from error
    return chosen


def scan_start(
    *,
    package: DataPackage,
    user: User | None,
    rules: list[str] | None = None,
    params: Mapping[str, Any] | None = None,
    as_of: dt.date | None = None,
    engine: str = "duckdb",
    enqueue: bool = True,
) -> ScanRun:
    """Queue a scan of `package`; refused while another scan of it is queued or running."""
    if package.import_status != ImportStatus.READY:
        raise LeadsError(
            f"数据包 {package.name} 尚未导入成功，不能扫描 (package {package.name} is not imported)"
        )
    chosen = _check_scan_options(rules or [], params or {}, engine)
    try:
        with transaction.atomic():
            run = ScanRun.objects.create(
                package=package,
                org=package.org,
                engine=engine,
                rules=chosen,
                params={str(k): str(v) for k, v in (params or {}).items()},
                as_of=as_of or package.as_of,
                created_by=user,
            )
            events.scan_started_event(run=run, user=user)
            if enqueue:
                from lianqing.leads.tasks import scan_run_task

                transaction.on_commit(lambda: scan_run_task.enqueue(run.pk))
    except IntegrityError as error:
        raise LeadsError(
            f"数据包 {package.name} 已有一个扫描在排队或进行中，请等待其结束或取消后再试 "
            f"(a scan of package {package.name} is already queued or running)"
        ) from error
    return run


def scan_cancel(*, run: ScanRun, user: User) -> ScanRun:
    """Cancel a queued scan at once; ask a running one to stop before its next rule.

    A running scan whose worker has shown no sign of life for STALE_AFTER (the worker was
    killed) is ended at once, so that its package can be scanned again.
    """
    now = timezone.now()
    with transaction.atomic():
        queued = ScanRun.objects.filter(pk=run.pk, status=ScanStatus.QUEUED).update(
            status=ScanStatus.CANCELLED, finished_at=now, is_cancel_requested=True
        )
        stale = ScanRun.objects.filter(
            pk=run.pk, status=ScanStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER
        ).update(
            status=ScanStatus.CANCELLED,
            finished_at=now,
            is_cancel_requested=True,
            error="后台任务已中断，扫描已结束 (the worker stopped; scan ended)",
        )
        running = ScanRun.objects.filter(pk=run.pk, status=ScanStatus.RUNNING).update(
            is_cancel_requested=True
        )
        if not queued and not stale and not running:
            raise LeadsError("该扫描已经结束，无法取消 (the scan has already ended)")
        events.scan_cancelled_event(run=run, user=user)
    run.refresh_from_db()
    return run


def _finish(run_id: int, status: str, error: str = "") -> None:
    ScanRun.objects.filter(pk=run_id, status=ScanStatus.RUNNING).update(
        status=status, error=error[:5000], finished_at=timezone.now(), current_rule=""
    )


def scan_execute(run_id: int) -> None:
    """Run a queued scan to its end (the task body). A second call for the same run does nothing."""
    now = timezone.now()
    claimed = ScanRun.objects.filter(pk=run_id, status=ScanStatus.QUEUED).update(
        status=ScanStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return
    run = ScanRun.objects.select_related("package").get(pk=run_id)

    def progress(rule_id: str, index: int, total: int) -> None:
        ScanRun.objects.filter(pk=run_id).update(
            progress_done=index - 1, progress_total=total, current_rule=rule_id, heartbeat_at=timezone.now()
        )

    def cancelled() -> bool:
        return ScanRun.objects.filter(pk=run_id, is_cancel_requested=True).exists()

    try:
        result = scan(
            package=run.package.path,
            rules=run.rules or None,
            params=run.params,
            as_of=run.as_of,
            engine=run.engine,
            progress=progress,
            cancel=cancelled,
        )
        places = scan_places(run.package, result.hits)
        hits_store(run=run, result=result, places=places)
    except ScanCancelledError:
        _finish(run_id, ScanStatus.CANCELLED)
    except AnalyticsError as error:
        _finish(run_id, ScanStatus.FAILED, str(error))
    except Exception as error:  # a bug or a broken file: the analyst still sees why the scan ended
        logger.exception("scan %s failed", run_id)
        _finish(run_id, ScanStatus.FAILED, f"扫描出错 (scan failed): {type(error).__name__}: {error}")


def previous_run_of(run: ScanRun) -> ScanRun | None:
    """The last successful scan of the same scope (org) before `run`."""
    return (
        ScanRun.objects.filter(org_id=run.org_id, status=ScanStatus.SUCCEEDED, created_at__lte=run.created_at)
        .exclude(pk=run.pk)
        .order_by("-finished_at", "-id")
        .first()
    )


@transaction.atomic
def hits_store(
    *, run: ScanRun, result: ScanResult, places: Mapping[tuple[str, str], Any] | None = None
) -> ScanRun:
    """Store a finished scan's hits in bulk, compared with the previous scan of the same scope.

    A fingerprint seen in the previous scan is recurring; one decided earlier (排除 or 转线索)
    keeps that decision, so an excluded 疑点 never comes back as 待核查.
    """
    previous = previous_run_of(run)
    previous_fingerprints = (
        set(previous.hits.order_by().values_list("fingerprint", flat=True)) if previous else set()
    )
    decided: dict[str, Hit] = {}
    for hit in Hit.objects.filter(
        org_id=run.org_id, status__in=[HitStatus.EXCLUDED, HitStatus.CONVERTED]
    ).order_by("decided_at", "id"):
        decided[hit.fingerprint] = hit
    region = run.org.region_code if run.org else ""
    now = timezone.now()
    rows: list[Hit] = []
    for found in result.hits:
        fingerprint = hit_fingerprint(found.rule_id, found.subject_id)
        earlier = decided.get(fingerprint)
        place = (places or {}).get((found.rule_id, found.subject_id))
        recurring = fingerprint in previous_fingerprints or earlier is not None
        rows.append(
            Hit(
                run=run,
                org_id=run.org_id,
                region_code=(place.region_code if place and place.region_code else region)[:12],
                subject_org_code=place.org_code if place else "",
                subject_org_name=place.org_name if place else "",
                rule_id=found.rule_id,
                rule_name=found.rule_name,
                severity=found.severity,
                subject_id=found.subject_id[:200],
                subject_name=found.subject_name[:200],
                amount=found.amount,
                record_ids=found.record_ids,
                explanation=found.explanation,
                fingerprint=fingerprint,
                change=HitChange.RECURRING if recurring else HitChange.NEW,
                status=earlier.status if earlier else HitStatus.PENDING,
                decision_reason=earlier.decision_reason if earlier else "",
                decided_by_id=earlier.decided_by_id if earlier else None,
                decided_at=now if earlier else None,
                case_id=earlier.case_id if earlier else None,
            )
        )
    Hit.objects.bulk_create(rows, batch_size=500)
    fingerprints = {row.fingerprint for row in rows}
    run.summary = json.loads(json.dumps(result.summary, default=str))  # dates of params as text
    run.previous_run = previous
    run.hits_count = len(rows)
    run.new_count = sum(1 for row in rows if row.change == HitChange.NEW)
    run.recurring_count = len(rows) - run.new_count
    run.disappeared_count = len(previous_fingerprints - fingerprints)
    run.progress_done = run.progress_total = len(result.reports)
    run.status = ScanStatus.SUCCEEDED
    run.current_rule = ""
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "summary",
            "previous_run",
            "hits_count",
            "new_count",
            "recurring_count",
            "disappeared_count",
            "progress_done",
            "progress_total",
            "status",
            "current_rule",
            "finished_at",
        ]
    )
    return run


def scan_run_sync(*, package: DataPackage, user: User | None, **options: Any) -> ScanRun:
    """Start and run a scan in this process (the demo and the command line; the web queues)."""
    run = scan_start(package=package, user=user, enqueue=False, **options)
    scan_execute(run.pk)
    run.refresh_from_db()
    return run


# --- decisions on hits ------------------------------------------------------------------------


def _locked_pending(hit: Hit) -> Hit:
    locked = Hit.objects.select_for_update(of=("self",)).select_related("run__package", "org").get(pk=hit.pk)
    if locked.status != HitStatus.PENDING:
        raise LeadsError(
            f"该疑点已{locked.get_status_display()}，不能再处理 (this hit is already {locked.status})"
        )
    return locked


@transaction.atomic
def hit_exclude(*, hit: Hit, user: User, reason: str) -> Hit:
    """排除: the hit was checked and is not a problem. The reason is required."""
    reason = reason.strip()
    if not reason:
        raise LeadsError("请填写排除理由 (field reason: a reason is required)")
    if len(reason) > MAX_REASON:
        raise LeadsError(f"排除理由不能超过 {MAX_REASON} 字 (field reason: at most {MAX_REASON} characters)")
    locked = _locked_pending(hit)
    Hit.objects.filter(pk=locked.pk).update(
        status=HitStatus.EXCLUDED, decision_reason=reason, decided_by=user, decided_at=timezone.now()
    )
    locked.refresh_from_db()
    events.hit_decided_event(hit=locked, user=user, details={"reason": reason})
    return locked


def _case_org(org: Org) -> Org:
    """The commission that takes the lead: the hit org's own commission (or the org itself)."""
    node: Org | None = org
    while node is not None and node.kind == OrgKind.DEPARTMENT:
        node = node.parent
    return node or org


def _case_details(hit: Hit, records: list[DatasetRecords]) -> dict[str, Any]:
    return {
        "leads_hit_id": hit.pk,
        "evidence_url": reverse("leads:hit_detail", args=[hit.pk]),
        "rule_id": hit.rule_id,
        "rule_name": hit.rule_name,
        "severity": hit.severity,
        "subject_id": hit.subject_id,
        "subject_name": hit.subject_name,
        "amount": f"{hit.amount:.2f}" if hit.amount is not None else "",
        "explanation": hit.explanation,
        "record_ids": hit.record_keys,
        "package": hit.run.package.name,
        "scan_run_id": hit.run_id,
        "records": {group.name: group.rows[:MAX_CASE_RECORDS] for group in records},
    }


def _lead_register(locked: Hit, records: list[DatasetRecords], user: User) -> Case:
    people = hit_people(locked)
    case = case_register(
        kind=Kind.LEAD,
        source=Source.DATA_SCAN,
        category=rule_category(locked.rule_id),
        summary=f"【{locked.rule_id} {locked.rule_name}】{locked.explanation}",
        region_code=locked.region_code,
        org=_case_org(locked.org),
        received_at=timezone.now(),
        reported_persons=people,
        created_by=user,
        details=_case_details(locked, records),
    )
    case_attachment_add(
        case=case,
        by=user,
        uploaded=ContentFile(
            hit_evidence_xlsx(locked, records), name=f"疑点证据_{locked.rule_id}_{locked.pk}.xlsx"
        ),
    )
    return case


@transaction.atomic
def hit_convert(*, hit: Hit, user: User) -> Case:
    """转为问题线索: register a 问题线索 from 数据碰撞 with the evidence and the people, and link it."""
    locked = _locked_pending(hit)
    records = hit_records(locked)
    try:
        case = _lead_register(locked, records, user)
    except CaseError as error:
        raise LeadsError(str(error)) from error
    Hit.objects.filter(pk=locked.pk).update(
        status=HitStatus.CONVERTED, case=case, decided_by=user, decided_at=timezone.now()
    )
    locked.refresh_from_db()
    events.hit_decided_event(hit=locked, user=user, details={"case_id": case.pk})
    return case
