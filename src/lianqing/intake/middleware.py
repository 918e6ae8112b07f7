"""Refuse an oversized submission from its Content-Length, before Django reads the body.

Django parses a whole multipart body (spooling every file to disk) before a view can look at
it, and the CSRF check reads it before the view runs. A 150 MB post to the portal would be
received and parsed only to be refused. This middleware sits before CsrfViewMiddleware and
answers 413 at once, from the portal's own limits (intake.conf).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lianqing.intake import conf

_PORTAL_PREFIXES = ("/report/", "/api/reports")


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django itself treats an unreadable length as no body


def too_large_message() -> str:
    return _(
        "提交的内容过大：附件合计不能超过 %(total)d MB（视频每个不超过 %(video)d MB，其他文件每个不超过 %(file)d MB）。"
    ) % {
        "total": conf.max_total_bytes() // conf.MiB,
        "video": conf.max_video_bytes() // conf.MiB,
        "file": conf.max_file_bytes() // conf.MiB,
    }


class PortalBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in {"POST", "PUT", "PATCH"}
            and request.path_info.startswith(_PORTAL_PREFIXES)
            and _declared_length(request) > conf.max_request_bytes()
        ):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        message = too_large_message()
        if request.path_info.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"message": message, "errors": {"attachments": [message]}}, status=413
            )
        else:
            response = render(request, "intake/too_large.html", {"message": message}, status=413)
        return response  # (no "Connection: close" here: WSGI forbids hop-by-hop headers)
