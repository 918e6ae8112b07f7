"""Who may keep a copy of an answer: Django decides, the shared cache in front (nginx, see
deploy/nginx/) only obeys the headers.

A view marked `@public_page` (published content: the same for everyone who asks the same URL in
the same language) is answered `Cache-Control: public, max-age=N`, N a few seconds, so that nginx
can serve a busy day's pages without asking Django for each one. Everything else, staff pages,
forms, look-ups and redirects included, is answered `private, no-store` unless the view said
otherwise itself. A marked page that turns out to carry anything personal (it sets a cookie or
used the CSRF token) is refused the public header rather than trusted.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_vary_headers

PUBLIC_ATTRIBUTE = "lianqing_public_seconds"
CACHEABLE_METHODS = ("GET", "HEAD")
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def public_seconds() -> int:
    """The micro-cache's lifetime: also how late the first reader after a publication may be."""
    return int(settings.LIANQING_PUBLIC_CACHE_SECONDS)


def public_page(view: View) -> View:
    """Marks a view whose 200 answers hold published content only (no user, no form, no token)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        setattr(response, PUBLIC_ATTRIBUTE, True)
        return response

    return wrapped  # type: ignore[return-value]


def _is_shareable(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        getattr(response, PUBLIC_ATTRIBUTE, False)
        and request.method in CACHEABLE_METHODS
        and response.status_code == 200
        and not response.cookies
        # get_token() was called: the page embeds this visitor's CSRF token.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


class CacheHeadersMiddleware:
    """First in MIDDLEWARE, so that it sees the answer as it leaves (cookies and Vary included)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if _is_shareable(request, response):
            response["Cache-Control"] = f"public, max-age={public_seconds()}"
            # The language comes from the Accept-Language header or the language cookie.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        elif getattr(response, PUBLIC_ATTRIBUTE, False) or not response.has_header("Cache-Control"):
            if response.has_header("Cache-Control"):
                del response["Cache-Control"]
            add_never_cache_headers(response)
        return response
