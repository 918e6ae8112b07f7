"""Typed audit constructors of the integrity app."""

from __future__ import annotations

from django.db import models

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, User


def warning_transition_event(
    *, user: User, obj: models.Model, action: str, to_status: str, reason: str
) -> None:
    audit_record(
        action=AuditAction.TRANSITION,
        actor=user,
        obj=obj,
        details={"action": action, "to": to_status, "reason": reason},
    )


def config_created_event(*, user: User, obj: models.Model, version: str) -> None:
    audit_record(action=AuditAction.CREATE, actor=user, obj=obj, details={"version": version})


def map_uploaded_event(*, user: User, obj: models.Model, features: int) -> None:
    audit_record(action=AuditAction.UPDATE, actor=user, obj=obj, details={"features": features})
