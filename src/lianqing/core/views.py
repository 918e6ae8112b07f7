from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianqing.core import grants, otp
from lianqing.core.access import access_org_by_id, jurisdiction_root
from lianqing.core.audit import audit_record
from lianqing.core.audit_export import audit_csv_rows
from lianqing.core.forms import EnrolmentCodeForm, LoginForm, TokenForm
from lianqing.core.health import health_problems
from lianqing.core.models import AuditAction, GrantKind, User
from lianqing.core.passwords import password_expired
from lianqing.core.roles import Role
from lianqing.core.selectors import (
    audit_event_list,
    audit_event_page,
    may_read_audit,
    notification_list,
    org_list,
    org_staff_list,
)
from lianqing.core.services import notification_mark_read, session_claim


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/staff/"


@never_cache
@require_GET
def language_link(request: HttpRequest, code: str) -> HttpResponse:
    """The language switch of the published pages: a link, not a form, because those pages carry
    no CSRF token (a shared cache keeps them for everyone). Forcing someone's language is harmless."""
    if code not in dict(settings.LANGUAGES):
        raise Http404(_("没有找到该页面"))
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 only when the database and the upload folders take writes; 503 names what does not."""
    problems = health_problems()
    if problems:
        return JsonResponse({"status": "error", "problems": problems}, status=503)
    return JsonResponse({"status": "ok"})


@require_http_methods(["GET", "POST"])
def staff_login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is None:
            audit_record(action=AuditAction.LOGIN_FAILED, request=request, details={"username": username})
            form.add_error(None, _("用户名或密码不正确"))
        else:
            ended_others = session_claim(user)  # type: ignore[arg-type]
            login(request, user)
            audit_record(
                action=AuditAction.LOGIN,
                actor=user,  # type: ignore[arg-type]
                request=request,
                details={"step": "password", **({"other_sessions_ended": True} if ended_others else {})},
            )
            return redirect(_safe_next(request))
    return render(request, "core/login.html", {"form": form, "next": _safe_next(request)})


@require_POST
def staff_logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(action=AuditAction.LOGOUT, request=request)
    logout(request)
    return redirect("core:login")


@login_required
@require_http_methods(["GET", "POST"])
def staff_otp(request: HttpRequest) -> HttpResponse:
    """Verify the second factor; a user without one first proves their enrolment code."""
    user: User = request.user  # type: ignore[assignment]
    device = otp.totp_device_get(user)
    if device is None and request.session.get(otp.ENROLMENT_SESSION_KEY) != user.pk:
        return _enrolment_code_step(request, user)
    enrolling = device is None
    if device is None:
        device = otp.totp_enrolment_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.totp_verify(request, device, form.cleaned_data["token"]):
            audit_record(
                action=AuditAction.LOGIN,
                request=request,
                details={"step": "totp_enrolled" if enrolling else "totp"},
            )
            return redirect(_safe_next(request))
        audit_record(action=AuditAction.LOGIN_FAILED, request=request, details={"step": "totp"})
        form.add_error("token", _("验证码不正确或已过期"))
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request)}
    if enrolling:
        context |= {"qr_data_uri": otp.totp_qr_data_uri(device), "secret": otp.totp_secret_base32(device)}
    return render(request, "core/otp.html", context)


def _enrolment_code_step(request: HttpRequest, user: User) -> HttpResponse:
    form = EnrolmentCodeForm(request.POST if "code" in request.POST else None)
    if form.is_bound and form.is_valid():
        if otp.enrolment_code_check(user=user, code=form.cleaned_data["code"]):
            request.session[otp.ENROLMENT_SESSION_KEY] = user.pk
            audit_record(action=AuditAction.LOGIN, request=request, details={"step": "enrolment_code"})
            return redirect(f"{reverse('core:otp')}?{urlencode({'next': _safe_next(request)})}")
        audit_record(action=AuditAction.LOGIN_FAILED, request=request, details={"step": "enrolment_code"})
        form.add_error("code", _("绑定码不正确、已过期或已失效，请向系统管理员重新申领"))
    return render(request, "core/enrolment_code.html", {"form": form, "next": _safe_next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    """Choose one's own password (required after an administrator set or reset it)."""
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        update_session_auth_hash(request, form.user)
        audit_record(
            action=AuditAction.UPDATE, request=request, obj=user, details={"step": "password_changed"}
        )
        messages.success(request, _("密码已修改"))
        return redirect(_safe_next(request))
    context = {
        "form": form,
        "forced": user.must_change_password or password_expired(user),
        "expired": password_expired(user),
        "next": _safe_next(request),
    }
    return render(request, "core/password_change.html", context)


