"""Authorization matrix: the liaison reaches their unit's duties and nothing else of the platform;
other units, other offices and other roles get the same 404, and denied steps change nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from lianqing.core.models import User
from lianqing.core.roles import Role
from lianqing.duties.models import Task, TaskStatus
from tests.core.factories import UserFactory

from .conftest import World


def _paths(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, str]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _paths(entry, route)
        elif isinstance(entry, URLPattern):
            namespace = getattr(resolver, "namespace", "") or ""
            yield namespace, route


def _concrete(route: str) -> str:
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(str|slug|uuid|path):[^>]+>|<[^>]+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


OTHER_PATHS = sorted(
    {_concrete(route) for namespace, route in _paths() if not route.startswith(("staff/duties/", "static"))}
    - {
        "/",
        "/i18n/setlang/",
        "/i18n/link/x/",  # the published pages' language switch, public like setlang
        "/staff/",
        "/staff/login/",
        "/staff/logout/",
        "/staff/otp/",
        "/staff/password/",
        "/staff/notifications/",
    }
)


def test_the_matrix_covers_every_other_app() -> None:
    for prefix in (
        "/staff/cases",
        "/staff/dossiers",
        "/staff/leads",
        "/staff/reports",
        "/admin/",
        "/staff/orgs/",
    ):
        assert any(path.startswith(prefix) for path in OTHER_PATHS), prefix


@pytest.mark.parametrize("path", OTHER_PATHS)
def test_liaison_reaches_nothing_else(world: World, client_for: Callable[[User], Client], path: str) -> None:
    client = client_for(world.liaison)
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


def test_liaison_home_is_their_unit(world: World, client_for: Callable[[User], Client]) -> None:
    client = client_for(world.liaison)
    assert client.get("/staff/").url == "/staff/duties/"
    response = client.get("/staff/duties/", follow=True)
    assert response.redirect_chain[-1][0] == f"/staff/duties/units/{world.unit_a.pk}/"
    assert "县教育局党组" in response.content.decode()
    nav = [item["url_name"] for item in response.context["staff_navigation"]]
    assert nav == ["duties:home"]


def test_unit_scoping(world: World, client_for: Callable[[User], Client]) -> None:
    own = Task.objects.filter(unit=world.unit_a).first()
    other = Task.objects.filter(unit=world.unit_b).first()
    assert own
    assert other
    client = client_for(world.liaison)
    assert client.get(f"/staff/duties/tasks/{own.pk}/").status_code == 200
    for path in (
        f"/staff/duties/tasks/{other.pk}/",
        f"/staff/duties/units/{world.unit_b.pk}/",
        f"/staff/duties/units/{world.unit_b.pk}/handbook/",
        "/staff/duties/dashboard/",
        "/staff/duties/ranking/",
        "/staff/duties/templates/",
        f"/staff/duties/templates/{world.template.pk}/",
    ):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("who", ["anonymous", "petition", "other_office", "liaison_b", "liaison"])
def test_denied_review_changes_nothing(world: World, client_for: Callable[[User], Client], who: str) -> None:
    task = Task.objects.filter(unit=world.unit_a).first()
    assert task
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.LOCKED)
    users = {
        "petition": UserFactory(org=world.tree.petition_office, roles=[Role.PETITION]),
        "other_office": world.other_reviewer,
        "liaison_b": world.liaison_b,
        "liaison": world.liaison,
    }
    client = Client() if who == "anonymous" else client_for(users[who])
    response = client.post(f"/staff/duties/tasks/{task.pk}/reopen/", {"reason": "x"})
    assert response.status_code in {302, 400, 404}
    if who == "anonymous":
        assert "/staff/login/" in response.url
    task.refresh_from_db()
    assert task.status == TaskStatus.LOCKED


def test_reviewer_and_leader_see_what_they_should(world: World, client_for: Callable[[User], Client]) -> None:
    task = Task.objects.filter(unit=world.unit_a).first()
    assert task
    assert client_for(world.reviewer).get(f"/staff/duties/tasks/{task.pk}/").status_code == 200
    assert client_for(world.other_reviewer).get(f"/staff/duties/tasks/{task.pk}/").status_code == 404
    leader = client_for(world.leader)
    for path in ("/staff/duties/dashboard/?year=2026", "/staff/duties/ranking/?year=2026", "/staff/duties/talks/?year=2026",
                 f"/staff/duties/units/{world.unit_b.pk}/handbook/?year=2026", "/staff/duties/tasks/?year=2026&light=red"):  # fmt: skip
        assert leader.get(path).status_code == 200, path
    petition = client_for(UserFactory(org=world.tree.petition_office, roles=[Role.PETITION]))
    assert petition.get("/staff/duties/dashboard/").status_code == 404
