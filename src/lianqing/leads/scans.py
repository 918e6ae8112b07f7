"""Scans: queue one, run it in the worker, store its hits against the previous scan, cancel it."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.analytics.engine import ScanCancelledError, ScanResult, check_scan_params, get_rule, scan
from lianqing.analytics.engine.scan import ENGINES
from lianqing.analytics.errors import AnalyticsError, Message
from lianqing.core.models import User
from lianqing.leads import events
from lianqing.leads.errors import LeadsError
from lianqing.leads.evidence import scan_places
from lianqing.leads.fingerprints import hit_fingerprint
from lianqing.leads.models import DataPackage, Hit, HitChange, HitStatus, ImportStatus, ScanRun, ScanStatus
from lianqing.leads.tally import tally_rebuild

logger = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(hours=1)  # no progress for this long: the worker is gone


def _check_scan_options(rules: list[str], params: Mapping[str, Any], engine: str) -> list[str]:
    if engine not in ENGINES:
        raise LeadsError(_("未知引擎 %(engine)s") % {"engine": engine})
    try:
        chosen = sorted({get_rule(rule_id).id for rule_id in rules})
        check_scan_params({str(key): value for key, value in params.items()})
    except AnalyticsError as error:
        raise LeadsError(error.message) from error
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
        raise LeadsError(_("数据包 %(name)s 尚未导入成功，不能扫描") % {"name": package.name})
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
            f"数据包 {package.name} 已有一个扫描在排队或进行中，请等待其结束或取消后再试"
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
            error=_("后台任务已中断，扫描已结束"),
        )
        running = ScanRun.objects.filter(pk=run.pk, status=ScanStatus.RUNNING).update(
            is_cancel_requested=True
        )
        if not queued and not stale and not running:
            raise LeadsError(_("该扫描已经结束，无法取消"))
        events.scan_cancelled_event(run=run, user=user)
    run.refresh_from_db()
    return run


def _finish(run_id: int, status: str, error: str = "") -> None:
    """End the run. An analytics message is also kept with its template (`summary["error"]`), so
    the run page reads it in its own language."""
    ScanRun.objects.filter(pk=run_id, status=ScanStatus.RUNNING).update(
        status=status, error=str(error)[:5000], finished_at=timezone.now(), current_rule=""
    )
    if isinstance(error, Message):
        ScanRun.objects.filter(pk=run_id).update(summary={"error": error.as_json()})


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
        _finish(run_id, ScanStatus.FAILED, error.message)
    except Exception as error:  # a bug or a broken file: the analyst still sees why the scan ended
        logger.exception("scan %s failed", run_id)
        _finish(run_id, ScanStatus.FAILED, f"扫描出错：{type(error).__name__}: {error}")


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
    for entry, report in zip(run.summary.get("rules", []), result.reports, strict=False):
        if isinstance(report.reason, Message):  # a skipped rule's reason, to read in any language
            entry["reason"] = report.reason.as_json()
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
    tally_rebuild(run)  # after the summary is saved: it adds the filter choices to it
    return run


def scan_run_sync(*, package: DataPackage, user: User | None, **options: Any) -> ScanRun:
    """Start and run a scan in this process (the demo and the command line; the web queues)."""
    run = scan_start(package=package, user=user, enqueue=False, **options)
    scan_execute(run.pk)
    run.refresh_from_db()
    return run
