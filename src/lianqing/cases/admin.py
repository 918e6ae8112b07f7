"""Admin: the time limits are configured here. Cases themselves are changed only through the workflow."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import TimeLimits


@admin.register(TimeLimits)
class TimeLimitsAdmin(admin.ModelAdmin):
    list_display = ("accept_days", "send_up_days", "lower_accept_days", "handling_months", "feedback_days")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not TimeLimits.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: TimeLimits | None = None) -> bool:
        return False
