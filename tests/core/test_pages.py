"""Every page renders, loads nothing from another host and carries a CSP without inline script."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from lianqing.core.roles import Role
from tests.pages import page_problems

pytestmark = pytest.mark.django_db


def _parameterless_paths() -> list[str]:
    paths: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
                full = "/" + prefix + route.lstrip("^").rstrip("$")
                paths.append(full.replace("//", "/"))

    walk(get_resolver().url_patterns, "")
    return sorted(
        {
            p
            for p in paths
            if not p.startswith("/admin/")
            and not p.endswith("/logout/")
            and not p.startswith("/i18n/")
            and not p.startswith("/api/")
        }
    )


def test_problem_finder_catches_external_hosts_and_inline_script():
    bad = '<script src="https://cdn.example.com/x.js"></script><img src="//img.example.org/a.png"><script>alert(1)</script><div style="color:red"></div>'
    problems = page_problems(bad)
    assert any("cdn.example.com" in p for p in problems)
    assert any("img.example.org" in p for p in problems)
    assert any("inline <script>" in p for p in problems)
    assert any("inline style" in p for p in problems)
    assert page_problems('<script src="/static/app.js"></script><a href="/staff/">x</a>') == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_is_offline_and_csp_clean(org_tree, make_user, client_for, client, language):
    admin = make_user(Role.ADMIN, Role.LEADER, org=org_tree.commission, is_superuser=True, is_staff=True)
    staff_client = client_for(admin)
    for http in (staff_client, client):
        http.post("/i18n/setlang/", {"language": language, "next": "/"})
    paths = _parameterless_paths()
    assert "/staff/" in paths
    assert "/" in paths
    checked = 0
    for path in paths:
        for who, http in (("staff", staff_client), ("anonymous", client)):
            response = http.get(path)
            assert response.status_code < 500, f"{path} as {who}: {response.status_code}"
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            checked += 1
            problems = page_problems(response.content.decode())
            assert problems == [], f"{path} as {who}: {problems}"
            csp = response["Content-Security-Policy"]
            assert "script-src 'self'" in csp
            assert "unsafe-inline" not in csp
    assert checked >= 5


def test_vendored_assets_are_served(client):
    for asset in (
        "/static/vendor/bootstrap/bootstrap.min.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/echarts/echarts.min.js",
    ):
        response = client.get(asset)
        assert response.status_code == 200, asset
        response.close()


def test_chinese_by_default_and_english_on_request(client):
    assert "工作人员登录" in client.get("/staff/login/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/staff/login/"})
    assert response.status_code == 302
    english = client.get("/staff/login/").content.decode()
    assert "Staff sign-in" in english
    assert 'lang="en"' in english


def test_public_home_leads_to_reporting_and_tracking(client):
    body = client.get("/").content.decode()
    assert 'href="/report/"' in body
    assert 'href="/report/track/"' in body


def test_server_access_log_never_records_client_addresses():
    from lianqing.core.management.commands.serve import ACCESS_LOG_FORMAT

    assert "%(h)s" not in ACCESS_LOG_FORMAT
    assert "{x-forwarded-for}" not in ACCESS_LOG_FORMAT.lower()
