"""Reads of the intake app: the reporter's view of their report, the staff lists, and the
audited readings of sealed identities and attachments."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, User
from lianqing.intake import crypto, events, storage
from lianqing.intake.access import scope_reports
from lianqing.intake.attachments import shown_in_browser
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import (
    Attachment,
    Channel,
    IdentityRequest,
    IdentityRequestStatus,
    Message,
    MessageDirection,
    Report,
)
from lianqing.intake.recipients import report_key_open

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


def report_staff_list(*, user: User, needs_review: bool = False) -> QuerySet[Report]:
    """Online reports the user sees (a registered letter's sealed identity is reached from its
    case), with unread reporter messages counted; `needs_review`: only those
    with a message written after closure that the 信访室 has not reviewed."""
    from_reporter = Q(messages__direction=MessageDirection.FROM_REPORTER)
    reports = (
        scope_reports(Report.objects.exclude(channel=Channel.REGISTERED), user)
        .select_related("org", "case")
        .annotate(
            attachment_count=Count("attachments", distinct=True),
            message_count=Count("messages", distinct=True),
            unread_count=Count(
                "messages", filter=from_reporter & Q(messages__staff_seen_at__isnull=True), distinct=True
            ),
            review_count=Count(
                "messages",
                filter=Q(messages__after_closure=True, messages__reviewed_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by("-received_at", "-pk")
    )
    return reports.filter(review_count__gt=0) if needs_review else reports


@dataclass(frozen=True)
class ReporterIdentityView:
    name: str
    id_number: str
    phone: str


def _report_private_key(
    *, report: Report, private_key: crypto.AnyPrivateKey, user: User
) -> crypto.AnyPrivateKey:
    if report.key_scheme == crypto.LEGACY_COMMISSION:
        raise IntakeError(_("这份举报仍由旧的机关密钥加密，请管理员运行 lianqing intake_keys migrate"))
    return crypto.report_private(
        report.key_scheme, report_key_open(report=report, private_key=private_key, user=user)
    )


def report_identity_read(
    *, report: Report, private_key: crypto.AnyPrivateKey, user: User, request: HttpRequest | None = None
) -> ReporterIdentityView | None:
    """Open a named reporter's identity: only with a custodian's approval; audited.
    None for an anonymous report or without an approved request."""
    if report.is_anonymous or report.identity_box is None:
        return None
    approval = identity_approval(report=report, user=user)
    if approval is None:
        return None
    report_private = _report_private_key(report=report, private_key=private_key, user=user)
    data = json.loads(
        crypto.unpad(
            crypto.unseal(
                report_private, bytes(report.identity_box), crypto.content_algorithm(report.key_scheme)
            )
        )
    )
    events.identity_read(user=user, report=report, request_id=approval.pk, request=request)
    return ReporterIdentityView(name=data["name"], id_number=data["id_number"], phone=data["phone"])


def identity_approval(*, report: Report, user: User) -> IdentityRequest | None:
    return report.identity_requests.filter(requested_by=user, status=IdentityRequestStatus.APPROVED).first()


def identity_requests_pending(*, user: User) -> QuerySet[IdentityRequest]:
    """Requests awaiting a custodian, in the reports the user sees (never the user's own)."""
    return (
        IdentityRequest.objects.filter(
            status=IdentityRequestStatus.PENDING, report__in=scope_reports(Report.objects.all(), user)
        )
        .exclude(requested_by=user)
        .select_related("report", "requested_by")
    )


@dataclass(frozen=True)
class AttachmentContent:
    name: str
    mime: str
    data: bytes


def _meta(report_private: crypto.AnyPrivateKey, attachment: Attachment) -> dict[str, str]:
    value: dict[str, str] = json.loads(
        crypto.unpad(crypto.unseal(report_private, bytes(attachment.meta_box), attachment.algorithm))
    )
    return value


def attachment_names(
    *,
    report: Report,
    attachments: list[Attachment],
    private_key: crypto.AnyPrivateKey,
    user: User,
    request: HttpRequest | None = None,
) -> dict[int, str]:
    """Original file names: sealed, since a name can give a reporter away. Audited."""
    if not attachments:
        return {}
    report_private = _report_private_key(report=report, private_key=private_key, user=user)
    names = {a.pk: _meta(report_private, a)["name"] for a in attachments}
    events.attachment_names_read(user=user, report=report, request=request)
    return names


def attachment_read(
    *,
    attachment: Attachment,
    private_key: crypto.AnyPrivateKey,
    user: User,
    request: HttpRequest | None = None,
) -> AttachmentContent:
    """Decrypt one attachment for a staff member; audited."""
    report_private = _report_private_key(report=attachment.report, private_key=private_key, user=user)
    meta = _meta(report_private, attachment)
    data = crypto.unseal(report_private, storage.stored_read(attachment.storage_name), attachment.algorithm)
    audit_record(
        action=AuditAction.VIEW,
        actor=user,
        obj=attachment,
        details={"read": "attachment", "report": attachment.report_id},
        request=request,
    )
    return AttachmentContent(name=meta["name"], mime=meta["mime"], data=data)


def attachment_shown(content: AttachmentContent) -> AttachmentContent:
    """What a staff member's browser can show: a HEIC photo, stored as the phone encoded it
    (metadata zeroed), is decoded and given as JPEG, in memory, after decryption."""
    return AttachmentContent(*shown_in_browser(content.name, content.mime, content.data))


def files_pending(attachments: QuerySet[Attachment] | Sequence[Attachment]) -> set[int]:
    """Ids of the attachments whose files still wait to be filed (a move that failed after commit;
    `intake_sweep` finishes it). Read from the disk, so the answer is the truth of the moment."""
    return {a.pk for a in attachments if storage.is_pending(a.storage_name)}


def reporter_message_texts(*, case_id: int) -> list[str]:
    """What the reporter wrote after filing (for the first reading of the case), oldest first."""
    return list(
        Message.objects.filter(report__case_id=case_id, direction=MessageDirection.FROM_REPORTER)
        .order_by("created_at", "pk")
        .values_list("body", flat=True)
    )
