"""Screens of the mapping wizard: a department's export read, its headers matched to the
contract's columns, previewed, saved, and later exports imported with the saved mapping."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianqing.analytics.contract import DATASETS
from lianqing.leads import mappings
from lianqing.leads.errors import LeadsError
from lianqing.leads.forms import ExportForm, WizardStartForm
from lianqing.leads.views import column_label, form_errors, leads_view, refusal


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
        form_errors(request, form)
        return redirect("leads:mapping_list")
    export_file = form.cleaned_data["export"]
    try:
        token = mappings.wizard_start(
            upload=export_file, filename=export_file.name, dataset=form.cleaned_data["dataset"]
        )
    except LeadsError as error:
        refusal(request, error)
        return redirect("leads:mapping_list")
    return redirect("leads:mapping_wizard", token=token)


@leads_view(deciding=True)
def mapping_wizard_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        wizard = mappings.wizard_state(token)
    except LeadsError as error:
        refusal(request, error)
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
                refusal(request, error)
            else:
                messages.success(request, _("已保存映射：%(name)s") % {"name": saved.department})
                return redirect("leads:mapping_list")
    try:
        preview = mappings.wizard_preview(token, choices)
    except LeadsError as error:
        refusal(request, error)
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
        form_errors(request, form)
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
        refusal(request, error)
        return redirect("leads:mapping_list")
    messages.success(request, _("已按映射导入：%(name)s") % {"name": package.name})
    return redirect("leads:package_detail", package_id=package.pk)