@login_required
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {
        "jurisdiction": jurisdiction_root(user),
        "roles": sorted(user.role_names()),
        "notifications": notification_list(user=user, unread_only=True)[:5],
    }
    return render(request, "core/home.html", context)


@login_required
@require_GET
def org_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/org_list.html", {"orgs": org_list(user=request.user)})  # type: ignore[arg-type]


@login_required
@require_GET
def org_detail_view(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access_org_by_id(request.user, org_id)  # type: ignore[arg-type]
    context = {
        "org": org,
        "children": org_list(user=request.user).filter(parent=org),  # type: ignore[arg-type]
        "staff": org_staff_list(org=org),
    }
    return render(request, "core/org_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notification_list_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        notification_id = request.POST.get("notification_id")
        notification_mark_read(user=user, notification_id=int(notification_id) if notification_id else None)
        messages.success(request, _("已标记为已读"))
        return redirect("core:notifications")
    page = Paginator(notification_list(user=user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_GET
def audit_list_view(request: HttpRequest) -> HttpResponse:
    """三员分立: the auditor reads the whole log, the security administrator what the auditors did;
    every read is itself a row (so the security administrator sees the auditor's reads)."""
    user: User = request.user  # type: ignore[assignment]
    if not may_read_audit(user):
        return HttpResponseForbidden(_("无权查看审计日志"))
    page = audit_event_page(user=user, number=request.GET.get("page"))
    page.object_list = list(page.object_list)  # the rows as they were before this read's own row
    audit_record(
        action=AuditAction.VIEW,
        request=request,
        object_type="core.auditevent",
        details={"page": page.number},
    )
    return render(request, "core/audit_list.html", {"page": page, "may_export": user.has_role(Role.AUDITOR)})


@login_required
@require_GET
def audit_export_view(request: HttpRequest) -> HttpResponseBase:
    """The auditor exports the log as CSV (UTF-8 with BOM for spreadsheet programs); audited."""
    user: User = request.user  # type: ignore[assignment]
    if not user.has_role(Role.AUDITOR):
        return HttpResponseForbidden(_("无权导出审计日志"))
    events = audit_event_list(user=user)
    audit_record(
        action=AuditAction.EXPORT,
        request=request,
        object_type="core.auditevent",
        details={"rows": events.count()},
    )
    response = StreamingHttpResponse(audit_csv_rows(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def grant_list_view(request: HttpRequest) -> HttpResponse:
    """A 领导 confirms or refuses the role grants the administrator requested."""
    user: User = request.user  # type: ignore[assignment]
    if not grants.may_confirm_grants(user):
        raise Http404(_("没有找到该页面"))
    if request.method == "POST":
        grant_id = _int_or_none(request.POST.get("grant_id"))
        decision = request.POST.get("decision")
        if grant_id is None or decision not in {"confirm", "refuse"}:
            return HttpResponseBadRequest(_("请求无效"))
        try:
            if decision == "confirm":
                grant = grants.role_grant_confirm(grant_id=grant_id, by=user)
                done = (
                    _("已确认：%(user)s 获得“%(role)s”角色")
                    if grant.kind == GrantKind.ROLE
                    else _("已确认：%(user)s 的“%(role)s”申请已生效")
                )
                messages.success(request, done % {"user": grant.user, "role": grant.what})
            else:
                grant = grants.role_grant_refuse(grant_id=grant_id, by=user)
                refused = (
                    _("已拒绝：%(user)s 的“%(role)s”角色申请")
                    if grant.kind == GrantKind.ROLE
                    else _("已拒绝：%(user)s 的“%(role)s”申请")
                )
                messages.info(request, refused % {"user": grant.user, "role": grant.what})
        except grants.GrantRefusedError as refusal:
            messages.error(request, str(refusal))
        return redirect("core:grants")
    return render(request, "core/grants.html", {"grants": grants.grant_pending_list(user=user)})


def _int_or_none(value: str | None) -> int | None:
    """A database id from a form field, or None for anything that is not one (no 500s)."""
    if value is None or not value.isdigit() or len(value) > 18:
        return None
    return int(value)
