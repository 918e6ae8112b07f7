"""Screens of 党风廉政意见回复: list, new request, per-cadre drafting, approval, print, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianqing.core.models import AuditAction

from . import events, opinions, selectors
from .access import (
    access_opinion_by_id,
    cadre_scope,
    may_approve_opinions,
    may_work_on_opinions,
    opinion_scope,
)
from .errors import DossierError
from .export import opinion_to_xlsx
from .forms import OpinionCreateForm, OpinionItemForm
from .models import Cadre, OpinionRequest
from .views import staff_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _worker(request: HttpRequest) -> Any:
    user = staff_user(request)
    if not may_work_on_opinions(user):
        raise Http404("没有找到")
    return user


@login_required
@require_GET
def opinion_list(request: HttpRequest) -> HttpResponse:
    user = _worker(request)
    return render(
        request,
        "dossiers/opinion_list.html",
        {"requests": opinion_scope(user).prefetch_related("items")[:100], "today": timezone.localdate()},
    )


def _cadres_of(user: Any, lines: list[str]) -> tuple[list[Cadre], list[str]]:
    """Each line a name or an ID; a line matching none or several cadres is an error to show."""
    found, errors = [], []
    scope = cadre_scope(user).select_related("unit")
    for number, line in enumerate(lines, start=1):
        matches = list(scope.filter(Q(person_id=line.upper()) | Q(name=line))[:3])
        if len(matches) == 1:
            found.append(matches[0])
        elif not matches:
            errors.append(_("第 %(row)s 行「%(text)s」：名册中没有此人") % {"row": number, "text": line})
        else:
            errors.append(
                _("第 %(row)s 行「%(text)s」：有同名干部，请改写公民身份号码") % {"row": number, "text": line}
            )
    return list(dict.fromkeys(found)), errors


@login_required
@require_http_methods(["GET", "POST"])
def opinion_create(request: HttpRequest) -> HttpResponse:
    user = _worker(request)
    form = OpinionCreateForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        cadres, errors = _cadres_of(user, form.cadre_lines())
        for error in errors:
            form.add_error("cadres", error)
        if not errors:
            data = form.cleaned_data
            try:
                created = opinions.opinion_create(
                    user=user,
                    requester=data["requester"],
                    letter_number=data["letter_number"],
                    purpose=data["purpose"],
                    lookback_years=data["lookback_years"],
                    received_on=data["received_on"],
                    cadres=cadres,
                )
            except DossierError as error:
                form.add_error(None, str(error))
            else:
                return redirect("dossiers:opinion_detail", request_id=created.pk)
    return render(request, "dossiers/opinion_create.html", {"form": form})


def _dossiers(user: Any, opinion: OpinionRequest) -> list[dict[str, Any]]:
    since = opinions.window_start(opinion)
    rows = []
    for item in opinion.items.select_related("cadre__unit"):
        file = selectors.cadre_file(user=user, cadre=item.cadre, since=since)
        rows.append(
            {
                "item": item,
                "file": file,
                "highlights": selectors.cadre_highlights(file),
                "form": OpinionItemForm(
                    initial={"conclusion": item.conclusion, "text": item.text}, prefix=f"i{item.pk}"
                ),
            }
        )
    return rows


@login_required
@require_GET
def opinion_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _worker(request)
    opinion = access_opinion_by_id(user, request_id)
    events.opinion_event(user=user, obj=opinion, what="view", action=AuditAction.VIEW)
    return render(
        request,
        "dossiers/opinion_detail.html",
        {
            "opinion": opinion,
            "rows": _dossiers(user, opinion),
            "since": opinions.window_start(opinion),
            "may_approve": may_approve_opinions(user),
        },
    )


@login_required
@require_POST
def opinion_item_save(request: HttpRequest, request_id: int, item_id: int) -> HttpResponse:
    user = _worker(request)
    opinion = access_opinion_by_id(user, request_id)
    item = opinion.items.filter(pk=item_id).first()
    if item is None:
        raise Http404("没有找到")
    form = OpinionItemForm(request.POST, prefix=f"i{item.pk}")
    if not form.is_valid():
        messages.error(request, _("请选择回复意见。"))
    else:
        try:
            opinions.opinion_item_draft(item=item, user=user, **form.cleaned_data)
        except DossierError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已保存 %(name)s 的回复意见") % {"name": item.cadre.name})
    return redirect(reverse("dossiers:opinion_detail", args=[opinion.pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def opinion_act(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    user = _worker(request)
    opinion = access_opinion_by_id(user, request_id)
    try:
        if action == "submit":
            opinions.opinion_submit(request=opinion, user=user)
        elif action in {"approve", "return"} and may_approve_opinions(user):
            opinions.opinion_decide(request=opinion, user=user, approve=action == "approve")
        else:
            raise Http404("没有找到")
    except DossierError as error:
        messages.error(request, str(error))
    return redirect("dossiers:opinion_detail", request_id=opinion.pk)


def _approved(request: HttpRequest, request_id: int) -> tuple[Any, OpinionRequest]:
    user = _worker(request)
    opinion = access_opinion_by_id(user, request_id)
    if opinion.status != "approved":
        raise Http404("没有找到")
    return user, opinion


@login_required
@require_GET
def opinion_print(request: HttpRequest, request_id: int) -> HttpResponse:
    user, opinion = _approved(request, request_id)
    events.opinion_event(user=user, obj=opinion, what="print", action=AuditAction.EXPORT)
    return render(
        request,
        "dossiers/opinion_print.html",
        {
            "opinion": opinion,
            "items": opinion.items.select_related("cadre__unit"),
            "now": timezone.localtime(),
        },
    )


@login_required
@require_GET
def opinion_export(request: HttpRequest, request_id: int) -> HttpResponse:
    user, opinion = _approved(request, request_id)
    events.opinion_event(user=user, obj=opinion, what="xlsx", action=AuditAction.EXPORT)
    response = HttpResponse(opinion_to_xlsx(opinion), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{opinion.number}.xlsx"'
    return response
