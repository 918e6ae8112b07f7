"""Background tasks of the core app (run by `lianqing worker`)."""

from __future__ import annotations

from django_tasks import task

from lianqing.core.audit import audit_verify
from lianqing.core.models import User
from lianqing.core.roles import Role
from lianqing.core.services import notification_send


@task()
def audit_verify_task() -> dict[str, object]:
    """Check the audit chain; if it is broken, tell every system administrator once per break."""
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
    return {"ok": result.ok, "rows_checked": result.rows_checked, "broken_seq": result.broken_seq}
