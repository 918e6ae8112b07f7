"""Admin: the time limits are configured here (audited). Cases are changed only through the workflow."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from lianqing.core.admin import AuditedAdmin

from .models import TimeLimits


@admin.register(TimeLimits)
class TimeLimitsAdmin(AuditedAdmin):
    list_display = ("accept_days", "send_up_days", "lower_accept_days", "handling_months", "feedback_days")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not TimeLimits.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: TimeLimits | None = None) -> bool:
        return False
