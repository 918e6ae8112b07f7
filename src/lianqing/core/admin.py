"""The admin site: accounts, orgs and settings. Every change made here writes an audit row.

Role groups are fixed by code (read-only here), and adding a user to one through the user form
files a grant request that a 领导 must confirm (core.grants): the administrator cannot give
anyone, himself included, a content role alone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.core import grants, otp
from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, AuditEvent, GrantKind, Org, RoleGrantRequest, User
from lianqing.core.roles import Role
from lianqing.core.separation import LOCKED_FIELDS, SECURITY_FIELDS


class AuditedAdmin(admin.ModelAdmin):
    """Admin LogEntry goes to the hash-chained audit log too (who, what, which fields)."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        # The new values by field name (never a password), for the audit row written after saving.
        request._audited_values = {  # type: ignore[attr-defined]
            field: str(form.cleaned_data.get(field))[:200]
            for field in form.changed_data
            if "password" not in field
        }
        super().save_model(request, obj, form, change)

    def _audit(self, request: HttpRequest, action: AuditAction, obj: Model, message: Any) -> None:
        audit_record(
            action=action,
            request=request,
            obj=obj,
            details={
                "via": "admin",
                "repr": str(obj)[:200],
                "change": message or [],
                "values": getattr(request, "_audited_values", {}),
            },
        )

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._audit(request, AuditAction.CREATE, obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._audit(request, AuditAction.UPDATE, obj, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet) -> Any:
        for obj in queryset:
            self._audit(request, AuditAction.DELETE, obj, [])
        return super().log_deletions(request, queryset)


@admin.register(Org)
class OrgAdmin(AuditedAdmin):
    list_display = ("org_code", "name", "kind", "parent", "region_code")
    list_filter = ("kind",)
    search_fields = ("org_code", "name")
    readonly_fields = ("path",)


class ResetPasswordForm(AdminPasswordChangeForm):
    """A password the administrator sets is a temporary one: the person must change it."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("廉情", {"fields": ("org", "full_name", "clearance", "must_change_password")}),
    )
    list_display = ("username", "full_name", "org", "is_active", "is_superuser")
    list_filter = ("org", "groups", "is_active")
    change_password_form = ResetPasswordForm
    actions = ["issue_enrolment_codes"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        """三员分立 in one form: the system administrator edits the account, never its roles or
        clearance; the security administrator edits only those."""
        user: User = request.user  # type: ignore[assignment]
        readonly = set(super().get_readonly_fields(request, obj))
        if user.is_superuser:
            return sorted(readonly)
        readonly |= set(LOCKED_FIELDS)
        every = {field for _name, options in self.get_fieldsets(request, obj) for field in options["fields"]}
        if user.has_role(Role.SECURITY_ADMIN):
            return sorted(readonly | (every - set(SECURITY_FIELDS)))
        return sorted(readonly | (every & set(SECURITY_FIELDS)))

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        if not change:  # the administrator chose this password, so it is only a first one
            obj.must_change_password = True  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    @admin.action(description=_lazy("签发动态验证码绑定码（只显示一次）"))
    def issue_enrolment_codes(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse:
        actor: User = request.user  # type: ignore[assignment]
        issued = [(user, otp.enrolment_code_request(user=user, by=actor)) for user in queryset]
        response = TemplateResponse(
            request,
            "core/enrolment_codes_issued.html",
            {**self.admin_site.each_context(request), "issued": issued, "hours": otp.ENROLMENT_CODE_HOURS},
        )
        response["Cache-Control"] = "no-store"
        return response

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """A new password for a colleague is a request a 领导 confirms (core.grants); until then
        the old one stays. Turning password sign-in off only narrows access: Django does it."""
        user = self.get_object(request, unquote(id))
        if request.method == "POST" and user is not None and self.has_change_permission(request, user):
            form = self.change_password_form(user, request.POST)
            if form.is_valid() and form.cleaned_data.get("password1"):
                grants.credential_reset_request(
                    user=user,
                    kind=GrantKind.PASSWORD,
                    secret_hash=make_password(form.cleaned_data["password1"]),
                    by=request.user,  # type: ignore[arg-type]
                )
                messages.warning(
                    request,
                    _("已提交重设 %(user)s 密码的申请，须由该用户所在纪委监委的领导在“授权确认”页确认后生效")
                    % {"user": user},
                )
                return HttpResponseRedirect(
                    reverse(f"{self.admin_site.name}:core_user_change", args=(user.pk,))
                )
        return super().user_change_password(request, id, form_url)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        """Removed roles go at once; added roles become grant requests for a 领导 to confirm."""
        user: User = form.instance
        if "groups" not in form.cleaned_data:
            super().save_related(request, form, formsets, change)
            return
        before = set(user.groups.all())
        wanted = set(form.cleaned_data["groups"])
        form.cleaned_data["groups"] = list(before)  # membership changes only through core.grants
        super().save_related(request, form, formsets, change)
        actor: User = request.user  # type: ignore[assignment]
        for group in before - wanted:
            grants.role_remove(user=user, role=group.name, by=actor)
        for group in wanted - before:
            try:
                grants.role_grant_request(user=user, role=group.name, by=actor)
            except (ValueError, grants.GrantRefusedError) as refusal:
                messages.error(request, f"{group.name}：{refusal}")
                continue
            messages.warning(
                request,
                _("已提交“%(role)s”角色授权申请，须由领导确认后生效") % {"role": group.name},
            )


@admin.register(RoleGrantRequest)
class RoleGrantRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are confirmed by a 领导 on the staff screen, never here."""

    list_display = (
        "user",
        "kind",
        "role",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status", "role")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


# Role groups are named by code (core.roles): renaming or creating one would move rights around.
admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(DjangoGroupAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuditedTOTPDeviceAdmin(AuditedAdmin, TOTPDeviceAdmin):
    """Delete only (a lost phone). Devices are made by their owner with an enrolment code: an
    administrator who could add or edit one would know a colleague's second factor."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only. Only the 安全审计员 holds its view permission, and
    every read is itself audited (the security administrator sees the auditors' reads)."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if self.has_view_permission(request):
            audit_record(
                action=AuditAction.VIEW,
                request=request,
                object_type="core.auditevent",
                details={"via": "admin", "query": request.GET.urlencode()[:500]},
            )
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if self.has_view_permission(request):
            audit_record(
                action=AuditAction.VIEW,
                request=request,
                object_type="core.auditevent",
                object_id=str(object_id)[:100],
                details={"via": "admin"},
            )
        return super().change_view(request, object_id, form_url, extra_context)

    list_display = ("seq", "created_at", "actor_username", "action", "object_type", "object_id", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_username", "object_id")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
