"""Case screens: inbox, register, case page with its actions (htmx), print form, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianqing.core.models import Org, User
from lianqing.core.pagination import COUNT_CAP
from lianqing.core.roles import Role

from . import workflow as wf
from .access import CASE_ROLES, access_case_by_id, case_scope, case_scope_path, commission_of
from .errors import CaseError
from .forms import ActionForm, CaseRegisterForm, InboxFilterForm
from .hints import case_intake_hints
from .models import AssignMode, AssignRoute, Case, HigherLevel
from .selectors import case_allowed_actions, case_inbox_paginator, case_timeline
from .services import (
    case_attachment_add,
    case_attachment_open,
    case_bulk_assign,
    case_note_add,
    case_print_open,
    case_register,
    cases_export,
)
from .time_limits import countdown, countdown_text

PAGE_SIZE = 50
REGISTER_ROLES = (Role.PETITION, Role.LEADER, Role.CASE_MANAGEMENT)


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _orgs_in_scope(user: User) -> list[Org]:
    path = case_scope_path(user)
    if path is None:
        return []
    return list(Org.objects.filter(path__startswith=path).only("pk", "name", "path").order_by("path"))


def _filter_form(request: HttpRequest, user: User) -> InboxFilterForm:
    return InboxFilterForm(request.GET or None, orgs=_orgs_in_scope(user))


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = _filter_form(request, user)
    paginator = case_inbox_paginator(user=user, filters=form.to_filters(), per_page=PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/inbox.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "capped": paginator.is_capped,
            "count_cap": COUNT_CAP,
            "today": timezone.localdate(),
            "bulk_orgs": _orgs_in_scope(user),
            "assign_modes": AssignMode.choices,
            "may_register": user.has_role(*REGISTER_ROLES),
            "may_assign": user.has_role(*wf.ASSIGN_ROLES),
            "works_on_cases": user.has_role(*CASE_ROLES),
            "filtered": bool(query),
        },
    )


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = _filter_form(request, user)
    content = cases_export(
        user=user, filters=form.to_filters(), query=request.GET.urlencode(), request=request
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="cases-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_role(*wf.ASSIGN_ROLES):
        raise PermissionDenied
    ids = [int(value) for value in request.POST.getlist("case_ids") if value.isdigit()]
    org_id = request.POST.get("to_org", "")
    to_org = next((org for org in _orgs_in_scope(user) if str(org.pk) == org_id), None)
    back = reverse("cases:inbox") + (
        "?" + request.POST["back_query"] if request.POST.get("back_query") else ""
    )
    if not ids or to_org is None:
        messages.error(request, _("请选择案件和承办机构"))
        return redirect(back)
    cases = list(case_scope(Case.objects.all(), user).filter(pk__in=ids))
    route = AssignRoute.DEPARTMENT if to_org.kind == "department" else AssignRoute.LOWER_COMMISSION
    done, refused = case_bulk_assign(
        cases=cases, by=user, to_org=to_org, mode=request.POST.get("mode") or AssignMode.DELEGATE, route=route
    )
    messages.success(request, _("已分办 %(done)d 件") % {"done": done})
    for message in refused[:20]:
        messages.error(request, message)
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_role(*REGISTER_ROLES) or user.org is None:
        raise PermissionDenied
    form = CaseRegisterForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        commission = commission_of(user.org)
        try:
            case = case_register(
                kind=data["kind"],
                source=data["source"],
                category=data["category"],
                summary=data["summary"],
                region_code=data["region_code"] or commission.region_code,
                org=commission,
                received_at=data["received_at"],
                reported_persons=data["reported_persons"],
                created_by=user,
                confidentiality=data["confidentiality"],
                is_reporter_named=data["is_reporter_named"],
                higher_level=data["higher_level"] or HigherLevel.NONE,
                reporter=data["reporter"],
            )
        except CaseError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("已登记 %(number)s") % {"number": case.number})
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/register.html", {"form": form})


def _intake_link(case: Case) -> str:
    if not hasattr(case, "intake_report"):
        return ""
    try:
        return reverse("intake:staff_report_detail", args=[case.intake_report.pk])
    except NoReverseMatch:
        return ""


def _panel_context(
    request: HttpRequest, case: Case, user: User, errors: dict[str, Any] | None = None
) -> dict[str, Any]:
    actions = case_allowed_actions(case, user)
    days_left = countdown(case.deadline, timezone.localdate()) if case.is_open else None
    forms = {action.name: ActionForm(action=action.name, case=case) for action in actions}
    if errors:
        forms.update(errors)
    return {
        "case": case,
        "actions": [(action, forms[action.name]) for action in actions],
        "timeline": case_timeline(case),
        "persons": case.reported_persons.all(),
        "notes": case.notes.select_related("author"),
        "attachments": case.attachments.all(),
        "intake_link": _intake_link(case),
        "today": timezone.localdate(),
        "countdown": days_left,
        "countdown_text": countdown_text(days_left),
        "deadline_label": case.deadline_label_text,
        "duplicates": case.duplicates.only("pk", "number"),
        "hints": case_intake_hints(case=case, user=user),
        "derived": case.derived.only("pk", "number", "kind"),
    }


@login_required
@require_GET
def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = access_case_by_id(user, case_id)
    return render(request, "cases/detail.html", _panel_context(request, case, user))


def action_submit(*, case: Case, user: User, action: str, data: Any) -> tuple[ActionForm, str]:
    """The one path from submitted action data to the state machine: validate, build the action's
    typed facts, transition. Returns the bound form (errors at their fields) and the message."""
    spec = wf.ACTIONS.get(action)
    if spec is None:
        raise Http404
    form = ActionForm(data, action=action, case=case)
    if not form.is_valid():
        return form, _("请检查填写的内容")
    fields = form.facts_fields()
    try:
        if action == "merge":
            fields["original"] = _original_by_number(user, form.cleaned_data.get("original_number", ""))
        wf.transition(
            case=case, by=user, facts=spec.facts(**fields), expected_version=form.cleaned_data["version"]
        )
    except CaseError as refused:
        form.add_error(refused.field if refused.field in form.fields else None, str(refused))
        return form, str(refused)
    return form, ""


@login_required
@require_POST
def act(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    user = _user(request)
    case = access_case_by_id(user, case_id)
    form, error = action_submit(case=case, user=user, action=action, data=request.POST)
    case = access_case_by_id(user, case_id) if not error else case
    if request.headers.get("HX-Request"):
        context = _panel_context(request, case, user, errors={action: form} if error else None)
        context["error"] = error
        context["done"] = "" if error else action
        # 200 even when refused: htmx swaps only successful responses, and the panel carries the message.
        return render(request, "cases/_panel.html", context)
    if error:
        messages.error(request, error)
    return redirect("cases:detail", case_id=case_id)


def _original_by_number(user: User, number: str) -> Case:
    original = (
        case_scope(Case.objects.select_related("org", "home_org"), user).filter(number=number.strip()).first()
    )
    if original is None:
        raise CaseError(
            _("原件 %(number)s 不存在或不属于本机关管辖，不能并案") % {"number": number},
            field="original_number",
        )
    return original


@login_required
@require_POST
def add_note(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = access_case_by_id(user, case_id)
    try:
        case_note_add(case=case, by=user, text=request.POST.get("text", ""))
    except CaseError as error:
        messages.error(request, str(error))
    return redirect("cases:detail", case_id=case_id)


@login_required
@require_POST
def add_attachment(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = access_case_by_id(user, case_id)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("请选择文件"))
    else:
        case_attachment_add(case=case, by=user, uploaded=uploaded)
    return redirect("cases:detail", case_id=case_id)


@login_required
@require_GET
def attachment(request: HttpRequest, case_id: int, attachment_id: int) -> FileResponse:
    user = _user(request)
    case = access_case_by_id(user, case_id)
    item = case_attachment_open(case=case, by=user, attachment_id=attachment_id, request=request)
    if item is None:
        raise Http404(_("没有找到该附件"))
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
@require_GET
def print_form(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = access_case_by_id(user, case_id)
    case_print_open(case=case, by=user, request=request)
    return render(
        request,
        "cases/print.html",
        {
            "case": case,
            "persons": case.reported_persons.all(),
            "timeline": case_timeline(case),
            "now": timezone.now(),
        },
    )
