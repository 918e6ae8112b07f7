"""Screens of the public portal (/report/) and of the staff side (/staff/reports/). Thin: parse,
call a service or selector, render."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianqing.core.models import User
from lianqing.core.roles import Role
from lianqing.intake import conf
from lianqing.intake.abuse import challenge_issue, challenge_open, client_key
from lianqing.intake.access import access_report_by_id, may_see_reports, may_unlock
from lianqing.intake.actions import report_submit_from_input, reporter_reply_from_input
from lianqing.intake.attachments import ACCEPTED_TYPES_TEXT
from lianqing.intake.captcha import captcha_png
from lianqing.intake.errors import IntakeError
from lianqing.intake.forms import (
    BootstrapForm,
    IdentityRequestForm,
    QuestionForm,
    ReplyForm,
    ReportForm,
    TrackForm,
    UnlockForm,
    report_initial,
)
from lianqing.intake.levels import jurisdiction_notes
from lianqing.intake.models import Report
from lianqing.intake.notices import after_closure_review, messages_mark_seen
from lianqing.intake.receipts import receipt_grouped
from lianqing.intake.recipients import is_granted, live_key, staff_key_unlock
from lianqing.intake.regions import region_children, region_name
from lianqing.intake.selectors import (
    attachment_names,
    attachment_read,
    attachment_shown,
    files_pending,
    report_identity_read,
    report_messages,
    report_public_status,
    report_staff_list,
)
from lianqing.intake.services import (
    report_find_by_receipt,
    staff_message_post,
)
from lianqing.intake.unlock import unlock_expires_at, unlock_forget, unlock_keep, unlocked_key
from lianqing.intake.views_keys import identity_request_of

TRACK_SESSION_KEY = "intake_track"
TRACK_SECONDS = 30 * 60
UNKNOWN_RECEIPT = "回执码不正确或不存在，请核对后重试"


def _limits() -> dict[str, object]:
    return {
        "max_files": conf.max_files(),
        "max_file_mb": conf.max_file_bytes() // conf.MiB,
        "max_video_mb": conf.max_video_bytes() // conf.MiB,
        "max_total_mb": conf.max_total_bytes() // conf.MiB,
        "accepted_types": ACCEPTED_TYPES_TEXT,
    }


def _add_intake_error(form: object, error: IntakeError) -> None:
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)  # type: ignore[attr-defined]


# --- public portal ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        outcome = report_submit_from_input(
            data=request.POST,
            uploads=request.FILES.getlist("attachments"),
            token=request.POST.get("token", ""),
            proof=request.POST.get("proof", ""),
            client=client_key(request),
            captcha=request.POST.get("captcha", "")[:16],
        )
        if outcome.result is not None:
            result = outcome.result
            response = render(
                request,
                "intake/receipt.html",
                {
                    "receipt": receipt_grouped(result.receipt_code),
                    "report": result.report,
                    "region": region_name(result.report.region_code),
                    "repeated": result.repeated,
                    "files_pending": len(files_pending(result.attachment_rows())),
                },
            )
            response["Cache-Control"] = "no-store"
            return response
        form = outcome.form
        status = 429 if outcome.rate_limited else 400
    else:
        form, status = ReportForm(initial=report_initial(request.GET)), 200
    context = {
        "form": form,
        "challenge": challenge_issue(),
        **_limits(),
        "had_files": len(request.FILES.getlist("attachments")),
    }
    return render(request, "intake/report_form.html", context, status=status)


@never_cache
@require_GET
def captcha_image(request: HttpRequest) -> HttpResponse:
    """The image challenge of a submission token (the form's no-script path)."""
    try:
        nonce, _bits = challenge_open(request.GET.get("t", ""))
    except IntakeError:
        raise Http404(_("没有找到该图片")) from None
    return HttpResponse(captcha_png(nonce), content_type="image/png")


@require_GET
def region_options(request: HttpRequest) -> JsonResponse:
    parent = request.GET.get("parent", "")
    regions = region_children(parent) if parent.isdigit() and len(parent) == 6 else ()
    response = JsonResponse({"regions": [{"code": r.code, "name": r.name} for r in regions]})
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _tracked_report(request: HttpRequest) -> Report | None:
    grant = request.session.get(TRACK_SESSION_KEY)
    if not grant or grant.get("expires", 0) < time.time():
        return None
    return Report.objects.filter(pk=grant.get("report")).select_related("org", "case").first()


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_find_by_receipt(code_text=form.cleaned_data["code"], client=client_key(request))
        except IntakeError as error:
            form.add_error(None, error.message)
        else:
            if report is not None:
                request.session.cycle_key()
                request.session[TRACK_SESSION_KEY] = {
                    "report": report.pk,
                    "expires": int(time.time()) + TRACK_SECONDS,
                }
                return redirect("intake:track_status")
            form.add_error(None, _(UNKNOWN_RECEIPT))
    return render(request, "intake/track.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def track_status(request: HttpRequest) -> HttpResponse:
    report = _tracked_report(request)
    if report is None:
        messages.info(request, _("请输入回执码查询"))
        return redirect("intake:track")
    form: BootstrapForm = ReplyForm()
    status = 200
    if request.method == "POST":
        outcome = reporter_reply_from_input(
            report=report,
            data=request.POST,
            uploads=request.FILES.getlist("attachments"),
            client=client_key(request),
        )
        if outcome.accepted and outcome.result is not None:
            messages.success(request, _("已收到您的回复。"))
            if waiting := len(files_pending(outcome.result.attachments.all())):
                messages.warning(request, _files_pending_notice(waiting))
            return redirect("intake:track_status")
        form, status = outcome.form, 429 if outcome.rate_limited else 400
    context = {
        "report": report,
        "status": report_public_status(report),
        "region": region_name(report.region_code),
        "thread": report_messages(report),
        "attachment_count": report.attachments.count(),
        "form": form,
        "had_files": len(request.FILES.getlist("attachments")),
        **_limits(),
    }
    return render(request, "intake/track_status.html", context, status=status)


@require_POST
def track_leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(TRACK_SESSION_KEY, None)
    return redirect("intake:track")


def _files_pending_notice(count: int) -> str:
    return ngettext(
        "%(count)d 个附件已收到，正在等待入库，系统会自动完成，无需重新上传。",
        "%(count)d 个附件已收到，正在等待入库，系统会自动完成，无需重新上传。",
        count,
    ) % {"count": count}


# --- staff side ------------------------------------------------------------------------------


def _staff_user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not may_see_reports(user):
        raise Http404(_("没有找到该页面"))
    return user


@login_required
@require_GET
def staff_report_list(request: HttpRequest) -> HttpResponse:
    user = _staff_user(request)
    needs_review = request.GET.get("review") == "1"
    page = Paginator(report_staff_list(user=user, needs_review=needs_review), 25).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "needs_review": needs_review, "may_unlock": may_unlock(user)}
    return render(request, "intake/staff_report_list.html", context)


@login_required
@require_GET
def staff_report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _staff_user(request)
    report = access_report_by_id(user, report_id)
    messages_mark_seen(report=report)
    private_key = unlocked_key(request) if may_unlock(user) else None
    attachments = list(report.attachments.all())
    identity = names = None
    granted = may_unlock(user) and is_granted(report, user)
    if private_key is not None and granted:
        try:
            identity = report_identity_read(
                report=report, private_key=private_key, user=user, request=request
            )
            names = attachment_names(
                report=report, attachments=attachments, private_key=private_key, user=user, request=request
            )
        except IntakeError as error:
            messages.error(request, error.message)
    persons = list(report.persons.all())
    context = {
        "report": report,
        "region": region_name(report.region_code),
        "persons": [(person, region_name(person.region_code)) for person in persons],
        "jurisdiction_notes": jurisdiction_notes(report, persons),
        "thread": report_messages(report),
        "attachments": [(a, (names or {}).get(a.pk, "")) for a in attachments],
        "pending_ids": files_pending(attachments),
        "status": report_public_status(report),
        "may_unlock": may_unlock(user),
        "unlocked": private_key is not None,
        "granted": granted,
        "has_key": may_unlock(user) and live_key(user) is not None,
        "identity_request": identity_request_of(report.pk, user),
        "identity_form": IdentityRequestForm(),
        "review_count": report.messages.filter(after_closure=True, reviewed_at__isnull=True).count(),
        "may_review": str(Role.PETITION) in user.role_names(),
        "unlock_expires_at": _local_time(unlock_expires_at(request)) if private_key else None,
        "case_url": reverse("cases:detail", args=[report.case_id]) if report.case_id else "",
        "identity": identity,
        "unlock_form": UnlockForm(),
        "question_form": QuestionForm(),
    }
    return render(request, "intake/staff_report_detail.html", context)


@login_required
@require_POST
def staff_report_unlock(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _staff_user(request)
    access_report_by_id(user, report_id)
    form = UnlockForm(request.POST)
    response = redirect("intake:staff_report_detail", report_id=report_id)
    if not form.is_valid():
        messages.error(request, _("请输入解密口令"))
        return response
    try:
        private_key = staff_key_unlock(user=user, passphrase=form.cleaned_data["passphrase"], request=request)
    except IntakeError as error:
        messages.error(request, error.message)
        return response
    unlock_keep(request, response, private_key)
    messages.success(request, _("已解锁，附件可在有效期内查看，每次查看均记入审计日志"))
    return response


@login_required
@require_POST
def staff_report_lock(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _staff_user(request)
    access_report_by_id(user, report_id)
    response = redirect("intake:staff_report_detail", report_id=report_id)
    unlock_forget(request, response)
    return response


@login_required
@require_POST
def staff_report_review(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _staff_user(request)
    report = access_report_by_id(user, report_id)
    try:
        after_closure_review(report=report, by=user, request=request)
    except IntakeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已复核结案后的留言"))
    return redirect("intake:staff_report_detail", report_id=report_id)


@login_required
@require_POST
def staff_report_question(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _staff_user(request)
    report = access_report_by_id(user, report_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            staff_message_post(report=report, body=form.cleaned_data["body"], by=user, request=request)
        except IntakeError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("问题已发送，举报人凭回执码可以看到"))
    else:
        for problem in form.errors.get("body", []):  # empty, or too long: the form's own words
            messages.error(request, str(problem))
    return redirect("intake:staff_report_detail", report_id=report_id)


@login_required
@require_GET
def staff_attachment_download(request: HttpRequest, report_id: int, attachment_id: int) -> HttpResponse:
    user = _staff_user(request)
    report = access_report_by_id(user, report_id)
    attachment = report.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404(_("没有找到该附件"))
    private_key = unlocked_key(request) if may_unlock(user) else None
    if private_key is None:
        messages.error(request, _("请先输入解密口令解锁"))
        return redirect("intake:staff_report_detail", report_id=report_id)
    try:
        content = attachment_shown(
            attachment_read(attachment=attachment, private_key=private_key, user=user, request=request)
        )
    except IntakeError as error:
        messages.error(request, error.message)
        return redirect("intake:staff_report_detail", report_id=report_id)
    response = HttpResponse(content.data, content_type=content.mime)
    response["Content-Disposition"] = _attachment_disposition(content.name)
    response["Cache-Control"] = "no-store"
    return response


def _local_time(epoch: int | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, tz=UTC) if epoch else None


def _attachment_disposition(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"
