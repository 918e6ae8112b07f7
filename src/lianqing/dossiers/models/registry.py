"""廉政档案: the registry of cadres and units, and what the commission knows about each.

The registry is filled from data packages (`officials`, `relatives`, `orgs`, `persons`,
`declarations`) by `services_import`, and by forms for what no department exports (sanctions,
talks, findings, 考核). Identity is the 公民身份号码: the registry never holds a person twice.
Every cadre and unit belongs to an `org` of the org tree (the commission or body whose registry
it is), and core.access scopes files by that org, like cases and leads.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianqing.cases.deadlines import add_months
from lianqing.core.models import Org, User


class Unit(models.Model):
    """A 单位: one of the org tree's (when `tree_org` is set) or an external unit from a package."""

    code = models.CharField(_("单位代码"), max_length=64, unique=True)
    name = models.CharField(_("单位名称"), max_length=200)
    parent_code = models.CharField(_("上级单位代码"), max_length=64, blank=True)
    kind = models.CharField(_("单位类型"), max_length=32, blank=True)
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    org = models.ForeignKey(Org, verbose_name=_("所属辖区"), on_delete=models.PROTECT, related_name="+")
    tree_org = models.ForeignKey(
        Org, verbose_name=_("对应机构"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Cadre(models.Model):
    person_id = models.CharField(_("公民身份号码"), max_length=18, blank=True)
    name = models.CharField(_("姓名"), max_length=64, db_index=True)
    gender = models.CharField(_("性别"), max_length=4, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    org = models.ForeignKey(Org, verbose_name=_("所属辖区"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("现任职单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.CharField(_("现任职务"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("干部")
        verbose_name_plural = _("干部")
        ordering = ["name", "id"]
        permissions = [("view_dossier", _("查阅廉政档案")), ("reply_opinion", _("办理党风廉政意见回复"))]
        constraints = [
            models.UniqueConstraint(
                fields=["person_id"], condition=~Q(person_id=""), name="dossiers_one_cadre_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id(self) -> str:
        return f"{self.person_id[:6]}********{self.person_id[-4:]}" if len(self.person_id) == 18 else "—"


class Post(models.Model):
    """One 任职: a post that ends is closed (end_date), never deleted."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="posts")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="posts")
    position = models.CharField(_("职务"), max_length=100, blank=True)
    rank = models.CharField(_("职级"), max_length=64, blank=True)
    category = models.CharField(_("人员类别"), max_length=16, blank=True)
    is_leader = models.BooleanField(_("领导职务"), default=False)
    start_date = models.DateField(_("任职日期"), null=True, blank=True)
    end_date = models.DateField(_("离任日期"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("任职经历")
        verbose_name_plural = _("任职经历")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.position}"


class CadreChange(models.Model):
    """History: one row per changed field of a cadre or post, kept when an import updates it."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("字段"), max_length=64)
    old_value = models.CharField(_("原值"), max_length=200, blank=True)
    new_value = models.CharField(_("新值"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    changed_at = models.DateTimeField(_("变更时间"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"


class Relative(models.Model):
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="relatives")
    relative_id = models.CharField(_("公民身份号码"), max_length=18, blank=True)
    name = models.CharField(_("姓名"), max_length=64)
    relation = models.CharField(_("关系"), max_length=16, blank=True)
    businesses = models.JSONField(_("经商办企业"), default=list, blank=True)  # from companies/shareholders
    source = models.CharField(_("来源"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "relative_id", "name"], name="dossiers_relative_once")
        ]

    def __str__(self) -> str:
        return self.name


class Declaration(models.Model):
    """One item of a 个人有关事项报告."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="declarations")
    declaration_id = models.CharField(_("报告编号"), max_length=64, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    declared_on = models.DateField(_("报告日期"), null=True, blank=True)
    item_type = models.CharField(_("事项类别"), max_length=16)
    item_desc = models.TextField(_("事项内容"), blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "item_type", "id"]

    def __str__(self) -> str:
        return f"{self.year} {self.item_type}"


class SanctionKind(models.TextChoices):
    PARTY_WARNING = "party_warning", _("党内警告")
    PARTY_SERIOUS_WARNING = "party_serious_warning", _("党内严重警告")
    PARTY_POST_REMOVAL = "party_post_removal", _("撤销党内职务")
    PROBATION_1 = "probation_1", _("留党察看一年")
    PROBATION_2 = "probation_2", _("留党察看二年")
    EXPULSION = "expulsion", _("开除党籍")
    GOV_WARNING = "gov_warning", _("警告（政务处分）")
    GOV_DEMERIT = "gov_demerit", _("记过")
    GOV_MAJOR_DEMERIT = "gov_major_demerit", _("记大过")
    GOV_DEMOTION = "gov_demotion", _("降级")
    GOV_DISMISSAL_FROM_POST = "gov_dismissal_from_post", _("撤职")
    GOV_EXPULSION = "gov_expulsion", _("开除")
    ADMONITION = "admonition", _("诫勉")
    TRANSFER = "transfer", _("调离岗位")
    ORDERED_RESIGNATION = "ordered_resignation", _("责令辞职")
    REMOVAL = "removal", _("免职")
    POST_DEMOTION = "post_demotion", _("降职")


# 影响期 in months from the decision (None: for good). 政务处分法 第22条 (警告6、记过12、记大过18、
# 降级撤职24); 纪律处分条例 第10、11条 (警告一年、严重警告一年半、撤销党内职务二年、留党察看期满
# 恢复党员权利后二年); 党政领导干部选拔任用工作条例 第28条 (诫勉六个月, 调离岗位、责令辞职、免职一年,
# 降职二年).
IMPACT_MONTHS: dict[str, int | None] = {
    SanctionKind.PARTY_WARNING: 12,
    SanctionKind.PARTY_SERIOUS_WARNING: 18,
    SanctionKind.PARTY_POST_REMOVAL: 24,
    SanctionKind.PROBATION_1: 36,
    SanctionKind.PROBATION_2: 48,
    SanctionKind.EXPULSION: None,
    SanctionKind.GOV_WARNING: 6,
    SanctionKind.GOV_DEMERIT: 12,
    SanctionKind.GOV_MAJOR_DEMERIT: 18,
    SanctionKind.GOV_DEMOTION: 24,
    SanctionKind.GOV_DISMISSAL_FROM_POST: 24,
    SanctionKind.GOV_EXPULSION: None,
    SanctionKind.ADMONITION: 6,
    SanctionKind.TRANSFER: 12,
    SanctionKind.ORDERED_RESIGNATION: 12,
    SanctionKind.REMOVAL: 12,
    SanctionKind.POST_DEMOTION: 24,
}


class Sanction(models.Model):
    """处分 or 组织处理; its 影响期 follows from the kind and the decision date."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(_("处分或处理种类"), max_length=32, choices=SanctionKind.choices)
    decided_on = models.DateField(_("决定日期"))
    decided_by = models.CharField(_("决定机关"), max_length=200, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    reason = models.TextField(_("事由"), blank=True)
    case_number = models.CharField(_("案件编号"), max_length=32, blank=True)
    entered_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("处分与组织处理")
        verbose_name_plural = _("处分与组织处理")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def impact_until(self) -> dt.date | None:
        months = IMPACT_MONTHS[self.kind]
        return None if months is None else add_months(self.decided_on, months)

    def in_impact_period(self, on: dt.date) -> bool:
        until = self.impact_until
        return until is None or on < until


class RecordKind(models.TextChoices):
    TALK = "talk", _("谈话")
    INQUIRY = "inquiry", _("函询")
    INTEGRITY_TALK = "integrity_talk", _("廉政谈话")
    ACCOUNTABILITY_REPORT = "accountability_report", _("述责述廉")
    ASSESSMENT = "assessment", _("年度考核")
    REWARD = "reward", _("奖励")
    PUNISHMENT = "punishment", _("惩戒")
    INSPECTION_FINDING = "inspection_finding", _("巡察发现问题")
    AUDIT_FINDING = "audit_finding", _("审计发现问题")


RECORD_GROUPS: dict[str, tuple[str, ...]] = {
    "talks": (RecordKind.TALK, RecordKind.INQUIRY),
    "integrity": (RecordKind.INTEGRITY_TALK, RecordKind.ACCOUNTABILITY_REPORT),
    "assessments": (RecordKind.ASSESSMENT, RecordKind.REWARD, RecordKind.PUNISHMENT),
    "findings": (RecordKind.INSPECTION_FINDING, RecordKind.AUDIT_FINDING),
}


class Record(models.Model):
    """A 谈话/函询, 述责述廉/廉政谈话, 考核/奖惩 or 巡察/审计 finding, about a cadre or a unit."""

    kind = models.CharField(_("类别"), max_length=24, choices=RecordKind.choices)
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("干部"), null=True, blank=True, on_delete=models.CASCADE, related_name="records"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.CASCADE, related_name="records"
    )
    happened_on = models.DateField(_("日期"))
    title = models.CharField(_("事项"), max_length=200)
    result = models.CharField(_("结果或等次"), max_length=100, blank=True)
    content = models.TextField(_("情况"), blank=True)
    source_ref = models.CharField(_("来源文号"), max_length=200, blank=True)
    is_resolved = models.BooleanField(_("已整改或了结"), default=True)
    entered_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("档案记录")
        verbose_name_plural = _("档案记录")
        ordering = ["-happened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cadre__isnull=False) | Q(unit__isnull=False), name="dossiers_record_has_subject"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ImportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("更新中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class RegistryImport(models.Model):
    """One run of the registry import from a data package, with what it changed and found."""

    package_id = models.PositiveBigIntegerField(_("数据包"))
    package_name = models.CharField(_("数据包名称"), max_length=200)
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=16, choices=ImportState.choices, default=ImportState.QUEUED
    )
    counts = models.JSONField(_("统计"), default=dict, blank=True)
    problems = models.JSONField(_("问题"), default=list, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.package_name} #{self.pk}"
