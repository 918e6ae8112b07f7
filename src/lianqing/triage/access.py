"""Who may see and act on triage suggestions, the model page and 舆情 imports.

The suggestion panels follow the case: whoever may see the case (cases.access) sees its
reading, and handlers' roles may accept or correct it. 舆情 belongs to the commission: analysts,
leaders and case management of the user's commission see its imports and events; missing and
forbidden events raise the same 404.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from lianqing.cases.access import commission_of
from lianqing.core.models import User
from lianqing.core.roles import Role

from .models import PostEvent, PostImport

DECIDING_ROLES = (Role.PETITION, Role.CASE_MANAGEMENT, Role.SUPERVISION, Role.INVESTIGATION, Role.LEADER)
MODEL_ROLES = (Role.ADMIN, Role.LEADER, Role.CASE_MANAGEMENT, Role.PETITION)
RETRAIN_ROLES = (Role.ADMIN, Role.LEADER)
POSTS_ROLES = (Role.DATA_ANALYSIS, Role.LEADER, Role.CASE_MANAGEMENT)


def _active(user: User | AnonymousUser) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


def may_decide(user: User | AnonymousUser) -> bool:
    staff = _active(user)
    return staff is not None and staff.has_role(*DECIDING_ROLES)


def may_see_model(user: User | AnonymousUser) -> bool:
    staff = _active(user)
    return staff is not None and staff.has_role(*MODEL_ROLES)


def may_retrain(user: User | AnonymousUser) -> bool:
    staff = _active(user)
    return staff is not None and staff.has_role(*RETRAIN_ROLES)


def may_work_on_posts(user: User | AnonymousUser) -> bool:
    staff = _active(user)
    return staff is not None and staff.org is not None and staff.has_role(*POSTS_ROLES)


def post_imports_scoped(user: User | AnonymousUser) -> QuerySet[PostImport]:
    staff = _active(user)
    if staff is None or staff.org is None or not may_work_on_posts(staff):
        return PostImport.objects.none()
    return PostImport.objects.filter(org__path__startswith=commission_of(staff.org).path)


def post_events_scoped(user: User | AnonymousUser) -> QuerySet[PostEvent]:
    staff = _active(user)
    if staff is None or staff.org is None or not may_work_on_posts(staff):
        return PostEvent.objects.none()
    return PostEvent.objects.filter(org__path__startswith=commission_of(staff.org).path)


def access_post_event_by_id(user: User | AnonymousUser, event_id: int) -> PostEvent:
    event = post_events_scoped(user).select_related("org", "case", "decided_by").filter(pk=event_id).first()
    if event is None:
        raise Http404("没有找到")
    return event
