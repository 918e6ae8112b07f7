"""三员分立: the system administrator, the security administrator and the auditor.

- 系统管理员 manages accounts, the org tree and the settings (time limits, opinion settings) in
  the admin site; never case or report content, never roles, clearances or the audit log.
- 安全保密管理员 grants and removes roles (each grant still confirmed by a 领导, core.grants),
  sets clearances and the security settings (intake retention), and reads what the auditors did.
- 安全审计员 reads and exports the audit log and changes nothing.

No one account may hold two of them. `three_admins_conflict` is the rule; core.grants refuses a
request or confirmation that would break it, and `membership_guard` (connected to the user–group
table in CoreConfig.ready) refuses the membership itself on every path that adds a group, the
admin site, the shell and bulk scripts included.

Rights in the admin site are Django model permissions carried by the role's group
(`ROLE_PERMISSIONS`, set by `role_permissions_ensure` after every migrate). The superuser flag is
not used in production (system check lianqing.E002).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lianqing.core.roles import ADMIN_SITE_ROLES, THREE_ADMINS, Role

# "app_label.codename" per role; the admin site shows each role only these models.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.ADMIN: (
        "core.add_user",
        "core.change_user",
        "core.view_user",
        "core.add_org",
        "core.change_org",
        "core.view_org",
        "core.delete_org",
        "core.view_rolegrantrequest",
        "auth.view_group",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "cases.view_timelimits",
        "cases.change_timelimits",
        "dossiers.view_opinionsettings",
        "dossiers.change_opinionsettings",
    ),
    Role.SECURITY_ADMIN: (
        "core.view_user",
        "core.change_user",  # only roles and clearance: UserAdmin makes the rest read-only
        "core.view_rolegrantrequest",
        "auth.view_group",
        "intake.view_retentionpolicy",
        "intake.change_retentionpolicy",
    ),
    Role.AUDITOR: ("core.view_auditevent",),
}

# The fields of the user form that belong to the security administrator, not the system one.
SECURITY_FIELDS = ("groups", "clearance")
# Flags that would bypass the roles: nobody sets them in the admin site (the superuser flag is
# refused in production; rights come from role groups only).
LOCKED_FIELDS = ("is_superuser", "is_staff", "user_permissions")


class ThreeAdminsError(ValidationError):
    """An account would hold two of the three administrator roles."""


def three_admins_conflict(held: Iterable[str], adding: Iterable[str]) -> str | None:
    """The message refusing `adding` to an account that holds `held`, or None when allowed."""
    held_admins = {Role(name) for name in held if name in THREE_ADMINS}
    adding_admins = {Role(name) for name in adding if name in THREE_ADMINS}
    together = held_admins | adding_admins
    if len(together) < 2:
        return None
    names = "、".join(str(role) for role in Role if role in together)
    return _(
        "三员分立：系统管理员、安全保密管理员和安全审计员不能由同一账号兼任（此账号将同时是%(roles)s）"
    ) % {"roles": names}


def membership_guard(
    sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """Refuse, before anything is written, a user–group membership that breaks 三员分立."""
    if action != "pre_add" or not pk_set:
        return
    from django.contrib.auth.models import Group

    from lianqing.core.models import User

    if not reverse:  # user.groups.add(groups…)
        adding = set(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        problem = three_admins_conflict(instance.groups.values_list("name", flat=True), adding)
        if problem:
            raise ThreeAdminsError(problem, code="three_admins")
        return
    if instance.name not in THREE_ADMINS:  # group.user_set.add(users…)
        return
    for user in User.objects.filter(pk__in=pk_set):
        problem = three_admins_conflict(user.groups.values_list("name", flat=True), {instance.name})
        if problem:
            raise ThreeAdminsError(f"{user.username}：{problem}", code="three_admins")


def role_permissions_ensure(**kwargs: Any) -> None:
    """Give each administrator role's group exactly its model permissions (after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, wanted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=str(role))
        permissions = []
        for dotted in wanted:
            app_label, codename = dotted.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is not None:  # an app not installed, or not migrated yet
                permissions.append(found)
        if set(group.permissions.all()) != set(permissions):
            group.permissions.set(permissions)


def admin_site_allows(request: HttpRequest) -> bool:
    """The admin site opens to the system and security administrators (by role, not by a flag)."""
    user = request.user
    if not user.is_active:
        return False
    if user.is_superuser or user.is_staff:  # test mode; production refuses superusers (E002)
        return True
    return bool(user.has_role(*ADMIN_SITE_ROLES))  # type: ignore[union-attr]


def superusers_retire(*, by: Any) -> list[str]:
    """Clear the superuser and staff flags of every account; one audit row per account."""
    from django.db import transaction

    from lianqing.core.audit import audit_record
    from lianqing.core.models import AuditAction, User

    names = []
    with transaction.atomic():
        for user in User.objects.select_for_update().filter(is_superuser=True).order_by("username"):
            User.objects.filter(pk=user.pk).update(is_superuser=False, is_staff=False)
            audit_record(
                action=AuditAction.UPDATE,
                actor=by,
                obj=user,
                details={"step": "superuser_retired", "user": user.username},
            )
            names.append(user.username)
    return names
