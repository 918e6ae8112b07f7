"""Who may see which case. Every case query and every case page goes through here.

A user sees the cases whose org in charge lies in their jurisdiction (core.access), plus those
they handle themselves, if their role works on cases (the petition office's jurisdiction is its
whole commission: core.roles.COMMISSION_WIDE_ROLES). Nobody
sees cases above their clearance, and reports about the level above are shown only to the
commission's own petition office and leaders, never to anyone below (检举控告工作规则 第十四条).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lianqing.core.access import jurisdiction_path
from lianqing.core.models import Clearance, Org, OrgKind, User
from lianqing.core.roles import Role

from .models import Case, HigherLevel

COMMISSION_LEVEL_KINDS = frozenset({OrgKind.COMMISSION, OrgKind.DEPARTMENT})
# Roles that work on cases at all; data analysts and system administrators do not read them.
CASE_ROLES = (
    Role.PETITION,
    Role.CASE_MANAGEMENT,
    Role.SUPERVISION,
    Role.INVESTIGATION,
    Role.TRIAL,
    Role.LEADER,
)


def commission_of(org: Org) -> Org:
    """The commission an org belongs to (itself for a commission or township commission)."""
    node: Org | None = org
    while node is not None and node.kind == OrgKind.DEPARTMENT:
        node = node.parent
    return node or org


def case_scope_path(user: User | AnonymousUser) -> str | None:
    """Path prefix of the orgs in charge whose cases the user sees (None: nothing)."""
    return jurisdiction_path(user)


def may_see_higher_level(user: User) -> bool:
    return (
        user.org is not None
        and user.org.kind in COMMISSION_LEVEL_KINDS
        and user.has_role(Role.PETITION, Role.LEADER)
    )


def case_scope(queryset: QuerySet[Case], user: User | AnonymousUser) -> QuerySet[Case]:
    """The one definition of who sees which case (`case_visible_to` applies it to one case)."""
    if not isinstance(user, User) or not user.has_role(*CASE_ROLES):
        return queryset.none()
    path = case_scope_path(user)
    if path is not None and not Org.objects.exclude(path__startswith=path).exists():
        pass  # the user's jurisdiction is the whole org tree of this installation: no org filter
    else:
        visible = Q(handler=user)
        if path is not None:
            # The org ids themselves, not a join on the org path: the planner sees a plain column
            # filter and can walk the case indexes (a county has tens of orgs, a province thousands).
            org_ids = list(Org.objects.filter(path__startswith=path).values_list("pk", flat=True))
            visible |= Q(org_id__in=org_ids)
        queryset = queryset.filter(visible)
    if user.clearance < max(Clearance.values):
        queryset = queryset.filter(confidentiality__lte=user.clearance)
    if not may_see_higher_level(user):
        queryset = queryset.filter(higher_level=HigherLevel.NONE)
    return queryset


def case_visible_to(case: Case, user: User | AnonymousUser) -> bool:
    """The per-object check is the queryset's own definition applied to one row, so the inbox
    and the case page can never disagree about who sees a case."""
    return case_scope(Case.objects.filter(pk=case.pk), user).exists()


def access_case_by_id(user: User | AnonymousUser, case_id: int) -> Case:
    """The case, or the same 404 for a case that does not exist and one the user may not see."""
    case = (
        case_scope(Case.objects.select_related("org", "home_org", "handler"), user).filter(pk=case_id).first()
    )
    if case is None:
        raise Http404(_("没有找到该案件"))
    return case


def user_works_in(user: User, org: Org) -> bool:
    """The user's own org is `org` or inside it (a department handling its own cases)."""
    return user.org is not None and user.org.is_within(org)
