"""Authorization matrix of every triage URL: anonymous, other jurisdiction, wrong role, right role.
Denied requests change nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from lianqing.core.roles import Role
from lianqing.triage.models import EventStatus, Feedback, PostEvent, PostImport
from lianqing.triage.services import posts_import, reading_compute
from tests.cases.factories import register_case
from tests.conftest import verified_client

POSTS = "time,platform,author,text,url\n2026-11-01 10:00,微博,网友A,县卫生健康局王建国局长收了红包两万元,https://a/1\n"


@pytest.fixture
def world(registry, org_tree, make_user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    case = register_case(org_tree.commission, summary="县卫健局汪局长春节前收受红包两万元", persons=[])
    reading_compute(case_id=case.pk)
    analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission, username="analyst0")
    posts_import(user=analyst, data=POSTS.encode(), filename="p.csv")
    return {"case": case, "event": PostEvent.objects.get()}


def _retrain_queued() -> int:
    return DBTaskResult.objects.filter(task_path="lianqing.triage.tasks.model_retrain_task").count()


# (url name, method, args from world, data, right (role, org), wrong role (role, org), changed?)
URLS: list[tuple[str, str, Callable[[dict[str, Any]], list[int]], dict[str, Any], tuple[Role, str], tuple[Role, str], Callable[[], object]]] = [
    ("triage:case_panel", "get", lambda w: [w["case"].pk], {}, (Role.PETITION, "petition_office"), (Role.DATA_ANALYSIS, "commission"), lambda: None),
    ("triage:case_decide", "post", lambda w: [w["case"].pk], {"field": "category", "decision": "accept"}, (Role.PETITION, "petition_office"), (Role.TRIAL, "commission"), lambda: Feedback.objects.count()),
    ("triage:model", "get", lambda w: [], {}, (Role.ADMIN, "commission"), (Role.DATA_ANALYSIS, "commission"), lambda: None),
    ("triage:model_retrain", "post", lambda w: [], {}, (Role.ADMIN, "commission"), (Role.PETITION, "commission"), _retrain_queued),
    ("triage:posts", "get", lambda w: [], {}, (Role.DATA_ANALYSIS, "commission"), (Role.PETITION, "commission"), lambda: None),
    ("triage:posts", "post", lambda w: [], {"file": "upload"}, (Role.DATA_ANALYSIS, "commission"), (Role.PETITION, "commission"), lambda: PostImport.objects.count()),
    ("triage:post_event", "get", lambda w: [w["event"].pk], {}, (Role.DATA_ANALYSIS, "commission"), (Role.PETITION, "commission"), lambda: None),
    ("triage:post_event_convert", "post", lambda w: [w["event"].pk], {}, (Role.DATA_ANALYSIS, "commission"), (Role.PETITION, "commission"), lambda: list(PostEvent.objects.values_list("status", flat=True))),
    ("triage:post_event_dismiss", "post", lambda w: [w["event"].pk], {"reason": "不实"}, (Role.LEADER, "commission"), (Role.SUPERVISION, "commission"), lambda: list(PostEvent.objects.values_list("status", flat=True))),
]  # fmt: skip


STAFF_URLS = sorted({entry[0] for entry in URLS})  # read by tests/test_url_coverage.py


def _request(client: Client, method: str, url: str, data: dict[str, Any]) -> int:
    if data.get("file") == "upload":
        data = {"file": SimpleUploadedFile("p.csv", POSTS.encode(), content_type="text/csv")}
    return (client.get(url) if method == "get" else client.post(url, data)).status_code


@pytest.mark.parametrize("who", ["anonymous", "other-jurisdiction", "wrong-role", "right-role"])
@pytest.mark.parametrize("entry", URLS, ids=[f"{u[0]}-{u[1]}" for u in URLS])
def test_authorization_matrix(world, org_tree, make_user, entry, who):  # type: ignore[no-untyped-def]
    name, method, args, data, right, wrong, state = entry
    url = reverse(name, args=args(world))
    before = state()
    if who == "anonymous":
        client = Client()
    elif who == "other-jurisdiction":
        client = verified_client(make_user(right[0], org=org_tree.township_b))
    elif who == "wrong-role":
        client = verified_client(make_user(wrong[0], org=getattr(org_tree, wrong[1])))
    else:
        client = verified_client(make_user(right[0], org=getattr(org_tree, right[1])))
    status = _request(client, method, url, data)
    if who == "right-role":
        assert status in (200, 302)
        if method == "post":
            assert state() != before
        return
    if who == "other-jurisdiction" and name in ("triage:model", "triage:model_retrain", "triage:posts"):
        # not tied to one case or event: the user sees their own commission's page
        assert status in (200, 302)
        return
    assert status == (302 if who == "anonymous" else 404)
    if who == "anonymous":
        assert "/login" in (client.get(url).url if method == "get" else reverse("core:login"))  # type: ignore[attr-defined]
    assert state() == before


def test_the_panel_shows_the_reading_and_a_correction_swaps_it(world, org_tree, make_user):  # type: ignore[no-untyped-def]
    client = verified_client(make_user(Role.PETITION, org=org_tree.petition_office))
    case = world["case"]
    page = client.get(reverse("triage:case_panel", args=[case.pk])).content.decode()
    assert "汪局长" in page
    assert "王建国" in page
    assert "20,000" in page or "20000" in page
    response = client.post(
        reverse("triage:case_decide", args=[case.pk]),
        {"field": "category", "decision": "correct", "corrected": "sifeng_gifts"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="triage-category-state"' in response.content.decode()
    assert Feedback.objects.get().corrected == "sifeng_gifts"


def test_the_events_of_another_commission_look_missing(world, org_tree, make_user):  # type: ignore[no-untyped-def]
    other = verified_client(make_user(Role.DATA_ANALYSIS, org=org_tree.township_b))
    assert "王建国" not in other.get(reverse("triage:posts")).content.decode()
    assert PostEvent.objects.get().status == EventStatus.OPEN
