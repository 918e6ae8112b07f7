"""The cases card of the staff 工作台: what is on the user's desk, each count a link to its list."""

from __future__ import annotations

from typing import Any

from django import template

from lianqing.core.models import User

from ..selectors import case_workload

register = template.Library()


@register.inclusion_tag("cases/_workbench.html", takes_context=True)
def case_workbench(context: dict[str, Any]) -> dict[str, Any]:
    user = context.get("user")
    return {"workload": case_workload(user=user) if isinstance(user, User) else []}
