"""Screens of 廉情分析: the cockpit and its 大屏, the warning and index lists, a warning with its
chart, items and disposition, a score with its reasons, the settings and the district map."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianqing.core.models import User
from lianqing.core.selectors import org_list

from . import selectors
from .access import (
    access_score_by_id,
    access_warning_by_id,
    map_org,
    may_dispose,
    may_edit_settings,
    may_upload_map,
    may_view_integrity,
)
from .configuration import ConfigInvalidError, active_config, config_version_create
from .forms import AssignForm, ConfigForm, MapUploadForm, ReasonForm
from .models import DistrictMap, IndexConfigVersion, SubjectKind, WarningKind, WarningStatus
from .services import (
    Assign,
    Close,
    MapInvalidError,
    Rectify,
    TransitionRefusedError,
    Verify,
    allowed_actions,
    district_map_upload,
    warning_transition,
)

PAGE_SIZE = 50


def _viewer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not may_view_integrity(user):
        raise PermissionDenied(_("您的角色不能查看廉情分析"))
    return user


def cockpit_context(user: User) -> dict[str, object]:
    data = selectors.cockpit(user=user)
    return {
        "cockpit": data,
        "chart_data": {
            "treemap": data.treemap,
            "map": data.map_values if data.has_map else None,
            "map_url": reverse("integrity:map_data") if data.has_map else "",
            "labels": {"score": _("廉情指数"), "drill": _("点击查看")},
        },
        "kinds": WarningKind,
    }


@login_required
@require_GET
def cockpit_view(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    return render(request, "integrity/cockpit.html", cockpit_context(user))


@login_required
@require_GET
def screen_view(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    return render(request, "integrity/screen.html", cockpit_context(user) | {"refresh_seconds": 300})


@login_required
@require_GET
def warning_list_view(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    filters = selectors.WarningFilters.from_query(request.GET)
    warnings = selectors.warning_list(user=user, filters=filters)
    page = Paginator(warnings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("kind", filters.kind), ("status", filters.status)) if v})
    for warning in page.object_list:
        warning.subject = selectors.warning_subject(warning)  # type: ignore[attr-defined]
        warning.category_label = selectors.category_label(warning.category)  # type: ignore[attr-defined]
    return render(
        request,
        "integrity/warning_list.html",
        {"page": page, "filters": filters, "query": query, "kinds": WarningKind, "statuses": WarningStatus},
    )


@login_required
@require_GET
def warning_detail_view(request: HttpRequest, warning_id: int) -> HttpResponse:
    user = _viewer(request)
    warning = access_warning_by_id(user, warning_id)
    staff = org_list(user=user)
    people = User.objects.filter(org__in=staff, is_active=True).order_by("username")
    chart = selectors.warning_chart(warning)
    context = {
        "warning": warning,
        "subject": selectors.warning_subject(warning),
        "explanation": selectors.warning_explanation(warning),
        "category": selectors.category_label(warning.category),
        "items": selectors.item_links(user=user, refs=warning.items),
        "events": warning.events.select_related("actor"),
        "actions": allowed_actions(warning, user),
        "assign_form": AssignForm(staff=people),
        "reason_form": ReasonForm(),
        "chart": chart,
    }
    return render(request, "integrity/warning_detail.html", context)


@login_required
@require_POST
def warning_act_view(request: HttpRequest, warning_id: int, action: str) -> HttpResponse:
    user = _viewer(request)
    warning = access_warning_by_id(user, warning_id)
    if not may_dispose(user):
        raise PermissionDenied(_("您的角色不能处置预警"))
    reason = str(request.POST.get("reason", "")).strip()[:2000]
    step: Assign | Verify | Rectify | Close
    if action == "assign":
        people = User.objects.filter(org__in=org_list(user=user), is_active=True)
        form = AssignForm(request.POST, staff=people)
        if not form.is_valid():
            messages.error(request, _("请选择本辖区的责任人"))
            return redirect("integrity:warning_detail", warning_id=warning.pk)
        step = Assign(owner=form.cleaned_data["owner"])
    elif action == "verify":
        step = Verify(note=reason)
    elif action == "rectify":
        step = Rectify(measures=reason)
    elif action == "close":
        step = Close(reason=reason)
    else:
        messages.error(request, _("未知的操作"))
        return redirect("integrity:warning_detail", warning_id=warning.pk)
    version = request.POST.get("version")
    try:
        warning_transition(
            warning_id=warning.pk,
            action=step,
            by=user,
            expected_version=int(version) if version and version.isdigit() else None,
        )
    except TransitionRefusedError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已保存"))
    return redirect("integrity:warning_detail", warning_id=warning.pk)


@login_required
@require_GET
def score_list_view(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    kind = request.GET.get("kind", SubjectKind.UNIT)
    kind = kind if kind in SubjectKind.values else SubjectKind.UNIT
    colour = str(request.GET.get("colour", ""))
    org = request.GET.get("org", "")
    scores = selectors.score_list(
        user=user, kind=kind, colour=colour, org_id=int(org) if org.isdigit() else None
    )
    page = Paginator(scores, PAGE_SIZE).get_page(request.GET.get("page"))
    for score in page.object_list:
        score.label = selectors.subject_label(score, user)  # type: ignore[attr-defined]
    query = urlencode({k: v for k, v in (("kind", kind), ("colour", colour), ("org", org)) if v})
    return render(
        request,
        "integrity/score_list.html",
        {"page": page, "kind": kind, "colour": colour, "query": query, "month": selectors.latest_month(user),
         "kinds": SubjectKind, "colours": selectors.COLOUR_HEX},
    )  # fmt: skip


@login_required
@require_GET
def score_detail_view(request: HttpRequest, score_id: int) -> HttpResponse:
    user = _viewer(request)
    score = access_score_by_id(user, score_id)
    deductions = [
        {
            **row,
            "links": selectors.item_links(user=user, refs=list(row.get("items") or []), month=score.month),
        }
        for row in score.deductions
    ]
    context = {
        "score": score,
        "label": selectors.subject_label(score, user),
        "deductions": deductions,
        "history": selectors.score_history(user=user, score=score),
        "hex": selectors.COLOUR_HEX.get(score.colour, "#888"),
    }
    return render(request, "integrity/score_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def config_view(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    version, config = active_config()
    editable = may_edit_settings(user)
    form = ConfigForm(request.POST if request.method == "POST" else None, config=config)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("只有领导可以修改廉情指数配置"))
        if form.is_valid():
            try:
                created = config_version_create(values=form.values(), note=form.cleaned_data["note"], by=user)
            except ConfigInvalidError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("已保存为新版本 %(version)s，下次计算起生效") % {"version": created.version}
                )
                return redirect("integrity:config")
    context = {
        "form": form,
        "config": config,
        "version": version,
        "editable": editable,
        "versions": IndexConfigVersion.objects.select_related("created_by")[:20],
    }
    return render(request, "integrity/config.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def map_upload_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not may_upload_map(user):
        raise PermissionDenied(_("您的角色不能上传辖区地图"))
    org = map_org(user)
    form = MapUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and org is not None:
        uploaded = form.cleaned_data["file"]
        try:
            district_map_upload(org=org, name=uploaded.name, raw=uploaded.read(), by=user)
        except MapInvalidError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("辖区地图已上传"))
            return redirect("integrity:map_upload")
    current = DistrictMap.objects.filter(org=org).first() if org else None
    return render(request, "integrity/map_upload.html", {"form": form, "current": current})


@login_required
@require_GET
def map_data_view(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    org = map_org(user)
    current = DistrictMap.objects.filter(org=org).first() if org else None
    if current is None:
        return JsonResponse({"type": "FeatureCollection", "features": []})
    return HttpResponse(current.geojson, content_type="application/geo+json")
