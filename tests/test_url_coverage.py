"""Every URL of `lianqing.urls` is either public (listed below, with why) or in some app's
authorization matrix, so a new staff URL cannot ship without one.

How an app adds its matrix: a test module under `tests/<app>/` defines `STAFF_URLS`, a collection
of namespaced URL names ("app:name", or (name, …) tuples as the cases matrix has), and tests
every one of them for anonymous, another jurisdiction, a wrong role and the right role. This
test finds every such module by itself."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).parent

# Pages anyone may open, before or without signing in.
PUBLIC = {
    "public_home",  # the public site's home
    "healthz",  # the load balancer's probe
    "set_language",  # the language switch
    "language_link",  # the published pages' language switch (a link: they carry no CSRF token)
    "core:login",  # signing in: before there is a user
    "core:otp",  # the second factor of signing in
    "core:logout",
    "intake:report_form",  # the public reporting portal
    "intake:region_options",
    "intake:captcha",
    "intake:track",
    "intake:track_status",
    "intake:track_leave",
    # 阳光纪检: what the commission published, the villages' 民生资金, questions, the self look-up
    "publicity:article_list",
    "publicity:section",
    "publicity:article_detail",
    "publicity:attachment_download",
    "publicity:feed",
    "publicity:village_list",
    "publicity:village_detail",
    "publicity:lookup",
    "publicity:question_list",
    "publicity:question_answer",
    "publicity:question_ask",
    "publicity:release_list",
    "publicity:release_detail",
    "publicity:guidance",
}
# The portal's JSON API is public (tests/intake/test_api*.py); Django's admin checks its own
# permissions (staff flag and model permissions) and signs in through the staff login.
PUBLIC_NAMESPACES = ("intake:intake_api:", "admin:")

# Staff URLs of an app whose matrix is still to come. Shrinks only; empty since duties declared its
# STAFF_URLS (tests/duties/test_authorization.py).
NOT_YET_DECLARED: set[str] = set()


def _names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}"


def _matrix_modules() -> list[str]:
    defines = re.compile(r"^STAFF_URLS\b", flags=re.MULTILINE)
    return [
        f"tests.{path.parent.name}.{path.stem}"
        for path in sorted(TESTS.glob("*/test_*.py"))
        if defines.search(path.read_text(encoding="utf-8"))
    ]


def _in_matrices() -> set[str]:
    names: set[str] = set()
    for module in _matrix_modules():
        for entry in importlib.import_module(module).STAFF_URLS:
            names.add(entry if isinstance(entry, str) else entry[0])
    return names


def test_every_staff_url_is_in_an_authorization_matrix():
    every = set(_names(get_resolver().url_patterns))
    staff = {name for name in every if name not in PUBLIC and not name.startswith(PUBLIC_NAMESPACES)}
    missing = sorted(staff - _in_matrices() - NOT_YET_DECLARED)
    assert missing == [], (
        "staff URLs without an authorization matrix (add them to STAFF_URLS of tests/<app>/, "
        f"tested for anonymous, other jurisdiction, wrong role, right role): {missing}"
    )


def test_the_matrices_name_only_urls_that_exist():
    every = set(_names(get_resolver().url_patterns))
    assert sorted(_in_matrices() - every) == []
    assert sorted(NOT_YET_DECLARED - every) == []  # a name that no longer exists leaves the list
    assert sorted(NOT_YET_DECLARED & _in_matrices()) == []  # a declared name leaves it too
    assert {"tests.cases.test_access", "tests.leads.test_authorization"} <= set(_matrix_modules())
