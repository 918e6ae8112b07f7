"""Who on the staff side may see reports and who may open reporter identities.

Reports belong to the receiving commission. Its jurisdiction is the core's
(`scope_to_jurisdiction`), with one addition: the 信访室 (a department of the commission)
receives reports for the whole commission, so its petition staff see the commission's reports.
Opening identities and attachments takes the 信访 or 领导 role explicitly (an administrator's
superuser flag does not grant it) in an org whose reports the user sees.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from lianqing.core.access import scope_to_jurisdiction
from lianqing.core.models import Org, OrgKind, User
from lianqing.core.roles import Role
from lianqing.intake.models import Report

STAFF_ROLES = (Role.PETITION, Role.CASE_MANAGEMENT, Role.LEADER)
UNLOCK_ROLES = frozenset({str(Role.PETITION), str(Role.LEADER)})


def _petition_commission(user: User) -> Org | None:
    """The commission a petition officer of one of its departments receives reports for."""
    org = user.org
    if org is None or not user.has_role(Role.PETITION) or org.kind != OrgKind.DEPARTMENT:
        return None
    parent = org.parent
    return parent if parent is not None and parent.kind == OrgKind.COMMISSION else None


def may_see_reports(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_role(*STAFF_ROLES)


def may_unlock(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and bool(user.role_names() & UNLOCK_ROLES)  # type: ignore[union-attr]


def scope_reports(queryset: QuerySet[Report], user: User | AnonymousUser) -> QuerySet[Report]:
    if not may_see_reports(user):
        return queryset.none()
    commission = _petition_commission(user)  # type: ignore[arg-type]
    if commission is not None:
        return queryset.filter(org__path__startswith=commission.path)
    return scope_to_jurisdiction(queryset, user, org_field="org")


def access_report_by_id(user: User | AnonymousUser, report_id: int) -> Report:
    report = scope_reports(Report.objects.select_related("org", "case"), user).filter(pk=report_id).first()
    if report is None:
        raise Http404("没有找到该举报 (no such report)")
    return report
