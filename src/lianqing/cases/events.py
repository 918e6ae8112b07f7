"""The case timeline and the audit log, written together for every step of a case."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, User

from .models import Case, CaseEvent


def case_event_record(
    *,
    case: Case,
    actor: User | None,
    action: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    details: dict[str, Any] | None = None,
    audit_action: AuditAction = AuditAction.TRANSITION,
) -> CaseEvent:
    details = details or {}
    event = CaseEvent.objects.create(
        case=case,
        at=timezone.now(),
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        details=details,
    )
    audit_record(
        action=audit_action,
        actor=actor,
        obj=case,
        details={"action": action, "from": from_status, "to": to_status, "reason": reason, **details},
    )
    return event
