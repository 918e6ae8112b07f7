"""Who may see and act on packages, scans and hits.

Leads are for 数据分析 and 领导, and for the 案管 of a commission (its own staff or an internal
department), who read them but do not decide. Within those roles the jurisdiction (core.access)
decides which packages, runs and hits a user sees, through their `org`. Missing and forbidden
objects raise the same 404.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lianqing.core.access import scope_to_jurisdiction
from lianqing.core.models import OrgKind, User
from lianqing.core.roles import Role
from lianqing.leads.models import DataPackage, Hit, ScanRun

DECIDING_ROLES = (Role.DATA_ANALYSIS, Role.LEADER)
COMMISSION_LEVEL = frozenset({OrgKind.COMMISSION, OrgKind.DEPARTMENT})


def may_see_leads(user: User | AnonymousUser) -> bool:
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if user.has_role(*DECIDING_ROLES):
        return True
    return user.has_role(Role.CASE_MANAGEMENT) and user.org is not None and user.org.kind in COMMISSION_LEVEL


def may_decide(user: User | AnonymousUser) -> bool:
    """Upload packages, start and cancel scans, exclude hits and turn them into leads."""
    return isinstance(user, User) and user.is_authenticated and user.has_role(*DECIDING_ROLES)


def _visible(queryset: QuerySet, user: User | AnonymousUser) -> QuerySet:
    if not may_see_leads(user):
        return queryset.none()
    return scope_to_jurisdiction(queryset, user, org_field="org")


def package_scope(user: User | AnonymousUser) -> QuerySet[DataPackage]:
    return _visible(DataPackage.objects.all(), user)


def run_scope(user: User | AnonymousUser) -> QuerySet[ScanRun]:
    return _visible(ScanRun.objects.all(), user)


def hit_scope(user: User | AnonymousUser) -> QuerySet[Hit]:
    return _visible(Hit.objects.all(), user)


def access_package_by_id(user: User | AnonymousUser, package_id: int) -> DataPackage:
    package = package_scope(user).select_related("org").filter(pk=package_id).first()
    if package is None:
        raise Http404(_("没有找到该数据包"))
    return package


def access_run_by_id(user: User | AnonymousUser, run_id: int) -> ScanRun:
    run = run_scope(user).select_related("package", "org").filter(pk=run_id).first()
    if run is None:
        raise Http404(_("没有找到该扫描"))
    return run


def access_hit_by_id(user: User | AnonymousUser, hit_id: int) -> Hit:
    hit = hit_scope(user).select_related("run__package", "org", "case").filter(pk=hit_id).first()
    if hit is None:
        raise Http404(_("没有找到该疑点"))
    return hit
