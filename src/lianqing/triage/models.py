"""The stored first reading of each case, the handlers' decisions on it (the training data), the
models trained from them, and 舆情: imported public posts and the events they form."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianqing.cases.models import Case
from lianqing.core.models import Org, User


class Reading(models.Model):
    """What the worker read in a case's text; the page shows it and never runs the model."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="+")
    text_hash = models.CharField(max_length=64)
    category = models.CharField(_("建议类别"), max_length=24)
    confidence = models.FloatField(_("把握"))
    model_version = models.CharField(_("模型版本"), max_length=64)
    persons = models.JSONField(default=list)  # dossiers.text_mentions_suggest rows
    amounts = models.JSONField(default=list)
    largest_amount = models.FloatField(null=True)
    dates = models.JSONField(default=list)
    places = models.JSONField(default=list)
    duplicates = models.JSONField(default=list)  # [{case_id, number, kind: copy|same_person, name}]
    jurisdiction = models.JSONField(default=dict)
    priority = models.JSONField(default=list)  # [{code, points, detail}]
    priority_total = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.case_id}: {self.category}"


class Field(models.TextChoices):
    CATEGORY = "category", _("问题类别")
    PERSON = "person", _("人员")
    AMOUNT = "amount", _("金额")
    DUPLICATE = "duplicate", _("重复件")
    JURISDICTION = "jurisdiction", _("管辖")
    PRIORITY = "priority", _("优先级")


class Feedback(models.Model):
    """One accept or correction of a suggestion: labelled training data, kept for good.

    The text is referenced (case and its hash at the time), not copied."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    text_hash = models.CharField(max_length=64)
    field = models.CharField(_("项目"), max_length=16, choices=Field.choices)
    item = models.CharField(max_length=100, blank=True)  # which person/duplicate; empty for category
    predicted = models.CharField(_("建议"), max_length=200, blank=True)
    corrected = models.CharField(_("更正为"), max_length=200, blank=True)
    is_accepted = models.BooleanField(_("采纳"))
    model_version = models.CharField(max_length=64, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["field", "decided_at"], name="triage_feedback_field_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.field}: {self.predicted} → {self.corrected}"

    @property
    def label(self) -> str:
        return self.predicted if self.is_accepted else self.corrected


class ModelStatus(models.TextChoices):
    ACTIVE = "active", _("使用中")
    RETIRED = "retired", _("已替换")
    SKIPPED = "skipped", _("未训练")


class ModelVersion(models.Model):
    """A model trained in the worker: a plain-array .npz in the instance folder, never a pickle."""

    version = models.CharField(max_length=64, unique=True)
    filename = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=ModelStatus.choices)
    trained_on = models.PositiveIntegerField(default=0)
    held_out = models.PositiveIntegerField(default=0)
    quality = models.JSONField(default=dict)  # {category: {precision, recall, f1, support}, "_macro_f1": x}
    baseline_quality = models.JSONField(default=dict)  # the model it replaces, on the same held-out reports
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.version


class PostImport(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("文件"), max_length=200)
    post_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [{row, reason}]
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename


class EventStatus(models.TextChoices):
    OPEN = "open", _("待研判")
    CONVERTED = "converted", _("已转问题线索")
    DISMISSED = "dismissed", _("已排除")


class PostEvent(models.Model):
    post_import = models.ForeignKey(PostImport, on_delete=models.CASCADE, related_name="events")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("类别"), max_length=24)
    targets = models.JSONField(default=list)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    largest_amount = models.FloatField(null=True)
    status = models.CharField(_("状态"), max_length=12, choices=EventStatus.choices, default=EventStatus.OPEN)
    reason = models.TextField(_("排除理由"), blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_at"]

    def __str__(self) -> str:
        return "、".join(self.targets)


class PublicPost(models.Model):
    post_import = models.ForeignKey(PostImport, on_delete=models.CASCADE, related_name="posts")
    event = models.ForeignKey(
        PostEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    row = models.PositiveIntegerField()
    posted_at = models.DateTimeField()
    platform = models.CharField(max_length=50, blank=True)
    author = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    url = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["posted_at"]

    def __str__(self) -> str:
        return f"{self.platform} {self.author}"
