"""Writes of the public site: articles and their attachments, 民生资金 disclosures built from a
data package, questions and answers, the self look-up's counter. Status changes go through
`workflow.transition` only."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.analytics.workdays import add_working_days
from lianqing.core.access import commission_of
from lianqing.core.models import Org, OrgKind, User
from lianqing.intake.attachments import attachment_prepare
from lianqing.intake.errors import IntakeError
from lianqing.leads import selectors as leads_selectors
from lianqing.leads.access import access_package_by_id

from . import disclosure_plan, events, workflow
from .access import ARTICLE_ROLES, DISCLOSURE_ROLES, QUESTION_ROLES, STATISTICS_ROLES
from .cache import generation_bump
from .errors import PublicityError
from .markup import markdown_render
from .masking import text_anonymise
from .models import (
    Article,
    ArticleAttachment,
    ArticleTag,
    ArticleTerm,
    Disclosure,
    DisclosureLine,
    DisclosureVillage,
    LookupCounter,
    PublicationStatus,
    Publishable,
    Question,
    QuestionKind,
    QuestionStatus,
    Section,
    StatisticsRelease,
)
from .search import search_terms

ANSWER_WORKING_DAYS = 15
MAX_TAGS = 8
EDITOR_ROLES = {
    "article": ARTICLE_ROLES,
    "disclosure": DISCLOSURE_ROLES,
    "statisticsrelease": STATISTICS_ROLES,
}


def _commission(user: User) -> Org:
    if user.org is None:
        raise PublicityError(_("您的账号未关联机构，不能发布内容"))
    return commission_of(user.org)


def public_commission() -> Org | None:
    """The commission the public site speaks for: the top commission of the org tree."""
    return Org.objects.filter(kind=OrgKind.COMMISSION).order_by("path").first()


def publication_transition(*, item: Publishable, by: User, facts: workflow.Action) -> Publishable:
    return workflow.transition(
        item=item, by=by, facts=facts, editor_roles=EDITOR_ROLES[str(item._meta.model_name)]
    )


# --- articles -------------------------------------------------------------------------------------


def _tags(text: str) -> list[str]:
    tags: list[str] = []
    for raw in text.replace("，", ",").replace("、", ",").split(","):
        tag = raw.strip()[:32]
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise PublicityError(_("标签最多 %(count)d 个") % {"count": MAX_TAGS}, field="tags")
    return tags


def _index(article: Article) -> None:
    ArticleTerm.objects.filter(article=article).delete()
    text = " ".join([article.title, article.summary, article.body_markdown, *article.tags])
    ArticleTerm.objects.bulk_create(
        [ArticleTerm(article=article, term=t) for t in sorted(search_terms(text))]
    )
    ArticleTag.objects.filter(article=article).delete()
    ArticleTag.objects.bulk_create([ArticleTag(article=article, name=t) for t in article.tags])


@dataclass(frozen=True)
class ArticleSaved:
    article: Article
    notices: list[str]


@transaction.atomic
def article_save(
    *,
    by: User,
    section: str,
    title: str,
    summary: str,
    body: str,
    tags: str,
    uploads: Sequence[UploadedFile] = (),
    article: Article | None = None,
) -> ArticleSaved:
    """Create or edit a draft; the body is rendered and sanitised, and the author told what was
    removed. Attachments pass intake's content checks and metadata stripping."""
    if article is not None and article.status != PublicationStatus.DRAFT:
        raise PublicityError(_("只有草稿可以修改；已提交的内容请先退回或撤回"))
    if section not in Section.values:
        raise PublicityError(_("请选择栏目"), field="section")
    rendered = markdown_render(body)
    prepared = []
    for upload in uploads:
        try:
            prepared.append(attachment_prepare(upload, strip_metadata=True, heic_as_jpeg=True))
        except IntakeError as error:
            raise PublicityError(error.message, field="attachments") from None
    created = article is None
    if article is None:
        article = Article(org=_commission(by), created_by=by)
    article.section = section
    article.title = title.strip()
    article.summary = summary.strip()
    article.body_markdown = body
    article.body_html = rendered.html
    article.sanitise_notices = rendered.notices
    article.tags = _tags(tags)
    article.save()
    _index(article)
    for file in prepared:
        ArticleAttachment.objects.create(
            article=article,
            name=file.original_name,
            mime=file.file_type.mime,
            size=len(file.data),
            data=file.data,
        )
    events.publication_saved_event(item=article, by=by, created=created, notices=rendered.notices)
    return ArticleSaved(article=article, notices=rendered.notices)


# --- 民生资金 disclosures ---------------------------------------------------------------------------


def _digest_key() -> bytes:
    return hashlib.sha256(("publicity.lookup:" + settings.SECRET_KEY).encode()).digest()


def lookup_digest(person_id: str, name: str) -> str:
    return disclosure_plan.lookup_digest(_digest_key(), person_id, name)


def disclosure_options(*, by: User, package_id: int) -> dict[str, list[str]]:
    """The programs (with a standard) and villages a package offers."""
    package = access_package_by_id(by, package_id)
    return disclosure_plan.available(
        benefits=leads_selectors.package_dataset_rows(package=package, dataset="benefits"),
        orgs=leads_selectors.package_dataset_rows(package=package, dataset="orgs"),
        standards=leads_selectors.package_dataset_rows(package=package, dataset="standards"),
    )


