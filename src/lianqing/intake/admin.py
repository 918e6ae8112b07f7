"""Admin: the retention periods per category are configured here. Reports are never edited here."""

from __future__ import annotations

from django.contrib import admin

from lianqing.intake.models import RetentionPolicy


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ("category", "identity_days", "attachments_days", "content_days")
