"""Who on the staff side may see reports and who may open reporter identities.

Reports belong to the receiving commission and are scoped by the core's jurisdiction
(`scope_to_jurisdiction`; the 信访室's petition staff see their whole commission there).
Opening identities and attachments takes the 信访 or 领导 role explicitly (an administrator's
superuser flag does not grant it) in an org whose reports the user sees.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lianqing.core.access import scope_to_jurisdiction
from lianqing.core.models import User
from lianqing.core.roles import Role
from lianqing.intake.models import Report

STAFF_ROLES = (Role.PETITION, Role.CASE_MANAGEMENT, Role.LEADER)
UNLOCK_ROLES = frozenset({str(Role.PETITION), str(Role.LEADER)})


def may_see_reports(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_role(*STAFF_ROLES)


def may_unlock(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and bool(user.role_names() & UNLOCK_ROLES)  # type: ignore[union-attr]


def scope_reports(queryset: QuerySet[Report], user: User | AnonymousUser) -> QuerySet[Report]:
    if not may_see_reports(user):
        return queryset.none()
    return scope_to_jurisdiction(queryset, user, org_field="org")


def access_report_by_id(user: User | AnonymousUser, report_id: int) -> Report:
    report = scope_reports(Report.objects.select_related("org", "case"), user).filter(pk=report_id).first()
    if report is None:
        raise Http404(_("没有找到该举报"))
    return report
