"""Screens of the leads app: thin — parse, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianqing.analytics.contract import DATASETS, column_title
from lianqing.analytics.engine import get_rule
from lianqing.core.models import User
from lianqing.leads import events, export, mappings, services, storage
from lianqing.leads.access import (
    access_hit_by_id,
    access_package_by_id,
    access_run_by_id,
    may_decide,
    may_see_leads,
)
from lianqing.leads.catalogue import rule_catalogue
from lianqing.leads.errors import LeadsError
from lianqing.leads.evidence import (
    chart_kinds,
    hit_charts,
    hit_evidence_tables,
    hit_records,
    hit_reveal,
    hit_subject,
)
from lianqing.leads.forms import ExcludeForm, ExportForm, FolderForm, ScanForm, UploadForm, WizardStartForm
from lianqing.leads.models import DataPackage, HitChange, HitStatus, ScanStatus, Severity
from lianqing.leads.pictures import chart_labels, chart_sections
from lianqing.leads.selectors import (
    HitFilters,
    disappeared_hits,
    hit_facets,
    hit_history,
    hit_list,
    org_summary,
    package_list,
    rule_summary,
    run_list,
)

View = Callable[..., HttpResponse]


def column_label(dataset: str, column: str) -> str:
    """A contract column as the wizard offers it: its Chinese title (translated)."""
    return _(column_title(dataset, column))


def leads_view(*, deciding: bool = False) -> Callable[[View], View]:
    """Login, then the role check: 403 for staff without a leads role (or not allowed to decide)."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            allowed = may_decide(request.user) if deciding else may_see_leads(request.user)
            if not allowed:
                return HttpResponseForbidden(_("无权使用数据碰撞"))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _refusal(request: HttpRequest, error: LeadsError) -> None:
    messages.error(request, str(error))
    for detail in error.details[:30]:
        messages.warning(request, detail)


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
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
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
        _refusal(request, error)
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
        _refusal(request, error)
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
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
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
        _refusal(request, error)
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
        context |= {
            "page": Paginator(hits, 50).get_page(request.GET.get("page")),
            "query": urlencode(filters.as_dict()),
            "summary": rule_summary(hits=hits),
            "org_summary": org_summary(hits=hits),
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
        _refusal(request, error)
    return redirect("leads:run_detail", run_id=run.pk)


@leads_view()
@require_GET
def run_disappeared_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_run_by_id(request.user, run_id)
    page = Paginator(disappeared_hits(run=run), 50).get_page(request.GET.get("page"))
    return render(request, "leads/run_disappeared.html", {"run": run, "page": page})


@leads_view()
@require_GET
def run_export_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_run_by_id(request.user, run_id)
    filters = HitFilters.from_query(request.GET)
    hits = hit_list(user=request.user, run=run, filters=filters)
    content, count = export.hits_xlsx(hits)
    events.hits_exported_event(run=run, request=request, filters=filters.as_dict(), count=count)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="hits-run-{run.pk}.xlsx"'
    return response


def _case_url(case_id: int | None) -> str:
    if case_id is None:
        return ""
    try:
        return reverse("cases:detail", args=[case_id])
    except NoReverseMatch:  # the case app's detail page is not there (yet)
        return ""


@leads_view()
@require_GET
def hit_detail_view(request: HttpRequest, hit_id: int) -> HttpResponse:
    hit = access_hit_by_id(request.user, hit_id)
    events.hit_viewed_event(hit=hit, request=request, part="evidence")
    rule = get_rule(hit.rule_id)
    context = {
        "hit": hit,
        "rule": rule,
        "tables": hit_evidence_tables(hit),
        "subject": hit_subject(hit),
        "dataset_titles": [
            DATASETS[name].title for name in rule.hit_datasets(hit.record_ids) if name in DATASETS
        ],
        "may_reveal": may_decide(request.user),
        "chart_kinds": chart_kinds(hit.rule_id),
        "chart_sections": chart_sections(chart_kinds(hit.rule_id)),
        "chart_labels": chart_labels(),
        "history": hit_history(hit=hit)[:10],
        "exclude_form": ExcludeForm(),
        "may_decide": may_decide(request.user) and hit.status == HitStatus.PENDING,
        "case_url": _case_url(hit.case_id),
    }
    return render(request, "leads/hit_detail.html", context)


@leads_view()
@require_GET
def hit_chart_view(request: HttpRequest, hit_id: int) -> JsonResponse:
    hit = access_hit_by_id(request.user, hit_id)
    events.hit_viewed_event(hit=hit, request=request, part="chart")
    return JsonResponse({"hit": hit.pk, "charts": hit_charts(hit)})


@leads_view()
@require_GET
def hit_notice_view(request: HttpRequest, hit_id: int) -> HttpResponse:
    hit = access_hit_by_id(request.user, hit_id)
    events.hit_viewed_event(hit=hit, request=request, part="notice")
    context = {"hit": hit, "records": hit_records(hit), "subject": hit_subject(hit)}
    return render(request, "leads/hit_notice.html", context)


@leads_view(deciding=True)
@require_POST
def hit_reveal_view(request: HttpRequest, hit_id: int) -> HttpResponse:
    """Show one masked id number in full (数据分析 and 领导 only); every reveal is audited."""
    hit = access_hit_by_id(request.user, hit_id)
    token = request.POST.get("token", "")
    value = hit_reveal(hit, token)
    if value is None:
        raise Http404(_("没有找到该号码"))
    events.hit_id_revealed_event(hit=hit, request=request, token=token)
    if request.headers.get("HX-Request"):
        return render(request, "leads/_revealed.html", {"value": value})
    messages.info(request, _("完整号码：%(value)s") % {"value": value})
    return redirect("leads:hit_detail", hit_id=hit.pk)


@leads_view(deciding=True)
@require_POST
def hit_exclude_view(request: HttpRequest, hit_id: int) -> HttpResponse:
    hit = access_hit_by_id(request.user, hit_id)
    form = ExcludeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写排除理由"))
        return redirect("leads:hit_detail", hit_id=hit.pk)
    try:
        services.hit_exclude(hit=hit, user=request.user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        messages.success(request, _("疑点已排除"))
    except LeadsError as error:
        _refusal(request, error)
    return redirect("leads:hit_detail", hit_id=hit.pk)


@leads_view(deciding=True)
@require_POST
def hit_convert_view(request: HttpRequest, hit_id: int) -> HttpResponse:
    hit = access_hit_by_id(request.user, hit_id)
    user: User = request.user  # type: ignore[assignment]
    try:
        case = services.hit_convert(hit=hit, user=user)
    except LeadsError as error:
        _refusal(request, error)
        return redirect("leads:hit_detail", hit_id=hit.pk)
    messages.success(request, _("已转为问题线索 %(number)s") % {"number": case})
    return redirect("leads:hit_detail", hit_id=hit.pk)


@leads_view()
@require_GET
def rule_catalogue_view(request: HttpRequest) -> HttpResponse:
    return render(request, "leads/rule_catalogue.html", {"catalogue": rule_catalogue(user=request.user)})


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


@leads_view(deciding=True)
@require_GET
def mapping_list_view(request: HttpRequest) -> HttpResponse:
    context = {
        "mappings": [(mapping, _(DATASETS[mapping.dataset].title)) for mapping in mappings.saved_mappings()],
        "start_form": WizardStartForm(),
    }
    return render(request, "leads/mapping_list.html", context)


@leads_view(deciding=True)
@require_POST
def mapping_start_view(request: HttpRequest) -> HttpResponse:
    form = WizardStartForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("leads:mapping_list")
    export_file = form.cleaned_data["export"]
    try:
        token = mappings.wizard_start(
            upload=export_file, filename=export_file.name, dataset=form.cleaned_data["dataset"]
        )
    except LeadsError as error:
        _refusal(request, error)
        return redirect("leads:mapping_list")
    return redirect("leads:mapping_wizard", token=token)


@leads_view(deciding=True)
def mapping_wizard_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        wizard = mappings.wizard_state(token)
    except LeadsError as error:
        _refusal(request, error)
        return redirect("leads:mapping_list")
    columns = set(wizard.dataset.column_names)
    choices = {proposal.header: proposal.column for proposal in wizard.proposals}
    department = ""
    if request.method == "POST":
        department = request.POST.get("department", "").strip()[:80]
        for index, header in enumerate(wizard.sample.headers):
            chosen = request.POST.get(f"column-{index}", "")
            choices[header] = chosen if chosen in columns else ""
        if request.POST.get("action") == "save":
            try:
                saved = mappings.wizard_save(token=token, department=department, choices=choices)
            except LeadsError as error:
                _refusal(request, error)
            else:
                messages.success(request, _("已保存映射：%(name)s") % {"name": saved.department})
                return redirect("leads:mapping_list")
    try:
        preview = mappings.wizard_preview(token, choices)
    except LeadsError as error:
        _refusal(request, error)
        return redirect("leads:mapping_list")
    rows = [
        {"index": index, "proposal": proposal, "chosen": choices.get(proposal.header, "")}
        for index, proposal in enumerate(wizard.proposals)
    ]
    context = {
        "wizard": wizard,
        "dataset_title": _(wizard.dataset.title),
        "rows": rows,
        "columns": [
            (c.name, column_label(wizard.dataset.name, c.name), c.required) for c in wizard.dataset.columns
        ],
        "preview": preview,
        "department": department,
    }
    return render(request, "leads/mapping_wizard.html", context)


@leads_view(deciding=True)
@require_POST
def mapping_import_view(request: HttpRequest, slug: str) -> HttpResponse:
    form = ExportForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("leads:mapping_list")
    export_file = form.cleaned_data["export"]
    try:
        package = mappings.import_with_mapping(
            user=request.user,  # type: ignore[arg-type]
            slug=slug,
            upload=export_file,
            filename=export_file.name,
        )
    except LeadsError as error:
        _refusal(request, error)
        return redirect("leads:mapping_list")
    messages.success(request, _("已按映射导入：%(name)s") % {"name": package.name})
    return redirect("leads:package_detail", package_id=package.pk)
