"""Who may write, approve and answer on the public site; the same 404 for missing and forbidden.

Everything belongs to a commission (`org`), and staff see what lies in their jurisdiction.
Writing: articles by 案管/信访/领导, 民生资金 disclosures by 数据分析/领导 (they read the data
packages), statistics by 案管/领导, answers to the public by 信访/领导. Approving and withdrawing:
a 领导 only (workflow).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lianqing.core.access import scope_to_jurisdiction
from lianqing.core.models import User
from lianqing.core.roles import Role

from .models import Article, Disclosure, Question, StatisticsRelease

ARTICLE_ROLES = (Role.CASE_MANAGEMENT, Role.PETITION, Role.LEADER)
DISCLOSURE_ROLES = (Role.DATA_ANALYSIS, Role.LEADER)
STATISTICS_ROLES = (Role.CASE_MANAGEMENT, Role.LEADER)
QUESTION_ROLES = (Role.PETITION, Role.LEADER)
STAFF_ROLES = tuple(dict.fromkeys((*ARTICLE_ROLES, *DISCLOSURE_ROLES, *STATISTICS_ROLES, *QUESTION_ROLES)))


def has_roles(user: User | AnonymousUser, roles: tuple[Role, ...]) -> bool:
    return isinstance(user, User) and user.is_authenticated and user.has_role(*roles)


def scoped(queryset: QuerySet, user: User | AnonymousUser, roles: tuple[Role, ...]) -> QuerySet:
    if not has_roles(user, roles):
        return queryset.none()
    return scope_to_jurisdiction(queryset, user, org_field="org")


def _get(queryset: QuerySet, user: User | AnonymousUser, roles: tuple[Role, ...], pk: int) -> Model:
    item = scoped(queryset, user, roles).select_related("org").filter(pk=pk).first()
    if item is None:
        raise Http404(_("没有找到该内容"))
    return item


def access_article_by_id(user: User | AnonymousUser, article_id: int) -> Article:
    return _get(Article.objects.all(), user, ARTICLE_ROLES, article_id)  # type: ignore[return-value]


def access_disclosure_by_id(user: User | AnonymousUser, disclosure_id: int) -> Disclosure:
    return _get(Disclosure.objects.all(), user, DISCLOSURE_ROLES, disclosure_id)  # type: ignore[return-value]


def access_release_by_id(user: User | AnonymousUser, release_id: int) -> StatisticsRelease:
    return _get(StatisticsRelease.objects.all(), user, STATISTICS_ROLES, release_id)  # type: ignore[return-value]


def access_question_by_id(user: User | AnonymousUser, question_id: int) -> Question:
    return _get(Question.objects.all(), user, QUESTION_ROLES, question_id)  # type: ignore[return-value]
