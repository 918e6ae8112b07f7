"""Who may open which 廉政档案, and who may act on links and 意见回复.

Cadre and unit files are sensitive: a user needs the permission 查阅廉政档案 (dossiers.view_dossier,
granted to roles by migration and editable in the admin), and then sees the files of their
jurisdiction only (core.access, through the file's `org`). Missing and forbidden files raise the
same 404. Every opening is audited with a reason the user typed (views.opened_with_reason).

The jurisdiction of files is the user's commission (cases.access.commission_of): a department of
the commission (党风政风监督室, 审查调查室 …) reads the commission's whole registry, a township
纪委 or a 派驻组 its own subtree. The permission, not the department, is what narrows it.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from lianqing.cases.access import commission_of
from lianqing.core.models import User
from lianqing.core.roles import Role

from .models import Cadre, OpinionRequest, RegistryImport, Unit

VIEW_PERMISSION = "dossiers.view_dossier"
OPINION_PERMISSION = "dossiers.reply_opinion"
# Roles that hold the permissions by default (migration 0002); the admin may grant others.
VIEWING_ROLES = (Role.LEADER, Role.SUPERVISION, Role.CASE_MANAGEMENT, Role.INVESTIGATION)
OPINION_ROLES = (Role.LEADER, Role.SUPERVISION)
LINKING_ROLES = (Role.PETITION, Role.CASE_MANAGEMENT, Role.SUPERVISION, Role.INVESTIGATION, Role.LEADER)


def _active(user: User | AnonymousUser) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


def may_view_dossiers(user: User | AnonymousUser) -> bool:
    staff = _active(user)
    return staff is not None and staff.has_perm(VIEW_PERMISSION)


def may_work_on_opinions(user: User | AnonymousUser) -> bool:
    staff = _active(user)
    return staff is not None and staff.has_perm(OPINION_PERMISSION) and may_view_dossiers(staff)


def may_approve_opinions(user: User | AnonymousUser) -> bool:
    staff = _active(user)
    return staff is not None and may_work_on_opinions(staff) and staff.has_role(Role.LEADER)


def may_link(user: User | AnonymousUser) -> bool:
    """Confirm or reject a suggested cadre on a case the user can see."""
    staff = _active(user)
    return staff is not None and staff.has_role(*LINKING_ROLES)


def _scoped(queryset: QuerySet, user: User | AnonymousUser) -> QuerySet:
    staff = _active(user)
    if staff is None or not may_view_dossiers(staff):
        return queryset.none()
    if staff.is_superuser:
        return queryset
    if staff.org is None:
        return queryset.none()
    return queryset.filter(org__path__startswith=commission_of(staff.org).path)


def cadre_scope(user: User | AnonymousUser) -> QuerySet[Cadre]:
    return _scoped(Cadre.objects.all(), user)


def unit_scope(user: User | AnonymousUser) -> QuerySet[Unit]:
    return _scoped(Unit.objects.all(), user)


def opinion_scope(user: User | AnonymousUser) -> QuerySet[OpinionRequest]:
    if not may_work_on_opinions(user):
        return OpinionRequest.objects.none()
    return _scoped(OpinionRequest.objects.all(), user)


def access_cadre_by_id(user: User | AnonymousUser, cadre_id: int) -> Cadre:
    cadre = cadre_scope(user).select_related("unit", "org").filter(pk=cadre_id).first()
    if cadre is None:
        raise Http404("没有找到该干部档案")
    return cadre


def access_unit_by_id(user: User | AnonymousUser, unit_id: int) -> Unit:
    unit = unit_scope(user).select_related("org", "tree_org").filter(pk=unit_id).first()
    if unit is None:
        raise Http404("没有找到该单位档案")
    return unit


def import_scope(user: User | AnonymousUser) -> QuerySet[RegistryImport]:
    return _scoped(RegistryImport.objects.all(), user)


def access_opinion_by_id(user: User | AnonymousUser, request_id: int) -> OpinionRequest:
    opinion = opinion_scope(user).select_related("org").filter(pk=request_id).first()
    if opinion is None:
        raise Http404("没有找到该意见回复")
    return opinion
