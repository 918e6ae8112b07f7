"""Background tasks of the core app (run by `lianqing worker`)."""

from __future__ import annotations

from django_tasks import task

from lianqing.core.audit import audit_verify
from lianqing.core.audit_heads import audit_head_export
from lianqing.core.models import User
from lianqing.core.roles import Role
from lianqing.core.services import notification_send


def _tell_admins_if_broken() -> tuple[bool, dict[str, object]]:
    result = audit_verify()
    if not result.ok:
        admins = User.objects.filter(is_active=True, groups__name=str(Role.ADMIN)).distinct()
        for admin in admins:
            notification_send(
                recipient=admin,
                title="审计日志校验失败",
                body=f"第 {result.broken_seq} 条：{result.reason}",
                link="/staff/audit/",
                dedupe_key=f"audit-broken-{result.broken_seq}",
            )
    return result.ok, {"ok": result.ok, "rows_checked": result.rows_checked, "broken_seq": result.broken_seq}


@task()
def audit_verify_task() -> dict[str, object]:
    """Check the audit chain; if it is broken, tell every system administrator once per break."""
    return _tell_admins_if_broken()[1]


@task()
def audit_head_export_task() -> dict[str, object]:
    """Verify, then export the signed head (never the head of a chain that does not verify)."""
    ok, summary = _tell_admins_if_broken()
    exported = audit_head_export() if ok else None
    return {**summary, "exported": exported.name if exported else None}
