"""The public site (阳光纪检). Thin: parse, call a selector or service, render. Published content
is rendered once per publication generation and language and served from the cache (cache.py);
the shell around it is rendered per request. Views marked @public_page answer the same to
everyone (no CSRF token, no messages), so nginx may share them for a few seconds
(core/cache_headers.py); the forms and look-ups are never_cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lianqing.core.cache_headers import public_page
from lianqing.intake.abuse import challenge_issue, challenge_verify, client_key, rate_limit_hit
from lianqing.intake.errors import IntakeError
from lianqing.intake.identity import person_id_normalise

from . import selectors, services
from .cache import cached
from .errors import PublicityError
from .forms import AnswerLookupForm, LookupForm, QuestionForm
from .models import Article, Section
from .statistics import TABLE_TITLES

LINES_PER_PAGE = 100
ARTICLES_PER_PAGE = 20
LOOKUPS_PER_HOUR = 10
QUESTIONS_PER_HOUR = 5
ANSWER_READS_PER_HOUR = 10


def _page(
    request: HttpRequest, key: str, build: Callable[[], tuple[str, str]], *, status: int = 200
) -> HttpResponse:
    """The shell around cached content: (title, html) built once per generation and language."""
    title, content = cached(key, build)
    return render(request, "publicity/page.html", {"title": title, "content": content}, status=status)


def _number(value: str | None, default: int = 1) -> int:
    try:
        return max(1, min(int(value or default), 100_000))
    except ValueError:
        return default


@public_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    def build() -> tuple[str, str]:
        sections = [
            {"key": key, "label": label, "items": list(selectors.article_public_list(section=key)[:5])}
            for key, label in Section.choices
        ]
        context = {
            "sections": sections,
            "villages": len(selectors.village_public_list()),
            "releases": list(selectors.release_public_list()[:3]),
            "questions": list(selectors.question_public_list()[:5]),
        }
        return _("阳光纪检"), render_to_string("publicity/home.html", context)

    return _page(request, "home", build)


@public_page
@require_GET
def article_list(request: HttpRequest, section: str = "") -> HttpResponse:
    if section and section not in Section.values:
        raise Http404
    tag = request.GET.get("tag", "").strip()[:32]
    query = request.GET.get("q", "").strip()[:100]
    number = _number(request.GET.get("page"))

    def build() -> tuple[str, str]:
        paginator = Paginator(
            selectors.article_public_list(section=section, tag=tag, query=query), ARTICLES_PER_PAGE
        )
        page = paginator.get_page(number)
        label = Section(section).label if section else _("全部文章")
        context = {
            "page": page,
            "section": section,
            "section_label": label,
            "sections": Section.choices,
            "tag": tag,
            "query": query,
            "tags": selectors.tag_public_list(),
        }
        return str(label), render_to_string("publicity/article_list.html", context)

    return _page(request, f"articles:{section}:{tag}:{query}:{number}", build)


@public_page
@require_GET
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    printable = request.GET.get("print") == "1"

    def build() -> tuple[str, str] | None:
        article = selectors.article_public_get(article_id=article_id)
        if article is None:
            return None
        template = "publicity/article_print.html" if printable else "publicity/article_detail.html"
        return article.title, render_to_string(template, {"article": article, "printable": printable})

    built = cached(f"article:{article_id}:{printable}", build)
    if built is None:
        raise Http404
    if printable:
        return render(request, "publicity/print.html", {"title": built[0], "content": built[1]})
    return render(request, "publicity/page.html", {"title": built[0], "content": built[1]})


@public_page
@require_GET
def attachment_download(request: HttpRequest, article_id: int, attachment_id: int) -> HttpResponse:
    article = selectors.article_public_get(article_id=article_id)
    attachment = article.attachments.filter(pk=attachment_id).first() if article else None
    if attachment is None:
        raise Http404
    response = HttpResponse(bytes(attachment.data), content_type=attachment.mime)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + _quote(attachment.name)
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


class ArticleFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("阳光纪检")
    subtitle = gettext_lazy("纪检监察机关发布的工作动态、通知公告、政策法规、党务公开和通报曝光")

    def link(self) -> str:
        return reverse("publicity:article_list")

    def items(self) -> list[Article]:
        return list(selectors.article_public_list()[:30])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary or item.title

    def item_link(self, item: Article) -> str:
        return reverse("publicity:article_detail", args=[item.pk])

    def item_pubdate(self, item: Article) -> Any:
        return item.publish_at

    def item_updateddate(self, item: Article) -> Any:
        return item.publish_at


feed = public_page(ArticleFeed())


@public_page
@require_GET
def village_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:50]

    def build() -> tuple[str, str]:
        villages = selectors.village_public_list(query=query)
        towns: dict[str, list[Any]] = {}
        for village in villages:
            towns.setdefault(village.town, []).append(village)
        context = {"towns": towns, "query": query, "count": len(villages)}
        return _("民生资金公开"), render_to_string("publicity/village_list.html", context)

    return _page(request, f"villages:{query}", build)


@public_page
@require_GET
def village_detail(request: HttpRequest, code: str) -> HttpResponse:
    program = request.GET.get("program", "").strip()[:64]
    period = request.GET.get("period", "").strip()[:7]
    number = _number(request.GET.get("page"))

    def build() -> tuple[str, str] | None:
        village = selectors.village_public_get(code=code)
        if village is None:
            return None
        lines = selectors.village_lines(village=village, program=program, period=period)
        paginator = Paginator(lines, LINES_PER_PAGE)
        paginator.count = _line_count(village, program, period, lines)  # type: ignore[misc]
        page = paginator.get_page(number)
        context = {
            "village": village,
            "page": page,
            "program": program,
            "period": period,
            "programs": sorted({t["program"] for t in village.totals}),
            "periods": sorted({t["period"] for t in village.totals}, reverse=True),
            "totals": village.totals,
            "standards": [
                s for s in village.disclosure.standards if village.code.startswith(s["region_code"])
            ],
            "county": village.code[:6],
        }
        return village.name, render_to_string("publicity/village_detail.html", context)

    built = cached(f"village:{code}:{program}:{period}:{number}", build)
    if built is None:
        raise Http404
    return render(request, "publicity/page.html", {"title": built[0], "content": built[1]})


def _line_count(village: Any, program: str, period: str, lines: Any) -> int:
    """The count from the stored totals (no COUNT over a big village's lines)."""
    return sum(
        t["count"]
        for t in village.totals
        if (not program or t["program"] == program) and (not period or t["period"] == period)
    )


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """本人查询: ID number + name + the image challenge. "No record" reads the same whether the
    number exists or not; nothing of the look-up is kept but today's counter."""
    form = LookupForm(request.POST or None)
    results = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            rate_limit_hit(client_key(request), scope="publicity.lookup", limit=LOOKUPS_PER_HOUR)
            challenge_verify(request.POST.get("token", ""), "", form.cleaned_data["captcha"])
            number = person_id_normalise(form.cleaned_data["id_number"])
            if len(number) != 18:
                raise IntakeError(_("身份证号应为 18 位"), field="id_number")
            services.lookup_count()
            results = selectors.benefits_of(digest=services.lookup_digest(number, form.cleaned_data["name"]))
            form = LookupForm()
        except IntakeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = 429 if error.field == "rate" else 400
    elif request.method == "POST":
        status = 400
    context = {"form": form, "challenge": challenge_issue(), "results": results}
    response = render(request, "publicity/lookup.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@public_page
@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    number = _number(request.GET.get("page"))

    def build() -> tuple[str, str]:
        page = Paginator(selectors.question_public_list(), 20).get_page(number)
        return _("留言选登"), render_to_string("publicity/question_list.html", {"page": page})

    return _page(request, f"questions:{number}", build)


@never_cache
@require_http_methods(["GET", "POST"])
def question_ask(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            rate_limit_hit(client_key(request), scope="publicity.question", limit=QUESTIONS_PER_HOUR)
            challenge_verify(request.POST.get("token", ""), "", form.cleaned_data["captcha"])
            asked = services.question_ask(
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
            response = render(request, "publicity/question_received.html", {"asked": asked})
            response["Cache-Control"] = "no-store"
            return response
        except (IntakeError, PublicityError) as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = 429 if error.field == "rate" else 400
    elif request.method == "POST":
        status = 400
    return render(
        request, "publicity/question_ask.html", {"form": form, "challenge": challenge_issue()}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def question_answer(request: HttpRequest) -> HttpResponse:
    """查询答复: the asker's code + the image challenge, rate-limited like the report track page.
    A wrong code and a question not answered yet get the same reply."""
    form = AnswerLookupForm(request.POST or None)
    question = None
    looked_up = False
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            rate_limit_hit(client_key(request), scope="publicity.answer", limit=ANSWER_READS_PER_HOUR)
            challenge_verify(request.POST.get("token", ""), "", form.cleaned_data["captcha"])
            question = services.question_answer_read(form.cleaned_data["code"])
            looked_up = True
            form = AnswerLookupForm()
        except IntakeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = 429 if error.field == "rate" else 400
    elif request.method == "POST":
        status = 400
    context = {"form": form, "challenge": challenge_issue(), "question": question, "looked_up": looked_up}
    response = render(request, "publicity/question_answer.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@public_page
@require_GET
def release_list(request: HttpRequest) -> HttpResponse:
    def build() -> tuple[str, str]:
        releases = list(selectors.release_public_list()[:50])
        return _("统计数据"), render_to_string("publicity/release_list.html", {"releases": releases})

    return _page(request, "releases", build)


@public_page
@require_GET
def release_detail(request: HttpRequest, release_id: int) -> HttpResponse:
    def build() -> tuple[str, str] | None:
        release = selectors.release_public_get(release_id=release_id)
        if release is None:
            return None
        context = {"release": release, "titles": TABLE_TITLES}
        return release.title, render_to_string("publicity/release_detail.html", context)

    built = cached(f"release:{release_id}", build)
    if built is None:
        raise Http404
    return render(request, "publicity/page.html", {"title": built[0], "content": built[1], "charts": True})


@public_page
@require_GET
def guidance(request: HttpRequest) -> HttpResponse:
    return render(request, "publicity/guidance.html")
