"""Admin: the retention periods per category are configured here. Reports are never edited here."""

from __future__ import annotations

from django.contrib import admin

from lianqing.core.admin import AuditedAdmin
from lianqing.intake.models import RetentionPolicy


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(AuditedAdmin):
    """A security setting (the 安全保密管理员's): every change is an audit row with its new values."""

    list_display = ("category", "identity_days", "attachments_days", "content_days")
