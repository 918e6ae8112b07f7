"""Reads of the intake app: the reporter's view of their report, the staff lists, and the
audited readings of sealed identities and attachments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from nacl.public import PrivateKey

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, User
from lianqing.intake import keys, storage
from lianqing.intake.access import scope_reports
from lianqing.intake.models import Attachment, Message, Report

RECEIVED = "已收到"


@dataclass(frozen=True)
class PublicStatus:
    label: str  # 已收到 / 已受理 / 办理中 / 已办结
    reply: str  # the handler's public reply, empty until there is one


def report_public_status(report: Report) -> PublicStatus:
    """What the reporter sees: the case's public status once the case exists."""
    case = getattr(report, "case", None)
    if case is None:
        return PublicStatus(RECEIVED, "")
    from lianqing.cases.selectors import case_public_status

    label, reply = case_public_status(case)
    return PublicStatus(str(label), str(reply or ""))


def report_messages(report: Report) -> QuerySet[Message]:
    return (
        report.messages.select_related("author")
        .annotate(attachment_count=Count("attachments"))
        .order_by("created_at", "pk")
    )


def report_staff_list(*, user: User) -> QuerySet[Report]:
    return (
        scope_reports(Report.objects.all(), user)
        .select_related("org", "case")
        .annotate(
            attachment_count=Count("attachments", distinct=True),
            message_count=Count("messages", distinct=True),
        )
        .order_by("-received_at", "-pk")
    )


@dataclass(frozen=True)
class ReporterIdentityView:
    name: str
    id_number: str
    phone: str


def report_identity_read(
    *, report: Report, private_key: PrivateKey, user: User, request: HttpRequest | None = None
) -> ReporterIdentityView | None:
    """Open a named reporter's identity; audited. None for an anonymous report."""
    if report.is_anonymous or report.identity_box is None:
        return None
    data = keys.unseal_json(private_key, bytes(report.identity_box))
    audit_record(
        action=AuditAction.VIEW, actor=user, obj=report, details={"read": "identity"}, request=request
    )
    return ReporterIdentityView(name=data["name"], id_number=data["id_number"], phone=data["phone"])


@dataclass(frozen=True)
class AttachmentContent:
    name: str
    mime: str
    data: bytes


def attachment_names(
    *,
    report: Report,
    attachments: list[Attachment],
    private_key: PrivateKey,
    user: User,
    request: HttpRequest | None = None,
) -> dict[int, str]:
    """Original file names: sealed, since a name can give a reporter away. Audited."""
    if not attachments:
        return {}
    names = {a.pk: keys.unseal_json(private_key, bytes(a.meta_box))["name"] for a in attachments}
    audit_record(
        action=AuditAction.VIEW, actor=user, obj=report, details={"read": "attachment_names"}, request=request
    )
    return names


def attachment_read(
    *, attachment: Attachment, private_key: PrivateKey, user: User, request: HttpRequest | None = None
) -> AttachmentContent:
    """Decrypt one attachment for a staff member; audited."""
    meta = keys.unseal_json(private_key, bytes(attachment.meta_box))
    data = keys.unseal(private_key, storage.stored_read(attachment.storage_name))
    audit_record(
        action=AuditAction.VIEW,
        actor=user,
        obj=attachment,
        details={"read": "attachment", "report": attachment.report_id},
        request=request,
    )
    return AttachmentContent(name=meta["name"], mime=meta["mime"], data=data)
