"""Screens of the registry: search, cadre and unit files (behind a typed reason), records,
the registry import button, and the link suggestions on a case page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianqing.cases.access import access_case_by_id
from lianqing.cases.selectors import reported_person_list
from lianqing.core.models import User
from lianqing.leads.access import access_package_by_id, may_decide

from . import events, selectors, services
from .access import access_cadre_by_id, access_unit_by_id, import_scope, may_link, may_view_dossiers
from .errors import DossierError
from .forms import LinkDecisionForm, ReasonForm, RecordForm, SanctionForm
from .models import Cadre, MentionLink

REASONS_SESSION_KEY = "dossier_reasons"
IMPORT_COUNT_LABELS = {
    "units_created": gettext_lazy("新增单位"),
    "units_updated": gettext_lazy("更新单位"),
    "cadres_created": gettext_lazy("新增干部"),
    "cadres_updated": gettext_lazy("更新干部"),
    "posts_created": gettext_lazy("新增任职"),
    "posts_closed": gettext_lazy("结束任职"),
    "changes": gettext_lazy("变更记录"),
    "relatives": gettext_lazy("新增家庭成员"),
    "declarations": gettext_lazy("新增报告事项"),
}


def staff_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _viewer(request: HttpRequest) -> User:
    """The user, when they may open files at all (else the same 404 as a missing file)."""
    user = staff_user(request)
    if not may_view_dossiers(user):
        raise Http404("没有找到")
    return user


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    query = request.GET.get("q", "")[:64]
    return render(
        request,
        "dossiers/search.html",
        {
            "query": query,
            "cadres": selectors.cadre_search(user=user, query=query),
            "units": selectors.unit_search(user=user, query=query),
            "imports": import_scope(user)[:5],
        },
    )


def opened_with_reason(request: HttpRequest, user: User, obj: Model) -> str | HttpResponse:
    """The reason this file is open for in this session, or the reason form to ask for one.

    Every opening is audited with the reason; a reason given once is remembered for this file
    until the session ends.
    """
    key = f"{obj._meta.model_name}:{obj.pk}"
    reasons: dict[str, str] = request.session.get(REASONS_SESSION_KEY, {})
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reasons[key] = form.cleaned_data["reason"]
        request.session[REASONS_SESSION_KEY] = reasons
        return redirect(request.path)
    if key not in reasons:
        return render(request, "dossiers/reason.html", {"form": form, "subject": obj}, status=200)
    events.file_opened_event(user=user, obj=obj, reason=reasons[key], request=request)
    return reasons[key]


@login_required
@require_http_methods(["GET", "POST"])
def cadre_detail(request: HttpRequest, cadre_id: int) -> HttpResponse:
    user = _viewer(request)
    cadre = access_cadre_by_id(user, cadre_id)
    reason = opened_with_reason(request, user, cadre)
    if isinstance(reason, HttpResponse):
        return reason
    file = selectors.cadre_file(user=user, cadre=cadre)
    return render(
        request,
        "dossiers/cadre.html",
        {
            "file": file,
            "cadre": cadre,
            "reason": reason,
            "highlights": selectors.cadre_highlights(file),
            "sanction_form": SanctionForm(),
            "record_form": RecordForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = _viewer(request)
    unit = access_unit_by_id(user, unit_id)
    reason = opened_with_reason(request, user, unit)
    if isinstance(reason, HttpResponse):
        return reason
    return render(
        request,
        "dossiers/unit.html",
        {
            "file": selectors.unit_file(user=user, unit=unit),
            "unit": unit,
            "reason": reason,
            "record_form": RecordForm(),
        },
    )


def _record_saved(request: HttpRequest, form: Any, save: Any) -> None:
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return
    try:
        save(form.cleaned_data)
    except DossierError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已记入档案"))


@login_required
@require_POST
def sanction_add(request: HttpRequest, cadre_id: int) -> HttpResponse:
    user = _viewer(request)
    cadre = access_cadre_by_id(user, cadre_id)
    _record_saved(
        request,
        SanctionForm(request.POST),
        lambda data: services.sanction_create(cadre=cadre, user=user, **data),
    )
    return redirect("dossiers:cadre_detail", cadre_id=cadre.pk)


@login_required
@require_POST
def record_add(request: HttpRequest, cadre_id: int | None = None, unit_id: int | None = None) -> HttpResponse:
    user = _viewer(request)
    cadre = access_cadre_by_id(user, cadre_id) if cadre_id else None
    unit = access_unit_by_id(user, unit_id) if unit_id else None
    _record_saved(
        request,
        RecordForm(request.POST),
        lambda data: services.record_create(user=user, cadre=cadre, unit=unit, **data),
    )
    if cadre is not None:
        return redirect("dossiers:cadre_detail", cadre_id=cadre.pk)
    return redirect("dossiers:unit_detail", unit_id=unit.pk if unit else 0)


@login_required
@require_POST
def registry_import(request: HttpRequest, package_id: int) -> HttpResponse:
    """更新廉政档案 from the leads package page: queued for the worker."""
    user = staff_user(request)
    package = access_package_by_id(user, package_id)
    if not may_decide(user):
        raise Http404("没有找到该数据包")
    try:
        services.registry_import_queue(package=package, user=user)
    except DossierError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已开始更新廉政档案，完成后可在廉政档案页查看导入结果。"))
    return redirect("leads:package_detail", package_id=package.pk)


@login_required
@require_GET
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    user = _viewer(request)
    run = import_scope(user).filter(pk=import_id).first()
    if run is None:
        raise Http404("没有找到")
    counts = [(str(label), run.counts.get(key, 0)) for key, label in IMPORT_COUNT_LABELS.items()]
    return render(request, "dossiers/import.html", {"run": run, "counts": counts})


# --- link suggestions on a case page ---------------------------------------------------------


def _links_context(user: User, case_id: int) -> dict[str, Any]:
    links = selectors.links_of_case(case_id=case_id)
    return {
        "links": links,
        "has_persons": bool(links) or bool(reported_person_list(case_ids=[case_id])),
        "case_id": case_id,
        "may_link": may_link(user),
        "may_view": may_view_dossiers(user),
    }


@login_required
@require_GET
def case_links(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user(request)
    case = access_case_by_id(user, case_id)
    return render(request, "dossiers/_case_links.html", _links_context(user, case.pk))


@login_required
@require_POST
def link_decide(request: HttpRequest, link_id: int) -> HttpResponse:
    user = staff_user(request)
    link = MentionLink.objects.filter(pk=link_id).first()
    if link is None:
        raise Http404("没有找到")
    case = access_case_by_id(user, link.case_id)
    if not may_link(user):
        raise Http404("没有找到")
    form = LinkDecisionForm(request.POST)
    error = ""
    if form.is_valid():
        cadre_id = form.cleaned_data["cadre"]
        try:
            services.mention_link_decide(
                link_id=link.pk,
                user=user,
                confirm=form.cleaned_data["decision"] == "confirm",
                cadre=Cadre.objects.filter(pk=cadre_id).first() if cadre_id else None,
            )
        except DossierError as failure:
            error = str(failure)
    else:
        error = _("请求无效，请刷新页面后重试。")
    if request.headers.get("HX-Request"):
        context = _links_context(user, case.pk) | {"error": error}
        # 200 even for a refused decision: htmx swaps only successful responses, and the panel
        # must show the message
        return render(request, "dossiers/_case_links.html", context)
    if error:
        messages.error(request, error)
    return redirect("cases:detail", case_id=case.pk)
