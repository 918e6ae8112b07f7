"""Staff pages of the public site (/staff/publicity/): write, review, approve, withdraw; build
民生资金 disclosures and statistics releases; answer the public. Thin: parse, call, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianqing.core.access import commission_of
from lianqing.core.models import User
from lianqing.leads.selectors import package_ready_list

from . import selectors, services, workflow
from .access import (
    ARTICLE_ROLES,
    DISCLOSURE_ROLES,
    QUESTION_ROLES,
    STAFF_ROLES,
    STATISTICS_ROLES,
    access_article_by_id,
    access_disclosure_by_id,
    access_question_by_id,
    access_release_by_id,
    has_roles,
)
from .errors import PublicityError
from .forms import AnswerForm, ArticleForm, DisclosureForm, ReasonForm
from .masking import text_anonymise
from .models import Publishable
from .statistics import DEFAULT_THRESHOLD, TABLE_TITLES, statistics_tables


def _user(request: HttpRequest, roles: tuple = STAFF_ROLES) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not has_roles(user, roles):
        raise Http404(_("没有找到该页面"))
    return user


@login_required
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "articles": selectors.article_staff_list(user=user)[:50],
        "disclosures": selectors.disclosure_staff_list(user=user)[:20],
        "releases": selectors.release_staff_list(user=user)[:20],
        "questions": selectors.question_staff_list(user=user, status="open")[:50],
        "now": timezone.now(),
        "may": {
            "articles": has_roles(user, ARTICLE_ROLES),
            "disclosures": has_roles(user, DISCLOSURE_ROLES),
            "releases": has_roles(user, STATISTICS_ROLES),
            "questions": has_roles(user, QUESTION_ROLES),
        },
    }
    return render(request, "publicity/staff/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, article_id: int | None = None) -> HttpResponse:
    user = _user(request, ARTICLE_ROLES)
    article = access_article_by_id(user, article_id) if article_id else None
    initial = (
        {
            "section": article.section,
            "title": article.title,
            "summary": article.summary,
            "body": article.body_markdown,
            "tags": ", ".join(article.tags),
        }
        if article
        else {}
    )
    form = ArticleForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.article_save(
                by=user,
                article=article,
                section=form.cleaned_data["section"],
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                body=form.cleaned_data["body"],
                tags=form.cleaned_data["tags"],
                uploads=request.FILES.getlist("attachments"),
            )
        except PublicityError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            for notice in saved.notices:
                messages.warning(request, notice)
            messages.success(request, _("已保存草稿"))
            return redirect("publicity:staff_article", saved.article.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "publicity/staff/article_edit.html", {"form": form, "article": article}, status=status
    )


def _detail_context(item: Publishable, user: User, roles: tuple) -> dict[str, object]:
    return {
        "item": item,
        "actions": workflow.allowed_actions(item, user, editor_roles=roles),
        "steps": selectors.publication_steps(item),
        "reason_form": ReasonForm(),
    }


@login_required
@require_GET
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    user = _user(request, ARTICLE_ROLES)
    article = access_article_by_id(user, article_id)
    context = {**_detail_context(article, user, ARTICLE_ROLES), "article": article}
    return render(request, "publicity/staff/article_detail.html", context)


def _transition(request: HttpRequest, item: Publishable, user: User) -> None:
    action = workflow.ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    form = ReasonForm(request.POST)
    form.is_valid()
    publish_at = form.cleaned_data.get("publish_at") if form.is_valid() else None
    fields: dict[str, object] = {"reason": request.POST.get("reason", "")[:1000]}
    if action is workflow.Approve:
        fields["publish_at"] = publish_at
    try:
        services.publication_transition(item=item, by=user, facts=action(**fields))  # type: ignore[arg-type]
    except PublicityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已%(action)s") % {"action": action.label})


@login_required
@require_POST
def article_transition(request: HttpRequest, article_id: int) -> HttpResponse:
    user = _user(request, ARTICLE_ROLES)
    _transition(request, access_article_by_id(user, article_id), user)
    return redirect("publicity:staff_article", article_id)


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_new(request: HttpRequest) -> HttpResponse:
    user = _user(request, DISCLOSURE_ROLES)
    packages = [(p.pk, p.name) for p in package_ready_list(user=user)[:50]]
    chosen = request.POST.get("package") or request.GET.get("package") or (packages[0][0] if packages else "")
    programs: list[str] = []
    if chosen:
        try:
            programs = services.disclosure_options(by=user, package_id=int(chosen))["programs"]
        except (ValueError, Http404):
            programs = []
    form = DisclosureForm(
        request.POST or None, packages=packages, programs=programs, initial={"package": chosen}
    )
    if request.method == "POST" and form.is_valid():
        try:
            disclosure = services.disclosure_create(
                by=user,
                package_id=form.cleaned_data["package"],
                title=form.cleaned_data["title"],
                programs=form.chosen_programs(),
                village_codes=form.chosen_villages(),
            )
        except PublicityError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("publicity:staff_disclosure", disclosure.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "publicity/staff/disclosure_new.html", {"form": form, "packages": packages}, status=status
    )


@login_required
@require_GET
def disclosure_detail(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    user = _user(request, DISCLOSURE_ROLES)
    disclosure = access_disclosure_by_id(user, disclosure_id)
    context = {
        **_detail_context(disclosure, user, DISCLOSURE_ROLES),
        "disclosure": disclosure,
        "villages": disclosure.villages.all()[:500],
    }
    return render(request, "publicity/staff/disclosure_detail.html", context)


@login_required
@require_POST
def disclosure_transition(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    user = _user(request, DISCLOSURE_ROLES)
    _transition(request, access_disclosure_by_id(user, disclosure_id), user)
    return redirect("publicity:staff_disclosure", disclosure_id)


def _period(kind: str, value: str) -> tuple[dt.date, dt.date, str]:
    """A month (2025-03) or a quarter (2025-Q1) → first day, last day, title."""
    try:
        if kind == "quarter":
            year, quarter = value.split("-Q")
            first = dt.date(int(year), 3 * (int(quarter) - 1) + 1, 1)
            months = 3
            title = _("%(year)s年第%(quarter)s季度统计数据") % {"year": year, "quarter": quarter}
        else:
            year, month = value.split("-")
            first = dt.date(int(year), int(month), 1)
            months = 1
            title = _("%(year)s年%(month)s月统计数据") % {"year": year, "month": int(month)}
    except ValueError as error:
        raise PublicityError(
            _("统计期间格式不正确：“%(value)s”") % {"value": value}, field="period"
        ) from error
    last_month = first
    for _step in range(months - 1):
        last_month = (last_month + dt.timedelta(days=32)).replace(day=1)
    last = (last_month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last, title


@login_required
@require_POST
def release_new(request: HttpRequest) -> HttpResponse:
    user = _user(request, STATISTICS_ROLES)
    kind = "quarter" if request.POST.get("kind") == "quarter" else "month"
    try:
        start, end, title = _period(kind, request.POST.get("period", "").strip())
        threshold = max(2, min(int(request.POST.get("threshold") or DEFAULT_THRESHOLD), 50))
        org = commission_of(user.org) if user.org else None
        if org is None:
            raise PublicityError(_("您的账号未关联机构，不能发布内容"))
        tables = statistics_tables(org_path=org.path, start=start, end=end, threshold=threshold)
        release = services.release_create(
            by=user, period_kind=kind, start=start, end=end, title=title, tables=tables, threshold=threshold
        )
    except (PublicityError, ValueError) as error:
        messages.error(request, getattr(error, "message", _("统计期间格式不正确")))
        return redirect("publicity:staff_home")
    return redirect("publicity:staff_release", release.pk)


@login_required
@require_GET
def release_detail(request: HttpRequest, release_id: int) -> HttpResponse:
    user = _user(request, STATISTICS_ROLES)
    release = access_release_by_id(user, release_id)
    context = {**_detail_context(release, user, STATISTICS_ROLES), "release": release, "titles": TABLE_TITLES}
    return render(request, "publicity/staff/release_detail.html", context)


@login_required
@require_POST
def release_transition(request: HttpRequest, release_id: int) -> HttpResponse:
    user = _user(request, STATISTICS_ROLES)
    _transition(request, access_release_by_id(user, release_id), user)
    return redirect("publicity:staff_release", release_id)


@login_required
@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    user = _user(request, QUESTION_ROLES)
    status = request.GET.get("status", "")[:16]
    page = Paginator(selectors.question_staff_list(user=user, status=status), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request, "publicity/staff/question_list.html", {"page": page, "status": status, "now": timezone.now()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_answer(request: HttpRequest, question_id: int) -> HttpResponse:
    user = _user(request, QUESTION_ROLES)
    question = access_question_by_id(user, question_id)
    initial = {
        "answer": question.answer,
        "public_title": question.public_title or text_anonymise(question.title),
        "public_body": question.public_body or text_anonymise(question.body),
    }
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_answer(
                question=question,
                by=user,
                answer=form.cleaned_data["answer"],
                publish=form.cleaned_data["publish"],
                public_title=form.cleaned_data["public_title"],
                public_body=form.cleaned_data["public_body"],
            )
        except PublicityError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已答复"))
            return redirect("publicity:staff_questions")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "publicity/staff/question_answer.html", {"form": form, "question": question}, status=status
    )
