from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from lianqing.core.passwords import password_expired

# Pages an authenticated but not yet verified user may still reach.
_OPEN_PREFIXES = ("/staff/login/", "/staff/logout/", "/staff/otp/", "/static/", "/i18n/")


class RequireSecondFactorMiddleware:
    """Staff pages need a verified TOTP second factor when LIANQING_REQUIRE_OTP is on, and then,
    for an account whose password an administrator set, a password of the person's own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._needs_second_factor(request):
            return redirect("core:otp")
        if self._needs_password_change(request):
            return redirect(f"{reverse('core:password_change')}?{urlencode({'next': request.path})}")
        return self.get_response(request)

    @staticmethod
    def _needs_password_change(request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        if not getattr(user, "must_change_password", False) and not password_expired(user):
            return False
        path = request.path
        return path.startswith(("/staff/", "/admin/")) and not path.startswith(
            (*_OPEN_PREFIXES, "/staff/password/")
        )

    @staticmethod
    def _needs_second_factor(request: HttpRequest) -> bool:
        if not settings.LIANQING_REQUIRE_OTP or not request.user.is_authenticated:
            return False
        if request.user.is_verified():  # type: ignore[union-attr,attr-defined]
            return False
        path = request.path
        is_staff_area = path.startswith(("/staff/", "/admin/"))
        return is_staff_area and not path.startswith(_OPEN_PREFIXES)


SESSION_RENEWAL_SECONDS = 60
RENEWED_AT = "_renewed_at"


class SessionIdleRenewalMiddleware:
    """The idle timeout: a session ends SESSION_COOKIE_AGE after its last request. It is renewed at
    most once a minute, not written on every request as SESSION_SAVE_EVERY_REQUEST would."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(RENEWED_AT, 0)) >= SESSION_RENEWAL_SECONDS:
                session[RENEWED_AT] = now  # modified: SessionMiddleware saves it with a new expiry
        return response


def session_renewed_at_login(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """A sign-in saves the session anyway: mark it renewed, so the next request writes nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_AT] = int(time.time())
