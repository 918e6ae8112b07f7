"""Audit records of the public site, one typed constructor per event."""

from __future__ import annotations

from typing import Any

from django.db import models

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, User


def publication_transitioned_event(
    *, item: models.Model, by: User, action: str, from_status: str, reason: str, details: dict[str, Any]
) -> None:
    audit_record(
        action=AuditAction.TRANSITION,
        actor=by,
        obj=item,
        details={"action": action, "from": from_status, "to": item.status, "reason": reason, **details},  # type: ignore[attr-defined]
    )


def publication_saved_event(*, item: models.Model, by: User, created: bool, notices: list[str]) -> None:
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=by,
        obj=item,
        details={"sanitised": notices},
    )


def question_answered_event(*, question: models.Model, by: User, published: bool) -> None:
    audit_record(action=AuditAction.UPDATE, actor=by, obj=question, details={"published": published})
