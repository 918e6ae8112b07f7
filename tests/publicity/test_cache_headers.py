"""What nginx may keep is decided by Django's headers (core/cache_headers.py, deploy/nginx/): every
published page says `public, max-age=N` (N the micro-cache's few seconds), varies on the language's
sources and sets no cookie; forms, look-ups, answers, staff pages and errors say private, no-store.
Both languages, and a visitor who arrives with a session or CSRF cookie changes nothing of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse

from lianqing.core.cache_headers import CacheHeadersMiddleware, public_page
from lianqing.publicity import services, workflow
from tests.publicity.helpers import published_disclosure
from tests.publicity.packages import EAST

LANGUAGES = {"zh-hans": "zh-CN,zh;q=0.9", "en": "en-US,en;q=0.9"}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def published(editor, leader, analyst, package) -> dict[str, int]:
    saved = services.article_save(
        by=editor, section="news", title="县纪委监委召开警示教育大会", summary="", body="全县党员干部参加。",
        tags="警示教育", uploads=[SimpleUploadedFile("会议.png", PNG, content_type="image/png")],
    )  # fmt: skip
    article = saved.article
    services.publication_transition(item=article, by=editor, facts=workflow.Submit())
    services.publication_transition(item=article, by=leader, facts=workflow.Approve())
    published_disclosure(analyst=analyst, leader=leader, package=package)
    release = services.release_create(
        by=editor, period_kind="month", start=dt.date(2025, 1, 1),
        end=dt.date(2025, 1, 31), title="2025年1月统计数据", tables=[], threshold=5,
    )  # fmt: skip
    services.publication_transition(item=release, by=editor, facts=workflow.Submit())
    services.publication_transition(item=release, by=leader, facts=workflow.Approve())
    asked = services.question_ask(
        kind="consultation", title="如何查询低保", body="请问如何查询本村低保公示？"
    )
    services.question_answer(
        question=asked.question, by=leader, answer="可在民生资金公开栏目查询。", publish=True
    )
    return {"article": article.pk, "attachment": article.attachments.get().pk, "release": release.pk}


def _published_pages(ids: dict[str, int]) -> list[str]:
    article = ids["article"]
    return [
        "/", "/news/", "/news/policy/", "/news/?q=警示", "/news/?tag=警示教育", f"/news/item/{article}/",
        f"/news/item/{article}/?print=1", f"/news/item/{article}/files/{ids['attachment']}/", "/news/feed/",
        "/funds/", "/funds/?q=东山", f"/funds/{EAST}/", f"/funds/{EAST}/?page=1&program=低保",
        "/questions/", "/statistics/", f"/statistics/{ids['release']}/", "/guide/",
    ]  # fmt: skip


PRIVATE_PAGES = [
    "/funds/lookup/", "/questions/ask/", "/questions/answer/", "/report/", "/report/track/",
    "/report/track/status/", "/staff/login/", "/staff/", "/staff/publicity/", "/admin/", "/healthz",
]  # fmt: skip


def _assert_private(response) -> None:
    _assert_private_headers(response["Cache-Control"], response.request["PATH_INFO"])


def _assert_private_headers(cache_control: str, path: str = "") -> None:
    directives = {d.strip() for d in cache_control.split(",")}
    assert {"private", "no-store"} <= directives, (path, cache_control)
    assert "public" not in directives


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_published_page_may_be_shared_for_a_few_seconds(published, language, settings):
    client = Client(HTTP_ACCEPT_LANGUAGE=LANGUAGES[language])
    for path in _published_pages(published):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Language"] == language, path
        assert response["Cache-Control"] == f"public, max-age={settings.LIANQING_PUBLIC_CACHE_SECONDS}", path
        vary = {v.strip() for v in response["Vary"].split(",")}
        assert {"Accept-Language", "Cookie"} <= vary, path
        assert not response.cookies, (path, list(response.cookies))
        assert "csrfmiddlewaretoken" not in response.content.decode(errors="replace"), path


def test_the_micro_cache_lifetime_is_what_the_pages_say(published, settings):
    """A publication is seen at the latest this many seconds later through nginx (docs/deploy.md)."""
    assert 1 <= settings.LIANQING_PUBLIC_CACHE_SECONDS <= 5
    settings.LIANQING_PUBLIC_CACHE_SECONDS = 2
    assert Client().get("/news/")["Cache-Control"] == "public, max-age=2"


def test_a_visitor_with_cookies_gets_the_same_shareable_page_and_no_new_cookie(published, client_for, editor):
    staff = client_for(editor)  # signed in: a session cookie
    staff.get("/report/")  # and a CSRF cookie
    assert {"sessionid", "csrftoken"} <= set(staff.cookies)
    response = staff.get(f"/funds/{EAST}/")
    assert response["Cache-Control"].startswith("public")
    assert not response.cookies
    assert "bianji" not in response.content.decode()  # nothing of the signed-in person


@pytest.mark.parametrize("language", LANGUAGES)
def test_forms_look_ups_answers_and_staff_pages_are_never_stored(published, language, client_for, editor):
    anonymous = Client(HTTP_ACCEPT_LANGUAGE=LANGUAGES[language])
    signed_in = client_for(editor)
    signed_in.cookies["django_language"] = language
    for client in (anonymous, signed_in):
        for path in PRIVATE_PAGES:
            _assert_private(client.get(path))
    # a POST, an unknown page and a withdrawn-or-missing item are not published pages either
    _assert_private(anonymous.post("/funds/lookup/", {"id_number": "1", "name": "张三"}))
    _assert_private(anonymous.get("/news/item/999999/"))
    _assert_private(anonymous.get("/funds/999999999999/"))
    _assert_private(anonymous.post("/news/", {}))


def test_the_language_link_switches_and_stays_on_the_site(published):
    client = Client(HTTP_ACCEPT_LANGUAGE=LANGUAGES["zh-hans"])
    page = client.get(f"/funds/{EAST}/").content.decode()
    assert reverse("language_link", args=["en"]) + f"?next=/funds/{EAST}/" in page
    switched = client.get(reverse("language_link", args=["en"]), {"next": f"/funds/{EAST}/"})
    assert switched.status_code == 302
    assert switched["Location"] == f"/funds/{EAST}/"
    _assert_private(switched)
    assert client.get(f"/funds/{EAST}/")["Content-Language"] == "en"
    away = client.get(reverse("language_link", args=["zh-hans"]), {"next": "https://example.com/"})
    assert away["Location"] == "/"
    assert client.get(reverse("language_link", args=["fr"])).status_code == 404


def test_a_marked_page_that_turns_out_personal_is_not_shared(rf):
    """The middleware's own check: a published-page view that used the CSRF token or set a cookie
    is answered private, no-store, whatever it was marked."""

    @public_page
    def with_token(request):
        return HttpResponse(get_token(request))

    @public_page
    def with_cookie(request):
        response = HttpResponse("x")
        response.set_cookie("seen", "1")
        return response

    @public_page
    def plain(request):
        return HttpResponse("x")

    for view in (with_token, with_cookie):
        response = CacheHeadersMiddleware(view)(rf.get("/"))
        _assert_private_headers(response["Cache-Control"])
    assert CacheHeadersMiddleware(plain)(rf.get("/"))["Cache-Control"].startswith("public")
    _assert_private_headers(CacheHeadersMiddleware(plain)(rf.post("/"))["Cache-Control"])
