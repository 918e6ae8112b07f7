"""Authorization matrix of every staff URL of the public site: anonymous, other jurisdiction,
wrong role, right role; denied requests change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from lianqing.core.models import OrgKind
from lianqing.core.roles import Role
from lianqing.publicity import services, urls, workflow
from lianqing.publicity.models import Article, Disclosure, PublicationStatus, Question, StatisticsRelease
from tests.core.factories import OrgFactory
from tests.publicity.helpers import published_disclosure

STAFF_NAMES = {
    p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and str(p.pattern).startswith("staff/")
}
STAFF_URLS = sorted(f"publicity:{name}" for name in STAFF_NAMES)  # read by tests/test_url_coverage.py


@pytest.fixture
def world(org_tree, editor, leader, analyst, package):
    article = services.article_save(
        by=editor, section="news", title="草稿", summary="", body="正文", tags=""
    ).article
    services.publication_transition(item=article, by=editor, facts=workflow.Submit())
    disclosure = published_disclosure(analyst=analyst, leader=leader, package=package)
    release = services.release_create(
        by=editor, period_kind="month", start=dt.date(2025, 1, 1),
        end=dt.date(2025, 1, 31), title="统计", tables=[], threshold=5,
    )  # fmt: skip
    question = services.question_ask(
        kind="suggestion", title="建议", body="建议村务公开栏每月更新一次。"
    ).question
    return {"article": article, "disclosure": disclosure, "release": release, "question": question}


def _urls(world) -> dict[str, tuple[str, str, dict]]:
    a, d, r, q = world["article"].pk, world["disclosure"].pk, world["release"].pk, world["question"].pk
    return {
        "staff_home": ("get", reverse("publicity:staff_home"), {}),
        "staff_article_new": ("get", reverse("publicity:staff_article_new"), {}),
        "staff_article": ("get", reverse("publicity:staff_article", args=[a]), {}),
        "staff_article_edit": ("get", reverse("publicity:staff_article_edit", args=[a]), {}),
        "staff_article_transition": ("post", reverse("publicity:staff_article_transition", args=[a]), {"action": "approve"}),
        "staff_disclosure_new": ("get", reverse("publicity:staff_disclosure_new"), {}),
        "staff_disclosure": ("get", reverse("publicity:staff_disclosure", args=[d]), {}),
        "staff_disclosure_transition": ("post", reverse("publicity:staff_disclosure_transition", args=[d]), {"action": "withdraw", "reason": "x"}),
        "staff_release_new": ("post", reverse("publicity:staff_release_new"), {"kind": "month", "period": "2025-02"}),
        "staff_release": ("get", reverse("publicity:staff_release", args=[r]), {}),
        "staff_release_transition": ("post", reverse("publicity:staff_release_transition", args=[r]), {"action": "submit"}),
        "staff_questions": ("get", reverse("publicity:staff_questions"), {}),
        "staff_question": ("post", reverse("publicity:staff_question", args=[q]), {"answer": "答", "publish": "on"}),
    }  # fmt: skip


RIGHT = {
    "staff_home": Role.LEADER, "staff_article_new": Role.CASE_MANAGEMENT, "staff_article": Role.PETITION,
    "staff_article_edit": Role.CASE_MANAGEMENT, "staff_article_transition": Role.LEADER,
    "staff_disclosure_new": Role.DATA_ANALYSIS, "staff_disclosure": Role.DATA_ANALYSIS,
    "staff_disclosure_transition": Role.LEADER, "staff_release_new": Role.CASE_MANAGEMENT,
    "staff_release": Role.LEADER, "staff_release_transition": Role.CASE_MANAGEMENT,
    "staff_questions": Role.PETITION, "staff_question": Role.PETITION,
}  # fmt: skip
WRONG = {
    "staff_home": Role.TRIAL, "staff_article_new": Role.DATA_ANALYSIS, "staff_article": Role.SUPERVISION,
    "staff_article_edit": Role.DATA_ANALYSIS, "staff_article_transition": Role.TRIAL,
    "staff_disclosure_new": Role.PETITION, "staff_disclosure": Role.CASE_MANAGEMENT,
    "staff_disclosure_transition": Role.PETITION, "staff_release_new": Role.PETITION,
    "staff_release": Role.DATA_ANALYSIS, "staff_release_transition": Role.DATA_ANALYSIS,
    "staff_questions": Role.DATA_ANALYSIS, "staff_question": Role.CASE_MANAGEMENT,
}  # fmt: skip


def test_the_matrix_covers_every_staff_url():
    assert set(RIGHT) == STAFF_NAMES
    assert set(WRONG) == STAFF_NAMES


def _state():
    return (
        list(Article.objects.values_list("status", "version")),
        list(StatisticsRelease.objects.values_list("status", "version")),
        StatisticsRelease.objects.count(),
        list(Question.objects.values_list("status", "answer")),
        [(d.status, d.version) for d in Disclosure.objects.all()],
    )


@pytest.mark.parametrize("name", sorted(STAFF_NAMES))
def test_denied_requests_change_nothing(name, world, org_tree, make_user, client_for):
    method, url, data = _urls(world)[name]
    other_commission = OrgFactory(org_code="JW2", name="另一县纪委监委", kind=OrgKind.COMMISSION)
    before = _state()
    anonymous = getattr(Client(), method)(url, data)
    assert anonymous.status_code == 302
    assert "/staff/login/" in anonymous["Location"]
    wrong_role = client_for(make_user(WRONG[name], org=org_tree.commission))
    assert getattr(wrong_role, method)(url, data).status_code == 404
    assert _state() == before
    elsewhere = client_for(make_user(RIGHT[name], org=other_commission))
    response = getattr(elsewhere, method)(url, data)
    if name in {
        "staff_home",
        "staff_article_new",
        "staff_disclosure_new",
        "staff_questions",
        "staff_release_new",
    }:
        assert response.status_code in {200, 302}  # their own commission's pages
        assert not StatisticsRelease.objects.filter(
            org=org_tree.commission, period_start=dt.date(2025, 2, 1)
        ).exists()
    else:
        assert response.status_code == 404
        assert _state() == before


@pytest.mark.parametrize("name", sorted(STAFF_NAMES))
def test_the_right_role_gets_through(name, world, org_tree, make_user, client_for):
    method, url, data = _urls(world)[name]
    user = make_user(RIGHT[name], org=org_tree.commission)
    response = getattr(client_for(user), method)(url, data)
    assert response.status_code in {200, 302}
    if name == "staff_article_transition":
        world["article"].refresh_from_db()
        assert world["article"].status == PublicationStatus.APPROVED
    if name == "staff_question":
        world["question"].refresh_from_db()
        assert world["question"].answer == "答"
