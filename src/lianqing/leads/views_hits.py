"""Screens of one hit: its evidence, charts, notice, a masked number revealed, and the decisions
(排除, 转为问题线索)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianqing.analytics.contract import DATASETS
from lianqing.analytics.engine import get_rule
from lianqing.core.models import User
from lianqing.leads import events, services
from lianqing.leads.access import access_hit_by_id, may_decide
from lianqing.leads.errors import LeadsError
from lianqing.leads.evidence import (
    chart_kinds,
    hit_charts,
    hit_evidence_tables,
    hit_records,
    hit_reveal,
    hit_subject,
)
from lianqing.leads.forms import ExcludeForm
from lianqing.leads.models import HitStatus
from lianqing.leads.pictures import chart_labels, chart_sections
from lianqing.leads.selectors import hit_history
from lianqing.leads.views import leads_view, refusal


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
        refusal(request, error)
    return redirect("leads:hit_detail", hit_id=hit.pk)


@leads_view(deciding=True)
@require_POST
def hit_convert_view(request: HttpRequest, hit_id: int) -> HttpResponse:
    hit = access_hit_by_id(request.user, hit_id)
    user: User = request.user  # type: ignore[assignment]
    try:
        case = services.hit_convert(hit=hit, user=user)
    except LeadsError as error:
        refusal(request, error)
        return redirect("leads:hit_detail", hit_id=hit.pk)
    messages.success(request, _("已转为问题线索 %(number)s") % {"number": case})
    return redirect("leads:hit_detail", hit_id=hit.pk)
