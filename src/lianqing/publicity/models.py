"""阳光纪检: what the commission publishes (articles, 民生资金 disclosures, statistics), the
public's questions, and the one timeline of every publication step.

Everything published goes through one state machine (`workflow.py`): draft → review → approved
(visible from its `publish_at`) → withdrawn. Published text is stored sanitised; no table here
holds an ID number: a disclosure line keeps a keyed digest of (ID number, name) for the
self look-up, and the masked name.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqing.core.models import Org, User


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    APPROVED = "approved", _("已批准发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Publishable(models.Model):
    """The fields the state machine moves. `publish_at` is when an approved item appears."""

    org = models.ForeignKey(Org, verbose_name=_("发布机关"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=16, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    publish_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return (
            self.status == PublicationStatus.APPROVED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )


class Section(models.TextChoices):
    NEWS = "news", _("工作动态")
    NOTICE = "notice", _("通知公告")
    POLICY = "policy", _("政策法规")
    PARTY = "party", _("党务公开")
    EXPOSURE = "exposure", _("通报曝光")


class Article(Publishable):
    section = models.CharField(_("栏目"), max_length=16, choices=Section.choices)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body_markdown = models.TextField(_("正文"))
    body_html = models.TextField(_("正文（净化后）"), blank=True)
    sanitise_notices = models.JSONField(default=list, blank=True)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    withdraw_reason = models.TextField(_("撤回理由"), blank=True)

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["status", "section", "publish_at"])]

    def __str__(self) -> str:
        return self.title


class ArticleTerm(models.Model):
    """The search index: one row per (article, segmented term); a query's terms all must match."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "term"], name="publicity_term_once")]

    def __str__(self) -> str:
        return self.term


class ArticleTag(models.Model):
    """The article's tags as rows too, so that a tag's list is one indexed query."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="tag_rows")
    name = models.CharField(max_length=32, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "name"], name="publicity_tag_once")]

    def __str__(self) -> str:
        return self.name


class ArticleAttachment(models.Model):
    """A file published with an article, checked and cleaned by intake's attachment functions."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    mime = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PublicationStep(models.Model):
    """The timeline of every publication: who moved what from which status, when and why."""

    object_type = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id} {self.action}"


class Disclosure(Publishable):
    """民生资金公开 from one data package: the programs and villages the commission chose."""

    title = models.CharField(_("标题"), max_length=200)
    package_id = models.PositiveBigIntegerField(_("数据包"))
    package_name = models.CharField(_("数据包名称"), max_length=200)
    programs = models.JSONField(_("公开项目"), default=list)
    village_codes = models.JSONField(_("公开村（社区）"), default=list)
    problems = models.JSONField(_("问题"), default=list, blank=True)  # what was not published and why
    standards = models.JSONField(_("补贴标准"), default=list, blank=True)
    line_count = models.PositiveIntegerField(default=0)
    withdraw_reason = models.TextField(_("撤回理由"), blank=True)

    class Meta:
        verbose_name = _("民生资金公开")
        verbose_name_plural = _("民生资金公开")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DisclosureVillage(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="villages")
    code = models.CharField(_("村（社区）代码"), max_length=32)
    name = models.CharField(_("村（社区）"), max_length=200)
    town = models.CharField(_("乡镇（街道）"), max_length=200, blank=True)
    line_count = models.PositiveIntegerField(default=0)
    total_cents = models.BigIntegerField(default=0)
    totals = models.JSONField(default=list)  # [{program, period, count, cents}]

    class Meta:
        ordering = ["town", "name", "code"]
        constraints = [models.UniqueConstraint(fields=["disclosure", "code"], name="publicity_village_once")]

    def __str__(self) -> str:
        return self.name


class DisclosureLine(models.Model):
    """One benefit paid, as published: masked name, never the ID number."""

    village = models.ForeignKey(DisclosureVillage, on_delete=models.CASCADE, related_name="lines")
    reference = models.CharField(max_length=24, unique=True)  # what a 我有疑问 report carries
    program = models.CharField(_("项目"), max_length=64)
    masked_name = models.CharField(_("姓名"), max_length=32)
    household_size = models.PositiveSmallIntegerField(_("家庭人口"), null=True)
    amount_cents = models.BigIntegerField(_("金额"))
    period = models.CharField(_("所属期"), max_length=7)
    approver = models.CharField(_("审批单位"), max_length=200)
    lookup_digest = models.CharField(max_length=64, db_index=True)  # HMAC of ID number and name

    class Meta:
        ordering = ["program", "-period", "id"]
        indexes = [models.Index(fields=["village", "program", "period"])]

    def __str__(self) -> str:
        return self.reference


class StatisticsRelease(Publishable):
    """A month's or quarter's figures as published: suppressed tables, frozen at approval."""

    title = models.CharField(_("标题"), max_length=200)
    period_kind = models.CharField(max_length=8)  # month | quarter
    period_start = models.DateField()
    period_end = models.DateField()
    threshold = models.PositiveSmallIntegerField(default=5)
    tables = models.JSONField(default=list)
    withdraw_reason = models.TextField(_("撤回理由"), blank=True)

    class Meta:
        ordering = ["-period_start", "-id"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SUGGESTION = "suggestion", _("意见建议")
    CONSULTATION = "consultation", _("咨询")


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")
    PUBLISHED = "published", _("已选登")
    REJECTED = "rejected", _("不予答复")


class Question(models.Model):
    """A question from the public. The asker keeps a code to read the answer; no contact data."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=QuestionKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    code_digest = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.OPEN)
    due_at = models.DateTimeField(_("答复期限"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    public_title = models.CharField(_("选登标题"), max_length=100, blank=True)
    public_body = models.TextField(_("选登内容（已隐去个人信息）"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class PublicationGeneration(models.Model):
    """One row: bumped on every publish or withdrawal, so every web worker's cache moves on."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)


class LookupCounter(models.Model):
    """How many self look-ups a day had: the only trace a look-up leaves."""

    day = models.DateField(unique=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.count}"
