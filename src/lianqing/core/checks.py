"""Checks Django runs before any command or server starts (`manage.py check` and every command
that needs the project): in production, refuse to start without a usable audit key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from lianqing.core.audit_key import audit_key_problem


@register(Tags.security)
def audit_key_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Demo and test mode create the key on first use; production needs it made by the operator
    (`lianqing audit_key init`) and readable by the service's user alone (0600)."""
    if settings.MODE != "production":
        return []
    problem = audit_key_problem()
    return [Error(problem, id="lianqing.E001")] if problem else []
