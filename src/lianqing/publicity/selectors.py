"""Reads of the public site: what is published (public pages), and the staff lists."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lianqing.core.models import User

from .access import ARTICLE_ROLES, DISCLOSURE_ROLES, QUESTION_ROLES, STATISTICS_ROLES, scoped
from .models import (
    Article,
    ArticleTag,
    ArticleTerm,
    Disclosure,
    DisclosureLine,
    DisclosureVillage,
    PublicationStatus,
    PublicationStep,
    Publishable,
    Question,
    QuestionStatus,
    StatisticsRelease,
)
from .search import query_terms


def published() -> Q:
    return Q(status=PublicationStatus.APPROVED, publish_at__lte=timezone.now())


def article_public_list(*, section: str = "", tag: str = "", query: str = "") -> QuerySet[Article]:
    articles = Article.objects.filter(published()).defer("body_markdown", "body_html")
    if section:
        articles = articles.filter(section=section)
    if tag:
        articles = articles.filter(pk__in=ArticleTag.objects.filter(name=tag).values("article_id"))
    if query:
        terms = query_terms(query)
        if not terms:
            return articles.none()
        matching = (
            ArticleTerm.objects.filter(term__in=terms)
            .values("article_id")
            .annotate(found=Count("term", distinct=True))
            .filter(found=len(terms))
            .values("article_id")
        )
        articles = articles.filter(pk__in=matching)
    return articles.order_by("-publish_at", "-id")


def article_public_get(*, article_id: int) -> Article | None:
    return Article.objects.filter(published(), pk=article_id).prefetch_related("attachments").first()


def tag_public_list(limit: int = 30) -> list[dict[str, Any]]:
    rows = (
        ArticleTag.objects.filter(
            article__status=PublicationStatus.APPROVED, article__publish_at__lte=timezone.now()
        )
        .values("name")
        .annotate(count=Count("article_id"))
        .order_by("-count", "name")[:limit]
    )
    return [dict(row) for row in rows]


def village_public_list(*, query: str = "") -> list[DisclosureVillage]:
    """Each village once, from its latest published disclosure."""
    villages = (
        DisclosureVillage.objects.filter(
            disclosure__status=PublicationStatus.APPROVED, disclosure__publish_at__lte=timezone.now()
        )
        .select_related("disclosure")
        .defer("totals")
        .order_by("code", "-disclosure__publish_at", "-disclosure_id")
    )
    if query:
        villages = villages.filter(Q(name__icontains=query) | Q(town__icontains=query))
    latest: dict[str, DisclosureVillage] = {}
    for village in villages:
        latest.setdefault(village.code, village)
    return sorted(latest.values(), key=lambda v: (v.town, v.name))


def village_public_get(*, code: str) -> DisclosureVillage | None:
    return (
        DisclosureVillage.objects.filter(
            disclosure__status=PublicationStatus.APPROVED,
            disclosure__publish_at__lte=timezone.now(),
            code=code,
        )
        .select_related("disclosure")
        .order_by("-disclosure__publish_at", "-disclosure_id")
        .first()
    )


def village_lines(
    *, village: DisclosureVillage, program: str = "", period: str = ""
) -> QuerySet[DisclosureLine]:
    lines = DisclosureLine.objects.filter(village=village).defer("lookup_digest")
    if program:
        lines = lines.filter(program=program)
    if period:
        lines = lines.filter(period=period)
    return lines.order_by("program", "-period", "id")


def benefits_of(*, digest: str) -> list[DisclosureLine]:
    """A person's own published benefits, by the digest of their ID number and name."""
    return list(
        DisclosureLine.objects.filter(
            lookup_digest=digest,
            village__disclosure__status=PublicationStatus.APPROVED,
            village__disclosure__publish_at__lte=timezone.now(),
        )
        .select_related("village")
        .order_by("-period", "program")[:500]
    )


def question_public_list() -> QuerySet[Question]:
    return (
        Question.objects.filter(status=QuestionStatus.PUBLISHED)
        .only(
            "id", "kind", "public_title", "public_body", "answer", "published_at", "created_at", "answered_at"
        )
        .order_by("-published_at", "-id")
    )


def release_public_list() -> QuerySet[StatisticsRelease]:
    return StatisticsRelease.objects.filter(published()).order_by("-period_start", "-id")


def release_public_get(*, release_id: int) -> StatisticsRelease | None:
    return StatisticsRelease.objects.filter(published(), pk=release_id).first()


# --- staff ------------------------------------------------------------------------------------------


def article_staff_list(*, user: User | AnonymousUser) -> QuerySet[Article]:
    return (
        scoped(Article.objects.all(), user, ARTICLE_ROLES)
        .select_related("created_by")
        .order_by("-updated_at", "-id")
    )


def disclosure_staff_list(*, user: User | AnonymousUser) -> QuerySet[Disclosure]:
    return scoped(Disclosure.objects.all(), user, DISCLOSURE_ROLES).order_by("-created_at", "-id")


def release_staff_list(*, user: User | AnonymousUser) -> QuerySet[StatisticsRelease]:
    return scoped(StatisticsRelease.objects.all(), user, STATISTICS_ROLES).order_by("-created_at", "-id")


def question_staff_list(*, user: User | AnonymousUser, status: str = "") -> QuerySet[Question]:
    questions = scoped(Question.objects.all(), user, QUESTION_ROLES)
    if status:
        questions = questions.filter(status=status)
    return questions.order_by("due_at", "id")


def publication_steps(item: Publishable) -> QuerySet[PublicationStep]:
    return PublicationStep.objects.filter(
        object_type=item._meta.model_name, object_id=item.pk
    ).select_related("by")
