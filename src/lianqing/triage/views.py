"""Triage screens: the suggestion panel of a case (htmx), the model page, 舆情 import and events."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianqing.cases.access import access_case_by_id
from lianqing.core.models import User

from . import selectors, services
from .access import access_post_event_by_id, may_decide, may_retrain, may_see_model, may_work_on_posts
from .errors import TriageError
from .models import EventStatus


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


@login_required
@require_GET
def case_panel(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = access_case_by_id(user, case_id)
    return render(request, "triage/_panel.html", selectors.reading_panel(case=case, user=user))


@login_required
@require_POST
def case_decide(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = access_case_by_id(user, case_id)
    if not may_decide(user):
        raise Http404("没有找到")
    error = ""
    try:
        services.suggestion_decide(
            case=case,
            user=user,
            field=request.POST.get("field", ""),
            item=request.POST.get("item", ""),
            accepted=request.POST.get("decision") == "accept",
            corrected=request.POST.get("corrected", ""),
        )
    except TriageError as refused:
        error = str(refused)
    if request.headers.get("HX-Request"):
        # 200 even when refused: htmx swaps only successful responses, and the panel carries the message.
        context = selectors.reading_panel(case=case, user=user) | {"error": error}
        return render(request, "triage/_panel.html", context)
    if error:
        messages.error(request, error)
    return redirect("cases:detail", case_id=case.pk)


@login_required
@require_GET
def model_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_see_model(user):
        raise Http404("没有找到")
    context = selectors.model_overview() | {
        "may_retrain": may_retrain(user),
        "training": selectors.training_rows(),
        "category_label": selectors.category_label,
    }
    context["training_rows"] = [
        {
            "row": row,
            "predicted": selectors.category_label(row.predicted),
            "label": selectors.category_label(row.label),
        }
        if row.field == "category"
        else {"row": row, "predicted": row.predicted, "label": row.label}
        for row in context["training"]
    ]
    return render(request, "triage/model.html", context)


@login_required
@require_POST
def model_retrain(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_retrain(user):
        raise Http404("没有找到")
    from .tasks import model_retrain_task

    model_retrain_task.enqueue()
    messages.success(request, _("已安排重新训练，完成后本页显示新模型的质量"))
    return redirect("triage:model")


@login_required
@require_http_methods(["GET", "POST"])
def posts(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_work_on_posts(user):
        raise Http404("没有找到")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择舆情导出文件（CSV 或 JSON）"))
        else:
            try:
                run = services.posts_import(
                    user=user, data=upload.read(services.MAX_IMPORT_BYTES + 1), filename=upload.name or ""
                )
            except TriageError as refused:
                messages.error(request, str(refused))
            else:
                messages.success(
                    request,
                    _("已导入 %(posts)d 条帖子，%(errors)d 行有问题，形成 %(events)d 个事件")
                    % {"posts": run.post_count, "errors": len(run.errors), "events": run.events.count()},
                )
                return redirect(reverse("triage:posts") + f"?import={run.pk}")
        return redirect("triage:posts")
    status = request.GET.get("status", EventStatus.OPEN)
    status = status if status in EventStatus.values else EventStatus.OPEN
    imports = list(selectors.post_import_list(user=user))
    shown_import = next((i for i in imports if str(i.pk) == request.GET.get("import")), None)
    return render(
        request,
        "triage/posts.html",
        {
            "imports": imports,
            "shown_import": shown_import,
            "events": [
                (e, selectors.category_label(e.category))
                for e in selectors.post_event_list(user=user, status=status)
            ],
            "status": status,
            "statuses": EventStatus.choices,
        },
    )


@login_required
@require_GET
def post_event(request: HttpRequest, event_id: int) -> HttpResponse:
    user = _user(request)
    event = access_post_event_by_id(user, event_id)
    return render(
        request,
        "triage/post_event.html",
        {
            "event": event,
            "posts": event.posts.order_by("posted_at"),
            "category_label": selectors.category_label(event.category),
        },
    )


@login_required
@require_POST
def post_event_convert(request: HttpRequest, event_id: int) -> HttpResponse:
    user = _user(request)
    event = access_post_event_by_id(user, event_id)
    try:
        case = services.post_event_convert(event=event, user=user)
    except TriageError as refused:
        messages.error(request, str(refused))
        return redirect("triage:post_event", event_id=event.pk)
    messages.success(request, _("已转为问题线索 %(number)s") % {"number": case.number})
    # back to the event: an analyst may not read cases, the case handlers take it from here
    return redirect("triage:post_event", event_id=event.pk)


@login_required
@require_POST
def post_event_dismiss(request: HttpRequest, event_id: int) -> HttpResponse:
    user = _user(request)
    event = access_post_event_by_id(user, event_id)
    try:
        services.post_event_dismiss(event=event, user=user, reason=request.POST.get("reason", ""))
    except TriageError as refused:
        messages.error(request, str(refused))
        return redirect("triage:post_event", event_id=event.pk)
    messages.success(request, _("已排除该事件"))
    return redirect("triage:posts")
