"""Screens of the leads app: thin — parse, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianqing.analytics.contract import column_title
from lianqing.core.pagination import CappedPaginator, CountedPaginator
from lianqing.core.wording import localized
from lianqing.leads import events, export, services, storage
from lianqing.leads.access import (
    access_package_by_id,
    access_run_by_id,
    may_decide,
    may_see_leads,
)
from lianqing.leads.catalogue import rule_catalogue
from lianqing.leads.errors import LeadsError
from lianqing.leads.forms import FolderForm, ScanForm, UploadForm
from lianqing.leads.models import DataPackage, HitChange, HitStatus, ScanStatus, Severity
from lianqing.leads.selectors import (
    SEARCH_COUNT_CAP,
    HitFilters,
    disappeared_hits,
    hit_export_count,
    hit_facets,
    hit_list,
    hit_overview,
    package_list,
    run_list,
)

View = Callable[..., HttpResponseBase]
HIT_PAGE_CAP = 20  # pages of 50 offered (1,000 hits): a deeper OFFSET is slow at a province's scale


def column_label(dataset: str, column: str) -> str:
    """A contract column as the wizard offers it: its Chinese title (translated)."""
    return _(column_title(dataset, column))


def leads_view(*, deciding: bool = False) -> Callable[[View], View]:
    """Login, then the role check: 403 for staff without a leads role (or not allowed to decide)."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            allowed = may_decide(request.user) if deciding else may_see_leads(request.user)
            if not allowed:
                return HttpResponseForbidden(_("无权使用数据碰撞"))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def refusal(request: HttpRequest, error: LeadsError) -> None:
    """A service's refusal as messages: the reason, then its first details."""
    messages.error(request, localized(error.message))
    for detail in error.details[:30]:
        messages.warning(request, localized(detail))


