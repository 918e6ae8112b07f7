"""Who may see the integrity picture and who may act on it.

The index, the warnings and the cockpit are of the user's commission (cases.access.commission_of,
as for the registry): a department of the commission sees the whole commission, a township 纪委
its own subtree. Missing and forbidden warnings raise the same 404. Cadre names are shown to
viewers of 秘密 clearance and above; others read them masked (王**).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lianqing.cases.access import commission_of
from lianqing.core.models import Clearance, User
from lianqing.core.roles import Role

from .models import IndexScore, Warning

VIEWING_ROLES = (Role.LEADER, Role.SUPERVISION, Role.CASE_MANAGEMENT)
DISPOSING_ROLES = (Role.LEADER, Role.SUPERVISION)
SETTINGS_ROLES = (Role.LEADER,)
MAP_ROLES = (Role.LEADER, Role.ADMIN)
NAMES_CLEARANCE = Clearance.SECRET


def _active(user: User | AnonymousUser) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


def may_view_integrity(user: User | AnonymousUser) -> bool:
    staff = _active(user)
    return staff is not None and staff.org is not None and staff.has_role(*VIEWING_ROLES)


def may_dispose(user: User | AnonymousUser) -> bool:
    staff = _active(user)
    return staff is not None and may_view_integrity(staff) and staff.has_role(*DISPOSING_ROLES)


def may_edit_settings(user: User | AnonymousUser) -> bool:
    """The index configuration is the installation's: leaders of its top commission edit it."""
    staff = _active(user)
    return (
        staff is not None
        and staff.org is not None
        and may_view_integrity(staff)
        and staff.has_role(*SETTINGS_ROLES)
        and commission_of(staff.org).parent_id is None
    )


def may_upload_map(user: User | AnonymousUser) -> bool:
    staff = _active(user)
    return staff is not None and staff.org is not None and staff.has_role(*MAP_ROLES)


def may_read_names(user: User | AnonymousUser) -> bool:
    staff = _active(user)
    return staff is not None and staff.clearance >= NAMES_CLEARANCE


def scope_path(user: User | AnonymousUser) -> str | None:
    staff = _active(user)
    if staff is None or staff.org is None or not may_view_integrity(staff):
        return None
    return commission_of(staff.org).path


def map_org(user: User):  # type: ignore[no-untyped-def]
    """The org whose district map the user sees or uploads (their commission)."""
    return commission_of(user.org) if user.org is not None else None


def score_scope(user: User | AnonymousUser) -> QuerySet[IndexScore]:
    path = scope_path(user)
    if path is None:
        return IndexScore.objects.none()
    return IndexScore.objects.filter(org__path__startswith=path)


def warning_scope(user: User | AnonymousUser) -> QuerySet[Warning]:
    path = scope_path(user)
    if path is None:
        return Warning.objects.none()
    return Warning.objects.filter(org__path__startswith=path)


def access_warning_by_id(user: User | AnonymousUser, warning_id: int) -> Warning:
    warning = warning_scope(user).select_related("owner", "org").filter(pk=warning_id).first()
    if warning is None:
        raise Http404(_("预警不存在或无权查看"))
    return warning


def access_score_by_id(user: User | AnonymousUser, score_id: int) -> IndexScore:
    score = score_scope(user).filter(pk=score_id).first()
    if score is None:
        raise Http404(_("指数记录不存在或无权查看"))
    return score


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""
