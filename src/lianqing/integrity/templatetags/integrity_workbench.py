"""The 工作台 beyond cases: the 领导驾驶舱 for leaders, and every role's other to-dos with counts
(疑点 to decide, reporters' messages to read, grants to confirm, warnings to dispose of), so that
no one's home page is empty. Each count comes from its app's selectors and links to its list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.models import User
from lianqing.core.roles import Role

from ..access import may_dispose, may_view_integrity
from ..models import Warning, WarningStatus

register = template.Library()


def _todos(user: User) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if may_dispose(user):
        from ..access import warning_scope

        open_warnings = warning_scope(user).exclude(status=WarningStatus.CLOSED)
        items.append(
            {"key": "warnings-mine", "label": _("我负责的未销号预警"), "urgent": True,
             "count": open_warnings.filter(owner=user).count(),
             "url": reverse("integrity:warning_list")}
        )  # fmt: skip
        items.append(
            {"key": "warnings-unassigned", "label": _("未指定责任人的预警"), "urgent": False,
             "count": open_warnings.filter(owner__isnull=True, status=WarningStatus.WARNED).count(),
             "url": reverse("integrity:warning_list") + "?status=warned"}
        )  # fmt: skip
    elif Warning.objects.filter(owner=user).exclude(status=WarningStatus.CLOSED).exists():
        items.append(
            {"key": "warnings-mine", "label": _("我负责的未销号预警"), "urgent": True,
             "count": Warning.objects.filter(owner=user).exclude(status=WarningStatus.CLOSED).count(),
             "url": reverse("integrity:warning_list")}
        )  # fmt: skip
    if user.has_role(Role.DATA_ANALYSIS, Role.LEADER):
        from lianqing.leads.selectors import hit_pending_count

        items.append(
            {"key": "hits-pending", "label": _("待核查的疑点"), "urgent": False,
             "count": hit_pending_count(user=user), "url": reverse("leads:package_list")}
        )  # fmt: skip
    if user.has_role(Role.PETITION, Role.CASE_MANAGEMENT, Role.LEADER):
        from lianqing.intake.selectors import report_staff_list

        reports = report_staff_list(user=user)
        items.append(
            {"key": "reporter-messages", "label": _("举报人未读留言"), "urgent": False,
             "count": reports.filter(unread_count__gt=0).count(),  # type: ignore[misc]
             "url": reverse("intake:staff_report_list")}
        )  # fmt: skip
    if user.has_role(Role.LEADER):
        from lianqing.core.grants import grant_pending_list

        items.append(
            {"key": "grants-pending", "label": _("待确认的角色授权"), "urgent": False,
             "count": len(grant_pending_list(user=user)), "url": reverse("core:grants")}
        )  # fmt: skip
    if user.has_role(Role.ADMIN):
        from lianqing.core.health import health_problems

        items.append(
            {"key": "health", "label": _("系统运行问题"), "urgent": True,
             "count": len(health_problems()), "url": reverse("admin:index")}
        )  # fmt: skip
        items.append(
            {"key": "map", "label": _("辖区地图（驾驶舱用）"), "urgent": False, "count": "",
             "url": reverse("integrity:map_upload")}
        )  # fmt: skip
    if user.has_role(Role.AUDITOR, Role.SECURITY_ADMIN):
        from lianqing.core.selectors import audit_event_list

        since = timezone.now() - timedelta(days=1)
        items.append(
            {"key": "audit-today", "label": _("近 24 小时的审计记录"), "urgent": False,
             "count": audit_event_list(user=user).filter(created_at__gte=since).count(),
             "url": reverse("core:audit_list")}
        )  # fmt: skip
    return items


@register.inclusion_tag("integrity/_workbench.html", takes_context=True)
def integrity_workbench(context: dict[str, Any]) -> dict[str, Any]:
    user = context.get("user")
    if not isinstance(user, User):
        return {"todos": [], "cockpit": None}
    result: dict[str, Any] = {"todos": _todos(user), "cockpit": None}
    if user.has_role(Role.LEADER) and may_view_integrity(user):
        from ..views import cockpit_context

        result |= cockpit_context(user)
    return result
