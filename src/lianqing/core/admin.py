from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from lianqing.core.models import AuditEvent, Org, User


@admin.register(Org)
class OrgAdmin(admin.ModelAdmin):
    list_display = ("org_code", "name", "kind", "parent", "region_code")
    list_filter = ("kind",)
    search_fields = ("org_code", "name")
    readonly_fields = ("path",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("廉情", {"fields": ("org", "full_name", "clearance")}),
    )
    list_display = ("username", "full_name", "org", "is_active", "is_superuser")
    list_filter = ("org", "groups", "is_active")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ("seq", "created_at", "actor_username", "action", "object_type", "object_id", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_username", "object_id")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
