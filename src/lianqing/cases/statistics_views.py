"""The statistics page (ECharts) and its JSON."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lianqing.core.models import User
from lianqing.core.roles import Role

from .statistics import Period, case_statistics, default_period

STATISTICS_ROLES = (Role.LEADER, Role.CASE_MANAGEMENT, Role.PETITION)


def _period(request: HttpRequest) -> tuple[Period, str]:
    default = default_period()
    try:
        start = dt.date.fromisoformat(request.GET.get("from") or default.start.isoformat())
        end = dt.date.fromisoformat(request.GET.get("to") or default.end.isoformat())
    except ValueError:
        return default, _("日期无法识别，已显示本年数据")
    if end < start:
        return default, _("结束日期早于开始日期，已显示本年数据")
    return Period(start, end), ""


def _statistics_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_role(*STATISTICS_ROLES):
        raise PermissionDenied
    return user


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    user = _statistics_user(request)
    period, warning = _period(request)
    stats = case_statistics(user=user, period=period)
    return render(request, "cases/statistics.html", {"stats": stats, "period": period, "warning": warning})


@login_required
@require_GET
def statistics_data(request: HttpRequest) -> JsonResponse:
    user = _statistics_user(request)
    period, _warning = _period(request)
    return JsonResponse(case_statistics(user=user, period=period))