def form_errors(request: HttpRequest, form: Any) -> None:
    """Every error of a form that came back invalid, as a message."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


@leads_view()
@require_GET
def package_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(package_list(user=request.user), 20).get_page(request.GET.get("page"))
    for package in page:
        package.last_status_label = ScanStatus(package.last_status).label if package.last_status else ""  # type: ignore[attr-defined]
    context = {
        "page": page,
        "upload_form": UploadForm(),
        "folder_form": FolderForm(folders=storage.data_folders()),
        "may_decide": may_decide(request.user),
    }
    return render(request, "leads/package_list.html", context)


@leads_view(deciding=True)
@require_POST
def package_upload_view(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("leads:package_list")
    archive = form.cleaned_data["archive"]
    try:
        package = services.package_import_upload(
            user=request.user,  # type: ignore[arg-type]
            upload=archive,
            filename=archive.name,
            name=form.cleaned_data["name"],
            scan_after=form.cleaned_data["scan_now"],
        )
    except LeadsError as error:
        refusal(request, error)
        return redirect("leads:package_list")
    return _import_queued(request, package)


@leads_view(deciding=True)
@require_POST
def package_folder_view(request: HttpRequest) -> HttpResponse:
    form = FolderForm(request.POST, folders=storage.data_folders())
    if not form.is_valid():
        messages.error(request, _("请选择数据目录中的文件夹"))
        return redirect("leads:package_list")
    try:
        package = services.package_import_folder(
            user=request.user,  # type: ignore[arg-type]
            folder=form.cleaned_data["folder"],
            name=form.cleaned_data["name"],
            scan_after=form.cleaned_data["scan_now"],
        )
    except LeadsError as error:
        refusal(request, error)
        return redirect("leads:package_list")
    return _import_queued(request, package)


def _import_queued(request: HttpRequest, package: DataPackage) -> HttpResponse:
    messages.info(request, _("数据包已提交，正在后台导入"))
    return redirect("leads:package_detail", package_id=package.pk)


@leads_view()
@require_GET
def package_detail_view(request: HttpRequest, package_id: int) -> HttpResponse:
    package = access_package_by_id(request.user, package_id)
    runnable = set(storage.runnable_rules(package.datasets))
    runs = list(run_list(user=request.user, package=package)[:20])
    context = {
        "package": package,
        "runs": runs,
        "active_run": next((run for run in runs if run.is_active), None),
        "scan_form": ScanForm(initial={"as_of": package.as_of}),
        "runnable": sorted(runnable),
        "may_decide": may_decide(request.user),
    }
    return render(request, "leads/package_detail.html", context)


@leads_view()
@require_GET
def package_import_progress_view(request: HttpRequest, package_id: int) -> HttpResponse:
    """The import status fragment polled by htmx; a finished import makes the page reload itself."""
    package = access_package_by_id(request.user, package_id)
    response = render(request, "leads/_import_progress.html", {"package": package})
    if not package.is_importing and request.GET.get("polling"):
        response["HX-Refresh"] = "true"
    return response


@leads_view(deciding=True)
@require_POST
def scan_start_view(request: HttpRequest, package_id: int) -> HttpResponse:
    package = access_package_by_id(request.user, package_id)
    form = ScanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("扫描参数有误"))
        form_errors(request, form)
        return redirect("leads:package_detail", package_id=package.pk)
    try:
        run = services.scan_start(
            package=package,
            user=request.user,  # type: ignore[arg-type]
            rules=form.cleaned_data["rules"],
            params=form.cleaned_data["params"],
            as_of=form.cleaned_data["as_of"],
            engine=form.cleaned_data["engine"],
        )
    except LeadsError as error:
        refusal(request, error)
        return redirect("leads:package_detail", package_id=package.pk)
    return redirect("leads:run_detail", run_id=run.pk)


@leads_view()
@require_GET
def run_detail_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_run_by_id(request.user, run_id)
    filters = HitFilters.from_query(request.GET)
    context: dict[str, Any] = {"run": run, "filters": filters, "may_decide": may_decide(request.user)}
    if run.status == ScanStatus.SUCCEEDED:
        hits = hit_list(user=request.user, run=run, filters=filters)
        overview = hit_overview(hits=hits, run=run, filters=filters)
        paginator = (
            CappedPaginator(hits, 50, cap=SEARCH_COUNT_CAP, max_pages=HIT_PAGE_CAP)
            if overview.count is None
            else CountedPaginator(
                hits if overview.found is None else overview.found,
                50,
                count=overview.count,
                max_pages=HIT_PAGE_CAP,
            )
        )
        page = paginator.get_page(request.GET.get("page"))
        context |= {
            "page": page,
            # 10,000 in both languages (zh-hans formats numbers without a separator)
            "count_text": f"{SEARCH_COUNT_CAP if paginator.is_capped else paginator.count:,}",
            "query": urlencode(filters.as_dict()),
            "summary": overview.summary,
            "org_summary": overview.org_summary,
            "facets": hit_facets(run=run),
            "severities": Severity.choices,
            "statuses": HitStatus.choices,
            "changes": HitChange.choices,
            "skipped": [rule for rule in run.summary.get("rules", []) if rule.get("skipped")],
        }
    return render(request, "leads/run_detail.html", context)


@leads_view()
@require_GET
def run_progress_view(request: HttpRequest, run_id: int) -> HttpResponse:
    """The progress fragment polled by htmx; a finished run makes the page reload itself."""
    run = access_run_by_id(request.user, run_id)
    response = render(
        request, "leads/_run_progress.html", {"run": run, "may_decide": may_decide(request.user)}
    )
    if not run.is_active and request.GET.get("polling"):
        response["HX-Refresh"] = "true"
    return response


@leads_view(deciding=True)
@require_POST
def run_cancel_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_run_by_id(request.user, run_id)
    try:
        services.scan_cancel(run=run, user=request.user)  # type: ignore[arg-type]
        messages.info(request, _("已请求取消扫描"))
    except LeadsError as error:
        refusal(request, error)
    return redirect("leads:run_detail", run_id=run.pk)


@leads_view()
@require_GET
def run_disappeared_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_run_by_id(request.user, run_id)
    page = Paginator(disappeared_hits(run=run), 50).get_page(request.GET.get("page"))
    return render(request, "leads/run_disappeared.html", {"run": run, "page": page})


@leads_view()
@require_GET
def run_export_view(request: HttpRequest, run_id: int) -> StreamingHttpResponse:
    run = access_run_by_id(request.user, run_id)
    filters = HitFilters.from_query(request.GET)
    hits = hit_list(user=request.user, run=run, filters=filters)
    count = hit_export_count(hits=hits, run=run, filters=filters, cap=export.MAX_EXPORT_ROWS)
    events.hits_exported_event(run=run, request=request, filters=filters.as_dict(), count=count)
    # Written while it is sent: a million rows start arriving at once instead of after minutes.
    return StreamingHttpResponse(
        export.hits_xlsx_stream(hits),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": content_disposition_header(True, f"hits-run-{run.pk}.xlsx"),
            "X-Accel-Buffering": "no",  # nginx passes each piece on rather than gathering them
        },
    )


@leads_view()
@require_GET
def rule_catalogue_view(request: HttpRequest) -> HttpResponse:
    return render(request, "leads/rule_catalogue.html", {"catalogue": rule_catalogue(user=request.user)})
