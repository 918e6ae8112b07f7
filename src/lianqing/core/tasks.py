"""Background tasks of the core app (run by `lianqing worker`)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from lianqing.core.audit import audit_verify
from lianqing.core.audit_heads import audit_head_export
from lianqing.core.models import User
from lianqing.core.roles import Role
from lianqing.core.services import notification_send


def _tell_admins_if_broken() -> tuple[bool, dict[str, object]]:
    # Daily from the last verified row; on Sundays from the start, so a row changed before the
    # checkpoint is found within a week.
    result = audit_verify(full=timezone.localdate().weekday() == 6)
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


@task()
def backup_nightly_task() -> dict[str, object]:
    """Tonight's sealed backup, pruned to 7 daily, 4 weekly, 12 monthly; nothing if not configured."""
    from pathlib import Path

    from lianqing.core.backup.errors import BackupError
    from lianqing.core.backup.passphrase import passphrase_read
    from lianqing.core.backup.services import backup_daily

    if settings.BACKUP_DIR is None or not settings.BACKUP_PASSPHRASE_FILE:
        return {"skipped": "未配置 LIANQING_BACKUP_DIR 和 LIANQING_BACKUP_PASSPHRASE_FILE"}
    try:
        out, removed = backup_daily(
            Path(settings.BACKUP_DIR), passphrase_read(settings.BACKUP_PASSPHRASE_FILE, confirm=False)
        )
    except BackupError as error:
        for admin in User.objects.filter(is_active=True, groups__name=str(Role.ADMIN)).distinct():
            notification_send(
                recipient=admin,
                title="夜间备份失败",
                body=str(error),
                link="/staff/",
                dedupe_key=f"backup-failed-{error}",
            )
        return {"ok": False, "error": str(error)}
    return {"ok": True, "archive": out.name, "removed": [path.name for path in removed]}
