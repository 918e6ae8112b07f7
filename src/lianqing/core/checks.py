"""Checks Django runs before any command or server starts (`manage.py check` and every command
that needs the project): in production, refuse to start without a usable audit key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.translation import gettext as _

from lianqing.core.audit_key import audit_key_problem


@register(Tags.security)
def audit_key_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Demo and test mode create the key on first use; production needs it made by the operator
    (`lianqing audit_key init`) and readable by the service's user alone (0600)."""
    if settings.MODE != "production":
        return []
    problem = audit_key_problem()
    return [Error(problem, id="lianqing.E001")] if problem else []


@register(Tags.security)
def superuser_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """三员分立: in production no account carries Django's superuser flag (it would hold every right
    of the three administrators at once). Demo and test mode may."""
    if settings.MODE != "production":
        return []
    from django.db import DatabaseError

    from lianqing.core.models import User

    try:
        names = sorted(User.objects.filter(is_superuser=True).values_list("username", flat=True)[:20])
    except DatabaseError:  # not migrated yet: `lianqing migrate` says so itself
        return []
    if not names:
        return []
    return [
        Error(
            _(
                "生产模式不使用超级用户，以下账号带有超级用户标志：%(names)s。请运行 "
                "lianqing superuser_retire 去掉该标志（账号保留其角色），并按三员分立分别设置系统管理员、"
                "安全保密管理员和安全审计员，命令为 lianqing createadmin --role …"
            )
            % {"names": "、".join(names)},
            id="lianqing.E002",
        )
    ]
