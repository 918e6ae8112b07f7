from django.contrib import admin

from .models import OpinionSettings


@admin.register(OpinionSettings)
class OpinionSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reply_days", "due_soon_days"]

    def has_add_permission(self, request: object) -> bool:  # one row, created on first use
        return not OpinionSettings.objects.exists()

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
