"""Security-relevant configuration is audited: at every start of the web server and the worker,
the current values are compared with the last audited ones, and a change writes one audit row
naming what changed (before and after)."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.db import transaction

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, AuditEvent

OBJECT_TYPE = "core.security_settings"


def security_settings_current() -> dict[str, Any]:
    validators = cast(list[dict[str, Any]], settings.AUTH_PASSWORD_VALIDATORS)
    return {
        "mode": settings.MODE,
        "require_otp": settings.LIANQING_REQUIRE_OTP,
        "https": settings.SERVED_OVER_HTTPS,
        "trusted_proxies": list(settings.TRUSTED_PROXIES),
        "login_failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "password_validators": [str(v["NAME"]).rsplit(".", 1)[-1] for v in validators],
        "password_options": [dict(v.get("OPTIONS", {})) for v in validators],
        "password_max_age_days": settings.PASSWORD_MAX_AGE_DAYS,
        "single_session": settings.SINGLE_SESSION,
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
        "audit_retention_days": settings.AUDIT_RETENTION_DAYS,
        "audit_syslog": settings.AUDIT_SYSLOG,
        "audit_log_file": settings.AUDIT_LOG_FILE,
        "audit_key_file": str(settings.AUDIT_KEY_FILE),
        "audit_head_dir": str(settings.AUDIT_HEAD_DIR),
        "time_source": settings.LIANQING_TIME_SOURCE,
        "backup_dir": str(settings.BACKUP_DIR or ""),
    }


@transaction.atomic
def security_settings_audit() -> AuditEvent | None:
    """Write an audit row when the security configuration differs from the last audited one."""
    current = security_settings_current()
    last = (
        AuditEvent.objects.filter(object_type=OBJECT_TYPE).order_by("-seq").values_list("details", flat=True)
    )
    previous: dict[str, Any] = (last.first() or {}).get("settings", {})
    changed = sorted(key for key in current.keys() | previous.keys() if current.get(key) != previous.get(key))
    if not changed:
        return None
    return audit_record(
        action=AuditAction.UPDATE if previous else AuditAction.CREATE,
        object_type=OBJECT_TYPE,
        object_id="start",
        details={
            "settings": current,
            "changed": changed,
            "before": {key: previous.get(key) for key in changed} if previous else {},
        },
    )
