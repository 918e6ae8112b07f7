"""Jurisdiction: the one place that decides which objects a user may see.

A user sees objects of their org's subtree. Leaders, 案管 and 信访 of the commission (or of one
of its internal departments) see the commission's whole subtree. The superuser flag widens
nothing: the system administrator manages accounts and settings, never report or case content.
Missing and forbidden objects raise the same 404, so a URL never tells which one it was.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lianqing.core.models import Org, OrgKind, User
from lianqing.core.roles import COMMISSION_WIDE_ROLES

M = TypeVar("M", bound=Model)


def commission_of(org: Org) -> Org:
    """The commission an org belongs to (itself for a commission or township commission)."""
    node: Org | None = org
    while node is not None and node.kind == OrgKind.DEPARTMENT:
        node = node.parent
    return node or org


def jurisdiction_root(user: User | AnonymousUser) -> Org | None:
    """The org whose subtree the user sees, or None for a user who sees nothing (or everything)."""
    if not user.is_authenticated or user.org is None:
        return None
    org = user.org
    if user.has_role(*COMMISSION_WIDE_ROLES) and org.kind in {OrgKind.COMMISSION, OrgKind.DEPARTMENT}:
        commission: Org | None = org
        while commission is not None and commission.kind != OrgKind.COMMISSION:
            commission = commission.parent
        return commission or org
    return org


def jurisdiction_path(user: User | AnonymousUser) -> str | None:
    """Path prefix of what the user sees, None for nothing."""
    root = jurisdiction_root(user)
    return root.path if root else None


def scope_to_jurisdiction(
    queryset: QuerySet[M], user: User | AnonymousUser, *, org_field: str
) -> QuerySet[M]:
    """Restrict `queryset` to objects whose `org_field` lies in the user's jurisdiction.

    `org_field=""` scopes a queryset of orgs themselves.
    """
    path = jurisdiction_path(user)
    if path is None:
        return queryset.none()
    lookup = f"{org_field}__path__startswith" if org_field else "path__startswith"
    return queryset.filter(**{lookup: path})


def org_in_jurisdiction(org: Org, user: User | AnonymousUser) -> bool:
    path = jurisdiction_path(user)
    return path is not None and org.path.startswith(path)


def access_org_by_id(user: User | AnonymousUser, org_id: int) -> Org:
    org = scope_to_jurisdiction(Org.objects.all(), user, org_field="").filter(pk=org_id).first()
    if org is None:
        raise Http404(_("没有找到该机构"))
    return org
