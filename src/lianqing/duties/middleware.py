"""A 履责联络员 is a person of a unit, not commission staff: signed in, they reach the duties
pages of their own unit and the account pages (sign-in, second factor, password, notifications)
and nothing else of the platform. Every other URL answers 404, as for something that is not there."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from lianqing.core.roles import Role

ALLOWED_PREFIXES = (
    "/staff/duties/",
    "/staff/login/",
    "/staff/logout/",
    "/staff/otp/",
    "/staff/password/",
    "/staff/notifications/",
    "/static/",
    "/i18n/",
)
HOME_PATHS = ("/", "/staff/")


class LiaisonConfinementMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.has_role(Role.LIAISON):  # type: ignore[union-attr]
            if request.path in HOME_PATHS:
                return redirect("duties:home")
            if not request.path.startswith(ALLOWED_PREFIXES):
                raise Http404("没有找到该页面")
        return self.get_response(request)
