"""Work on the registry: linking mentions to cadres, and 党风廉政意见回复."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianqing.core.models import Org, User

from .registry import Cadre


class MentionSource(models.TextChoices):
    CASE_PERSON = "case_person", _("被反映人")


class LinkStatus(models.TextChoices):
    SUGGESTED = "suggested", _("待确认")
    ABSTAINED = "abstained", _("有多个候选")
    UNMATCHED = "unmatched", _("未找到")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已否定")


DECIDED_STATUSES = (LinkStatus.CONFIRMED, LinkStatus.REJECTED)


class MentionLink(models.Model):
    """The resolver's suggestion for one mention and the handler's decision, kept for good.

    One row per mention (unique): a decided mention is never suggested or asked again.
    """

    source = models.CharField(max_length=16, choices=MentionSource.choices)
    mention_id = models.PositiveBigIntegerField()
    case_id = models.PositiveBigIntegerField(db_index=True)
    name = models.CharField(_("姓名"), max_length=64)
    org_text = models.CharField(_("单位"), max_length=200, blank=True)
    position_text = models.CharField(_("职务"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=LinkStatus.choices)
    suggested = models.ForeignKey(Cadre, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    score = models.FloatField(_("匹配度"), null=True, blank=True)
    reasons = models.JSONField(_("理由"), default=list, blank=True)
    candidates = models.JSONField(_("候选人"), default=list, blank=True)  # [{cadre_id, score}]
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("关联干部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="links",
    )
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "mention_id"], name="dossiers_one_link_per_mention")
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.cadre_id or self.suggested_id}"

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES


class OpinionStatus(models.TextChoices):
    DRAFTING = "drafting", _("拟稿中")
    SUBMITTED = "submitted", _("待领导审批")
    APPROVED = "approved", _("已审批")


class OpinionConclusion(models.TextChoices):
    NO_PROBLEM = "no_problem", _("未发现问题")
    NOT_AFFECTING = "not_affecting", _("有问题但不影响使用")
    POSTPONE = "postpone", _("暂缓")
    DISAGREE = "disagree", _("不同意")


class OpinionRequest(models.Model):
    """A 党风廉政意见回复 request of the organisation department: cadres and a look-back window."""

    number = models.CharField(_("编号"), max_length=32, unique=True, null=True, blank=True)
    requester = models.CharField(_("征求单位"), max_length=200)
    letter_number = models.CharField(_("来函文号"), max_length=100, blank=True)
    purpose = models.CharField(_("事由"), max_length=200)
    lookback_years = models.PositiveSmallIntegerField(_("回溯年限"), default=3)
    received_on = models.DateField(_("收函日期"))
    due_on = models.DateField(_("回复期限"))
    status = models.CharField(_("状态"), max_length=12, choices=OpinionStatus.choices, default="drafting")
    org = models.ForeignKey(Org, verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("党风廉政意见回复")
        verbose_name_plural = _("党风廉政意见回复")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class OpinionItem(models.Model):
    request = models.ForeignKey(OpinionRequest, on_delete=models.CASCADE, related_name="items")
    cadre = models.ForeignKey(Cadre, verbose_name=_("干部"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    conclusion = models.CharField(_("回复意见"), max_length=16, choices=OpinionConclusion.choices, blank=True)
    text = models.TextField(_("回复内容"), blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "cadre"], name="dossiers_opinion_cadre_once")
        ]

    def __str__(self) -> str:
        return f"{self.request} {self.cadre}"


class OpinionSettings(models.Model):
    """Time limit of a reply (one row, editable in the admin)."""

    reply_days = models.PositiveSmallIntegerField(_("回复时限（工作日）"), default=10)
    due_soon_days = models.PositiveSmallIntegerField(_("临期提醒（工作日）"), default=2)

    class Meta:
        verbose_name = _("意见回复时限")
        verbose_name_plural = _("意见回复时限")

    def __str__(self) -> str:
        return str(_("意见回复时限"))
