"""Typed audit constructors of the dossiers app: every opening of a file is one of these."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, User


def file_opened_event(*, user: User, obj: models.Model, reason: str, request: HttpRequest | None) -> None:
    audit_record(action=AuditAction.VIEW, actor=user, obj=obj, details={"reason": reason}, request=request)


def record_changed_event(*, user: User, obj: models.Model, action: AuditAction, what: str) -> None:
    audit_record(action=action, actor=user, obj=obj, details={"what": what})


def link_decided_event(*, user: User, obj: models.Model, decision: str, cadre_id: int | None) -> None:
    audit_record(
        action=AuditAction.UPDATE, actor=user, obj=obj, details={"decision": decision, "cadre": cadre_id}
    )


def registry_imported_event(*, user: User | None, obj: models.Model, counts: dict[str, int]) -> None:
    audit_record(action=AuditAction.UPDATE, actor=user, obj=obj, details=counts)


def opinion_event(
    *, user: User, obj: models.Model, what: str, action: AuditAction = AuditAction.UPDATE
) -> None:
    audit_record(action=action, actor=user, obj=obj, details={"what": what})
