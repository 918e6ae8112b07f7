"""Reads of the core app."""

from __future__ import annotations

from django.core.paginator import Page
from django.db.models import QuerySet

from lianqing.core.access import scope_to_jurisdiction
from lianqing.core.audit_pagination import ChainPaginator
from lianqing.core.models import AuditEvent, Notification, Org, User
from lianqing.core.pagination import CappedPaginator  # the capped count the inboxes use
from lianqing.core.roles import Role


def org_list(*, user: User) -> QuerySet[Org]:
    return scope_to_jurisdiction(Org.objects.select_related("parent"), user, org_field="")


def org_staff_list(*, org: Org) -> QuerySet[User]:
    return User.objects.filter(org=org, is_active=True).prefetch_related("groups").order_by("username")


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def org_names_under(*, path: str) -> list[str]:
    """Names of the orgs of a subtree (the vocabulary a reader of reports needs)."""
    return sorted(set(Org.objects.filter(path__startswith=path).values_list("name", flat=True)))


def audit_event_list(*, user: User) -> QuerySet[AuditEvent]:
    """The audit rows this user may read (三员分立): the 安全审计员 reads every row; the 安全保密管理员
    reads what the auditors did (their reads and exports among it); nobody else reads any."""
    events = AuditEvent.objects.order_by("-seq")
    if user.has_role(Role.AUDITOR):
        return events
    if user.has_role(Role.SECURITY_ADMIN):
        # The ids themselves, not a subquery: the planner sees how few rows they name.
        auditors = list(User.objects.filter(groups__name=str(Role.AUDITOR)).values_list("pk", flat=True))
        return events.filter(actor__in=auditors)
    return events.none()


AUDIT_PAGE_ROWS = 50
AUDIT_COUNT_CAP = 10_000  # the security administrator's list: pages beyond 200 are not offered


def audit_event_page(*, user: User, number: str | int | None) -> Page:
    """One page of the rows this user may read, cheap at any log size (core.audit_pagination)."""
    if user.has_role(Role.AUDITOR):
        return ChainPaginator(AUDIT_PAGE_ROWS).get_page(number)
    # The count and the page's seqs come off the (actor, seq) index alone; then 50 rows are read.
    paginator = CappedPaginator(
        audit_event_list(user=user), AUDIT_PAGE_ROWS, cap=AUDIT_COUNT_CAP, ids_first=True, key="seq"
    )
    return paginator.get_page(number)


def may_read_audit(user: User) -> bool:
    return user.has_role(Role.AUDITOR, Role.SECURITY_ADMIN)
