"""The identity custodian: reading a named reporter's identity takes a reason and the approval of
a second person, a 领导 of the receiving commission. Requests, decisions and readings are audited;
the identity is never part of a list or an export (they do not select `identity_box`)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.models import User
from lianqing.core.roles import Role
from lianqing.core.services import notification_send
from lianqing.intake import events
from lianqing.intake.access import may_unlock, scope_reports
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import IdentityRequest, IdentityRequestStatus, Report
from lianqing.intake.recipients import is_recipient_for

MIN_REASON_CHARS = 2


def may_decide(user: User, report: Report) -> bool:
    """A custodian: a 领导 (held explicitly) whose jurisdiction covers the report."""
    return str(Role.LEADER) in user.role_names() and is_recipient_for(user, report.org)


def custodians_for(report: Report, *, besides: User) -> list[User]:
    leaders = User.objects.filter(is_active=True, groups__name=str(Role.LEADER)).exclude(pk=besides.pk)
    return [u for u in leaders.select_related("org") if may_decide(u, report)]


@transaction.atomic
def identity_request_create(
    *, report: Report, user: User, reason: str, request: HttpRequest | None = None
) -> IdentityRequest:
    if not may_unlock(user) or not scope_reports(Report.objects.filter(pk=report.pk), user).exists():
        raise IntakeError(_("您没有查看举报人信息的权限"))
    if report.is_anonymous:
        raise IntakeError(_("匿名举报没有举报人身份信息"))
    reason = reason.strip()
    if len(reason) < MIN_REASON_CHARS:
        raise IntakeError(
            _("请写明查看举报人身份的理由（至少 %(n)d 个字）") % {"n": MIN_REASON_CHARS}, field="reason"
        )
    open_request = report.identity_requests.filter(
        requested_by=user, status__in=[IdentityRequestStatus.PENDING, IdentityRequestStatus.APPROVED]
    ).first()
    if open_request is not None:
        return open_request
    row = IdentityRequest.objects.create(
        report=report, requested_by=user, reason=reason, created_at=timezone.now()
    )
    events.identity_requested(request_row=row, request=request)
    for custodian in custodians_for(report, besides=user):
        notification_send(
            recipient=custodian,
            title=_("有查看举报人身份的申请待您审批（网络举报 #%(pk)d）") % {"pk": report.pk},
            link=reverse("intake:identity_requests"),
            dedupe_key=f"intake-identity-request-{row.pk}",
        )
    return row


@transaction.atomic
def identity_request_decide(
    *, row: IdentityRequest, by: User, approve: bool, note: str = "", request: HttpRequest | None = None
) -> IdentityRequest:
    row = IdentityRequest.objects.select_for_update().select_related("report__org").get(pk=row.pk)
    if row.requested_by_id == by.pk:
        raise IntakeError(_("不能审批自己的申请，须由另一位领导审批"))
    if not may_decide(by, row.report):
        raise IntakeError(_("只有本机关的领导可以审批查看举报人身份的申请"))
    if row.status != IdentityRequestStatus.PENDING:
        raise IntakeError(_("这项申请已经审批过了"))
    row.status = IdentityRequestStatus.APPROVED if approve else IdentityRequestStatus.REFUSED
    row.decided_by = by
    row.decided_at = timezone.now()
    row.decision_note = note.strip()
    row.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    events.identity_decided(request_row=row, request=request)
    notification_send(
        recipient=row.requested_by,
        title=(_("您查看举报人身份的申请已获同意") if approve else _("您查看举报人身份的申请未获同意"))
        + f"（#{row.report_id}）",
        link=reverse("intake:staff_report_detail", args=[row.report_id]),
        dedupe_key=f"intake-identity-decision-{row.pk}",
    )
    return row
