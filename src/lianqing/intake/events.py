"""Typed audit events of the intake app: one constructor per thing that happened to a key, a
grant or an identity, so the audit log reads the same wherever it was written from."""

from __future__ import annotations

from django.http import HttpRequest

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, AuditEvent, User
from lianqing.intake.models import IdentityRequest, Report, StaffKey

KEY = "intake.key"


def staff_key_created(*, user: User, key: StaffKey, request: HttpRequest | None = None) -> AuditEvent:
    return audit_record(
        action=AuditAction.CREATE, actor=user, obj=key, details={"event": "key_created"}, request=request
    )


def staff_key_unlocked(*, user: User, ok: bool, request: HttpRequest | None = None) -> AuditEvent:
    return audit_record(
        action=AuditAction.VIEW,
        actor=user,
        object_type=KEY,
        details={"unlock": "ok" if ok else "failed"},
        request=request,
    )


def staff_key_rotated(*, user: User, reports: int) -> AuditEvent:
    return audit_record(
        action=AuditAction.UPDATE, actor=user, object_type=KEY, object_id=str(user.pk),
        details={"event": "key_rotated", "reports": reports},
    )  # fmt: skip


def recipient_granted(
    *, granter: User, grantee: User, reports: int, request: HttpRequest | None = None
) -> AuditEvent:
    return audit_record(
        action=AuditAction.CREATE, actor=granter, object_type=KEY, object_id=str(grantee.pk),
        details={"event": "recipient_granted", "grantee": grantee.username, "reports": reports}, request=request,
    )  # fmt: skip


def recipient_removed(*, user: User) -> AuditEvent:
    return audit_record(
        action=AuditAction.DELETE, object_type=KEY, object_id=str(user.pk),
        details={"event": "recipient_removed", "user": user.username},
    )  # fmt: skip


def legacy_migrated(*, report: Report, recipients: int) -> AuditEvent:
    return audit_record(
        action=AuditAction.UPDATE,
        obj=report,
        details={"event": "legacy_key_migrated", "recipients": recipients},
    )


def identity_requested(*, request_row: IdentityRequest, request: HttpRequest | None = None) -> AuditEvent:
    return audit_record(
        action=AuditAction.CREATE, actor=request_row.requested_by, obj=request_row.report,
        details={"event": "identity_requested", "request": request_row.pk, "reason": request_row.reason},
        request=request,
    )  # fmt: skip


def identity_decided(*, request_row: IdentityRequest, request: HttpRequest | None = None) -> AuditEvent:
    return audit_record(
        action=AuditAction.UPDATE, actor=request_row.decided_by, obj=request_row.report,
        details={"event": f"identity_{request_row.status}", "request": request_row.pk, "note": request_row.decision_note},
        request=request,
    )  # fmt: skip


def identity_read(
    *, user: User, report: Report, request_id: int, request: HttpRequest | None = None
) -> AuditEvent:
    return audit_record(
        action=AuditAction.VIEW,
        actor=user,
        obj=report,
        details={"read": "identity", "request": request_id},
        request=request,
    )


def attachment_names_read(*, user: User, report: Report, request: HttpRequest | None = None) -> AuditEvent:
    return audit_record(
        action=AuditAction.VIEW, actor=user, obj=report, details={"read": "attachment_names"}, request=request
    )


def registered_identity_sealed(*, report: Report, by: User | None, recipients: int) -> AuditEvent:
    """A registering clerk sealed a named reporter's identity; the identity itself is not recorded."""
    return audit_record(
        action=AuditAction.CREATE,
        actor=by,
        obj=report,
        details={"event": "registered_identity_sealed", "case": report.case_id, "recipients": recipients},
    )
