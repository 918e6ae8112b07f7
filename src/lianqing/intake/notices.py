"""Staff hear at once when a reporter writes: the case's handler and the 信访 staff of the
receiving commission get an in-app notice (through the core's notification service). A message
written after the case was closed reopens nothing; it is flagged for the 信访室 to review."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.cases.models import FINAL_STATUSES, Status
from lianqing.core.access import jurisdiction_root
from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, User
from lianqing.core.roles import Role
from lianqing.core.services import notifications_send
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import Message, MessageDirection, Report
from lianqing.intake.recipients import role_names_load

CLOSED_STATUSES = frozenset({*FINAL_STATUSES, Status.CONCLUDED})
FROM_REPORTER = Q(direction=MessageDirection.FROM_REPORTER)


def report_is_closed(report: Report) -> bool:
    case = report.case if report.case_id else None
    return case is not None and case.status in CLOSED_STATUSES


def petition_staff_for(report: Report) -> list[User]:
    """The 信访 staff (held explicitly) whose jurisdiction covers the receiving commission."""
    people = list(
        User.objects.filter(is_active=True, groups__name=str(Role.PETITION)).select_related("org__parent")
    )
    role_names_load(people)
    result = []
    for person in people:
        root = jurisdiction_root(person)
        if root is not None and report.org.path.startswith(root.path):
            result.append(person)
    return result


def reporter_message_notify(report: Report, message: Message) -> int:
    """Tell the handler and the 信访 staff (no content: a notice is not the place). Returns how many."""
    handler = report.case.handler if report.case_id else None  # type: ignore[union-attr]
    people = {p.pk: p for p in petition_staff_for(report)}
    if handler is not None:
        people[handler.pk] = handler
    if message.after_closure:
        title = _("已办结的网络举报 #%(pk)d 收到举报人新留言，请信访室复核") % {"pk": report.pk}
    else:
        title = _("举报人补充了材料或回复了留言（网络举报 #%(pk)d）") % {"pk": report.pk}
    link = reverse("intake:staff_report_detail", args=[report.pk])
    return notifications_send(
        recipients=people.values(), title=title, link=link, dedupe_key=f"intake-message-{message.pk}"
    )


def messages_mark_seen(*, report: Report) -> int:
    """A staff member opened the report: its reporter messages are no longer unread."""
    return report.messages.filter(FROM_REPORTER, staff_seen_at__isnull=True).update(
        staff_seen_at=timezone.now()
    )


@transaction.atomic
def after_closure_review(*, report: Report, by: User, request: HttpRequest | None = None) -> int:
    """The 信访室 has reviewed the messages that arrived after closure (and decided, elsewhere,
    whether to reopen or register anew)."""
    if str(Role.PETITION) not in by.role_names():
        raise IntakeError(_("只有信访室可以复核结案后的留言"))
    count = report.messages.filter(after_closure=True, reviewed_at__isnull=True).update(
        reviewed_by=by, reviewed_at=timezone.now()
    )
    audit_record(
        action=AuditAction.UPDATE, actor=by, obj=report,
        details={"event": "after_closure_reviewed", "messages": count}, request=request,
    )  # fmt: skip
    return count
