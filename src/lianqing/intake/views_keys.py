"""Staff screens of the key model: one's own passphrase (set-up), re-wrapping reports for a new
colleague, and the identity custodian's requests and decisions. Thin: parse, call, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lianqing.core.models import User
from lianqing.intake.access import access_report_by_id, may_unlock
from lianqing.intake.custodian import identity_request_create, identity_request_decide
from lianqing.intake.errors import IntakeError
from lianqing.intake.forms import IdentityDecisionForm, IdentityRequestForm, KeySetupForm
from lianqing.intake.models import IdentityRequest
from lianqing.intake.recipients import live_key, recipient_grant, recipients_missing, staff_key_create
from lianqing.intake.selectors import identity_requests_pending
from lianqing.intake.unlock import unlocked_key


def _unlocker(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not may_unlock(user):
        raise Http404(_("没有找到该页面"))
    return user


@login_required
@require_http_methods(["GET", "POST"])
def staff_key(request: HttpRequest) -> HttpResponse:
    """Set one's own passphrase (first use) and see who still waits for reports one holds."""
    user = _unlocker(request)
    form = KeySetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff_key_create(user=user, passphrase=form.cleaned_data["passphrase"], request=request)
        except IntakeError as error:
            form.add_error("passphrase", error.message)
        else:
            messages.success(
                request,
                _("个人解密口令已设置。此后收到的举报将加密给您；已有的举报需由已是接收人的同事为您授权。"),
            )
            return redirect("intake:staff_key")
    context = {
        "key": live_key(user),
        "form": form,
        "missing": recipients_missing(granter=user),
        "unlocked": unlocked_key(request) is not None,
    }
    return render(request, "intake/staff_key.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def staff_key_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _unlocker(request)
    grantee = User.objects.filter(pk=user_id, is_active=True).first()
    private_key = unlocked_key(request)
    if grantee is None:
        raise Http404(_("没有找到该用户"))
    if private_key is None:
        messages.error(request, _("请先在任一举报页面用您的个人解密口令解锁"))
        return redirect("intake:staff_key")
    try:
        count = recipient_grant(granter=user, private_key=private_key, grantee=grantee, request=request)
    except IntakeError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("已为 %(name)s 授权 %(n)d 份举报")
            % {"name": grantee.full_name or grantee.username, "n": count},
        )
    return redirect("intake:staff_key")


@login_required
@require_POST
def identity_request(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _unlocker(request)
    report = access_report_by_id(user, report_id)
    form = IdentityRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明查看举报人身份的理由"))
    else:
        try:
            identity_request_create(
                report=report, user=user, reason=form.cleaned_data["reason"], request=request
            )
        except IntakeError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("申请已提交，待另一位领导审批"))
    return redirect("intake:staff_report_detail", report_id=report_id)


@login_required
@require_http_methods(["GET"])
def identity_requests(request: HttpRequest) -> HttpResponse:
    user = _unlocker(request)
    context = {"pending": identity_requests_pending(user=user), "form": IdentityDecisionForm()}
    return render(request, "intake/identity_requests.html", context)


@login_required
@require_POST
def identity_request_decision(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _unlocker(request)
    row = identity_requests_pending(user=user).filter(pk=request_id).first()
    if row is None:
        raise Http404(_("没有找到该申请"))
    form = IdentityDecisionForm(request.POST)
    form.is_valid()
    try:
        identity_request_decide(
            row=row, by=user, approve=request.POST.get("decision") == "approve",
            note=form.cleaned_data.get("note", ""), request=request,
        )  # fmt: skip
    except IntakeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已审批"))
    return redirect("intake:identity_requests")


def identity_request_of(report_id: int, user: User) -> IdentityRequest | None:
    return (
        IdentityRequest.objects.filter(report_id=report_id, requested_by=user).order_by("-created_at").first()
    )