@transaction.atomic
def disclosure_create(
    *, by: User, package_id: int, title: str, programs: list[str], village_codes: list[str] | None
) -> Disclosure:
    """A draft disclosure built from the package: lines for the chosen programs and villages;
    unknown villages and programs (and payments placed in no village) are listed, not published."""
    package = access_package_by_id(by, package_id)
    if not package.is_ready:
        raise PublicityError(_("数据包尚未导入完成"), field="package")
    rows = {
        name: leads_selectors.package_dataset_rows(package=package, dataset=name)
        for name in ("benefits", "orgs", "standards", "persons")
    }
    missing = [name for name in ("benefits", "orgs", "standards") if not rows[name]]
    if missing:
        raise PublicityError(
            _("数据包缺少数据集：%(names)s，无法公开民生资金") % {"names": "、".join(missing)},
            field="package",
        )
    if not programs:
        raise PublicityError(_("请至少选择一个补贴项目"), field="programs")
    planned = disclosure_plan.plan(
        benefits=rows["benefits"],
        orgs=rows["orgs"],
        standards=rows["standards"],
        persons=rows["persons"],
        programs=programs,
        village_codes=village_codes,
        digest_key=_digest_key(),
    )
    disclosure = Disclosure.objects.create(
        org=_commission(by),
        created_by=by,
        title=title.strip() or package.name,
        package_id=package.pk,
        package_name=package.name,
        programs=programs,
        village_codes=village_codes or [],
        problems=planned.problems,
        standards=planned.standards,
        line_count=len(planned.lines),
    )
    totals = disclosure_plan.totals(planned.lines)
    by_village = {}
    for code, village in planned.villages.items():
        village_totals = totals.get(code, [])
        by_village[code] = DisclosureVillage.objects.create(
            disclosure=disclosure,
            code=code,
            name=village.name,
            town=village.town,
            line_count=sum(t["count"] for t in village_totals),
            total_cents=sum(t["cents"] for t in village_totals),
            totals=village_totals,
        )
    DisclosureLine.objects.bulk_create(
        [
            DisclosureLine(
                village=by_village[line.village],
                reference=f"MS{disclosure.pk}-{index:06d}",
                program=line.program,
                masked_name=line.masked_name,
                household_size=line.household_size,
                amount_cents=line.amount_cents,
                period=line.period,
                approver=line.approver[:200],
                lookup_digest=line.lookup_digest,
            )
            for index, line in enumerate(planned.lines, start=1)
        ],
        batch_size=2000,
    )
    events.publication_saved_event(item=disclosure, by=by, created=True, notices=[])
    return disclosure


@transaction.atomic
def lookup_count() -> None:
    """The self look-up's only trace: one more on today's counter."""
    today = timezone.localdate()
    if not LookupCounter.objects.filter(day=today).update(count=F("count") + 1):
        LookupCounter.objects.get_or_create(day=today, defaults={"count": 0})
        LookupCounter.objects.filter(day=today).update(count=F("count") + 1)


# --- questions from the public ------------------------------------------------------------------------


def question_code_digest(code: str) -> str:
    key = hashlib.sha256(("publicity.question:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, "".join(code.split()).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class QuestionAsked:
    question: Question
    code: str


@transaction.atomic
def question_ask(*, kind: str, title: str, body: str) -> QuestionAsked:
    org = public_commission()
    if org is None:
        raise PublicityError(_("本网站尚未设置纪委监委机构，暂不能留言"))
    if kind not in QuestionKind.values:
        raise PublicityError(_("请选择留言类型"), field="kind")
    code = f"{secrets.randbelow(10**12):012d}"
    due = add_working_days(timezone.localdate(), ANSWER_WORKING_DAYS)
    question = Question.objects.create(
        org=org,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        code_digest=question_code_digest(code),
        due_at=timezone.make_aware(dt.datetime.combine(due, dt.time(23, 59))),
    )
    return QuestionAsked(question=question, code=code)


def question_answer_read(code: str) -> Question | None:
    """The answered question of a code, or None: a wrong code, a question not yet answered and
    one not to be answered read the same, so a code's existence is not revealed."""
    digits = "".join(code.split())
    if not digits.isdigit():
        return None
    return (
        Question.objects.filter(
            code_digest=question_code_digest(digits),
            status__in=[QuestionStatus.ANSWERED, QuestionStatus.PUBLISHED],
        )
        .exclude(answer="")
        .first()
    )


@transaction.atomic
def question_answer(
    *, question: Question, by: User, answer: str, publish: bool, public_title: str = "", public_body: str = ""
) -> Question:
    """Answer a question; chosen for 留言选登, it is published with its text anonymised."""
    if not by.has_role(*QUESTION_ROLES):
        raise PublicityError(_("您的角色不能答复留言"))
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if not answer.strip():
        raise PublicityError(_("请填写答复内容"), field="answer")
    now = timezone.now()
    locked.answer = answer.strip()
    locked.answered_by = by
    locked.answered_at = locked.answered_at or now
    locked.status = QuestionStatus.ANSWERED
    if publish:
        locked.public_title = text_anonymise(public_title.strip() or locked.title)
        locked.public_body = text_anonymise(public_body.strip() or locked.body)
        locked.status = QuestionStatus.PUBLISHED
        locked.published_at = now
        generation_bump()
    elif question.status == QuestionStatus.PUBLISHED:
        generation_bump()  # taken off the public list
    locked.save()
    events.question_answered_event(question=locked, by=by, published=publish)
    return locked


# --- statistics -------------------------------------------------------------------------------------


@transaction.atomic
def release_create(
    *,
    by: User,
    period_kind: str,
    start: dt.date,
    end: dt.date,
    title: str,
    tables: list[dict[str, object]],
    threshold: int,
) -> StatisticsRelease:
    return StatisticsRelease.objects.create(
        org=_commission(by),
        created_by=by,
        title=title,
        period_kind=period_kind,
        period_start=start,
        period_end=end,
        tables=tables,
        threshold=threshold,
    )
