"""Typed events of case handling: each writes one timeline step and its audit record together.

Services call these; views and selectors never write the audit log themselves.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, User
from lianqing.core.rows import row_insert

from .models import Case, CaseAttachment, CaseEvent, CaseNote


def _record(
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
    event = row_insert(
        CaseEvent(
            case=case,
            at=timezone.now(),
            actor=actor,
            action=action,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            details=details,
        )
    )
    audit_record(
        action=audit_action,
        actor=actor,
        obj=case,
        details={"action": action, "from": from_status, "to": to_status, "reason": reason, **details},
    )
    return event


def case_registered_event(*, case: Case, by: User | None) -> CaseEvent:
    source_case = case.source_case
    return _record(
        case=case,
        actor=by,
        action="register",
        to_status=case.status,
        details={
            "source": case.source,
            "kind": case.kind,
            "from_case": source_case.number if source_case else "",
        },
        audit_action=AuditAction.CREATE,
    )


def case_transitioned_event(
    *, case: Case, by: User | None, action: str, from_status: str, reason: str, details: dict[str, Any]
) -> CaseEvent:
    return _record(
        case=case,
        actor=by,
        action=action,
        from_status=from_status,
        to_status=case.status,
        reason=reason,
        details=details,
    )


def case_merged_in_event(*, original: Case, by: User | None, duplicate: Case, reason: str) -> CaseEvent:
    return _record(
        case=original, actor=by, action="merged_in", reason=reason, details={"duplicate": duplicate.number}
    )


def case_note_added_event(*, case: Case, by: User, note: CaseNote) -> CaseEvent:
    return _record(
        case=case, actor=by, action="note", details={"note_id": note.pk}, audit_action=AuditAction.UPDATE
    )


def case_recategorised_event(*, case: Case, by: User, previous: str) -> CaseEvent:
    return _record(
        case=case,
        actor=by,
        action="recategorise",
        details={"from_category": previous, "to_category": case.category},
        audit_action=AuditAction.UPDATE,
    )


def case_attachment_added_event(*, case: Case, by: User, attachment: CaseAttachment) -> CaseEvent:
    return _record(
        case=case,
        actor=by,
        action="attachment",
        details={"attachment_id": attachment.pk, "name": attachment.name},
        audit_action=AuditAction.UPDATE,
    )


def case_attachment_opened_event(
    *, case: Case, by: User, attachment: CaseAttachment, request: HttpRequest | None
) -> None:
    audit_record(
        action=AuditAction.VIEW, actor=by, obj=attachment, details={"case": case.number}, request=request
    )


def case_printed_event(*, case: Case, by: User, request: HttpRequest | None) -> None:
    audit_record(action=AuditAction.VIEW, actor=by, obj=case, details={"view": "print"}, request=request)


def cases_exported_event(*, by: User, query: str, request: HttpRequest | None) -> None:
    audit_record(
        action=AuditAction.EXPORT,
        actor=by,
        object_type="cases.case",
        details={"query": query},
        request=request,
    )
