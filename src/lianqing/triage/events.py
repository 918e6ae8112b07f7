"""Typed audit constructors of the triage app."""

from __future__ import annotations

from django.db import models

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, User


def suggestion_decided_event(
    *, user: User, obj: models.Model, field: str, accepted: bool, corrected: str
) -> None:
    audit_record(
        action=AuditAction.UPDATE,
        actor=user,
        obj=obj,
        details={"field": field, "accepted": accepted, "corrected": corrected},
    )


def posts_imported_event(*, user: User, obj: models.Model, posts: int, errors: int, events: int) -> None:
    audit_record(
        action=AuditAction.CREATE,
        actor=user,
        obj=obj,
        details={"posts": posts, "errors": errors, "events": events},
    )


def post_event_decided_event(*, user: User, obj: models.Model, decision: str, case_id: int | None) -> None:
    audit_record(
        action=AuditAction.UPDATE, actor=user, obj=obj, details={"decision": decision, "case": case_id}
    )


def model_trained_event(*, obj: models.Model, trained_on: int, held_out: int) -> None:
    audit_record(action=AuditAction.CREATE, obj=obj, details={"trained_on": trained_on, "held_out": held_out})
