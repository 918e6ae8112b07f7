"""Audit records of the leads app, one typed constructor per event."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, User
from lianqing.leads.models import DataPackage, Hit, ScanRun


def package_registered_event(*, package: DataPackage, user: User | None) -> None:
    audit_record(
        action=AuditAction.CREATE,
        actor=user,
        obj=package,
        details={"name": package.name, "source": package.source, "datasets": package.datasets},
    )


def scan_started_event(*, run: ScanRun, user: User | None) -> None:
    audit_record(
        action=AuditAction.CREATE,
        actor=user,
        obj=run,
        details={"package": run.package_id, "engine": run.engine, "rules": run.rules, "params": run.params},
    )


def scan_cancelled_event(*, run: ScanRun, user: User) -> None:
    audit_record(action=AuditAction.TRANSITION, actor=user, obj=run, details={"to": "cancel"})


def hit_decided_event(*, hit: Hit, user: User, details: dict[str, Any]) -> None:
    audit_record(action=AuditAction.TRANSITION, actor=user, obj=hit, details={"to": hit.status, **details})


def hit_viewed_event(*, hit: Hit, request: HttpRequest, part: str) -> None:
    """Evidence shows personal data of third parties: every look at it is recorded."""
    audit_record(
        action=AuditAction.VIEW,
        obj=hit,
        request=request,
        details={"part": part, "rule_id": hit.rule_id, "subject_id": hit.subject_id},
    )


def hit_id_revealed_event(*, hit: Hit, request: HttpRequest, token: str) -> None:
    """A masked id number was shown in full: who looked at which record's column, and when."""
    audit_record(
        action=AuditAction.VIEW,
        obj=hit,
        request=request,
        details={"part": "reveal", "rule_id": hit.rule_id, "field": token},
    )


def hits_exported_event(*, run: ScanRun, request: HttpRequest, filters: dict[str, str], count: int) -> None:
    audit_record(
        action=AuditAction.EXPORT, obj=run, request=request, details={"filters": filters, "hits": count}
    )
