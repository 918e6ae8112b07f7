"""Retention: after a case is closed, each part of its report is kept for the period of its
category (RetentionPolicy, else DEFAULT_DAYS), then erased by the daily job: the identity box is
dropped, sealed files are shredded (overwritten, then unlinked), the content is blanked. Once
nothing sealed is left, the report's key grants go too. One audit row per report and run.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from lianqing.cases.models import CaseEvent
from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction
from lianqing.intake import storage
from lianqing.intake.models import Report, RetentionPolicy
from lianqing.intake.notices import CLOSED_STATUSES

# Defaults (docs/intake.md says why): identity 5 years, evidence files 10 years, content 30 years.
DEFAULT_DAYS = {"identity": 5 * 365, "attachments": 10 * 365, "content": 30 * 365}
ERASED_TEXT = "（已按保留期限删除）"


def periods_for(category: str) -> dict[str, int]:
    policy = RetentionPolicy.objects.filter(category=category).first()
    if policy is None:
        return dict(DEFAULT_DAYS)
    return {
        "identity": policy.identity_days,
        "attachments": policy.attachments_days,
        "content": policy.content_days,
    }


def closed_at(report: Report) -> datetime | None:
    """When the report's case was closed, None while it is open (a reopened case is open)."""
    case = report.case if report.case_id else None
    if case is None or case.status not in CLOSED_STATUSES:
        return None
    last = CaseEvent.objects.filter(case=case, to_status__in=CLOSED_STATUSES).aggregate(at=Max("at"))["at"]
    return last or case.concluded_at


@transaction.atomic
def _erase(report: Report, parts: list[str], now: datetime) -> None:
    report = Report.objects.select_for_update().get(pk=report.pk)
    files = 0
    if "identity" in parts:
        report.identity_box = None
        report.identity_erased_at = now
    if "attachments" in parts:
        names = list(report.attachments.values_list("storage_name", flat=True))
        report.attachments.all().delete()
        for name in names:
            transaction.on_commit(partial(storage.stored_shred, name))
        files = len(names)
        report.attachments_erased_at = now
    if "content" in parts:
        report.description = ERASED_TEXT
        report.persons.all().delete()
        report.messages.update(body=ERASED_TEXT)
        report.content_erased_at = now
    report.save()
    if report.identity_box is None and not report.attachments.exists():
        report.recipients.all().delete()  # nothing sealed is left for the report key to open
    audit_record(
        action=AuditAction.DELETE, obj=report,
        details={"event": "retention", "erased": parts, "files": files},
    )  # fmt: skip


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Erase every part whose period after closure has run out. Idempotent; the worker runs it daily."""
    now = now or timezone.now()
    counts = {"reports": 0, "identity": 0, "attachments": 0, "content": 0}
    kept = (
        Q(identity_erased_at__isnull=True)
        | Q(attachments_erased_at__isnull=True)
        | Q(content_erased_at__isnull=True)
    )
    pending = Report.objects.filter(kept, case__status__in=CLOSED_STATUSES)
    for report in pending.select_related("case"):
        closed = closed_at(report)
        if closed is None:
            continue
        periods = periods_for(report.category)
        still_kept = {
            "identity": report.identity_erased_at is None and report.identity_box is not None,
            "attachments": report.attachments_erased_at is None,
            "content": report.content_erased_at is None,
        }
        due = [
            part
            for part, kept_now in still_kept.items()
            if kept_now and closed + timedelta(days=periods[part]) <= now
        ]
        if not due:
            continue
        _erase(report, due, now)
        counts["reports"] += 1
        for part in due:
            counts[part] += 1
    return counts
