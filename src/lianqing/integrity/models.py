"""廉情分析: the integrity index month by month, the early warnings and their disposition.

Everything here is computed by the daily run (`services.integrity_refresh`) from what the other apps
expose through their selectors, with `lianqing.analytics.trends`; only the disposition of a warning
(预警 → 核实 → 整改 → 销号), the index configuration versions and the district map are entered by
people. Every row carries the `org` whose jurisdiction sees it (core.access, like the registry).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianqing.core.models import Org, User


class SubjectKind(models.TextChoices):
    UNIT = "unit", _("单位")
    CADRE = "cadre", _("干部")


class Colour(models.TextChoices):
    GREEN = "绿", _("绿")
    YELLOW = "黄", _("黄")
    ORANGE = "橙", _("橙")
    RED = "红", _("红")


class IndexConfigVersion(models.Model):
    """One version of the index's indicators, weights and colour thresholds (the YAML the library
    reads). Editing makes a new version; the shipped default is the version when there is none."""

    version = models.CharField(_("版本"), max_length=32, unique=True)
    text = models.TextField(_("配置"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("廉情指数配置")
        verbose_name_plural = _("廉情指数配置")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.version


class IndexScore(models.Model):
    """The 廉情指数 of a unit or cadre for one month (the last run of that month), with the
    explained deductions: [{indicator, name, points, items: ["case:12", …]}]."""

    subject_kind = models.CharField(_("对象类型"), max_length=8, choices=SubjectKind.choices)
    subject_id = models.CharField(_("对象"), max_length=64)  # unit code, or the cadre's id
    subject_name = models.CharField(_("名称"), max_length=200)
    unit_code = models.CharField(_("单位代码"), max_length=64, blank=True)  # the cadre's unit
    org = models.ForeignKey(Org, verbose_name=_("所属辖区"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))  # first day of the month
    score = models.FloatField(_("指数"))
    colour = models.CharField(_("颜色"), max_length=2, choices=Colour.choices)
    version = models.CharField(_("配置版本"), max_length=32)
    deductions = models.JSONField(_("扣分明细"), default=list, blank=True)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("廉情指数")
        verbose_name_plural = _("廉情指数")
        ordering = ["score", "subject_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id", "month"], name="integrity_score_once"
            )
        ]
        indexes = [models.Index(fields=["month", "subject_kind", "score"], name="integrity_score_month")]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.month:%Y-%m} {self.score:g}"


class WarningKind(models.TextChoices):
    RISE = "苗头性", _("苗头性")
    TREND = "倾向性", _("倾向性")
    BURST = "集中", _("集中")


class WarningStatus(models.TextChoices):
    WARNED = "warned", _("预警")
    VERIFYING = "verifying", _("核实中")
    RECTIFYING = "rectifying", _("整改中")
    CLOSED = "closed", _("已销号")


class Warning(models.Model):
    """One warning of the statistical model for a series (unit × category × region) and month.

    The figures are the model's (refreshed by the daily run, which never changes an earlier
    month's result); the status, owner and reasons are the disposition (one transition function,
    services.warning_transition)."""

    kind = models.CharField(_("预警类型"), max_length=8, choices=WarningKind.choices)
    unit_code = models.CharField(_("单位代码"), max_length=64, blank=True)
    unit_name = models.CharField(_("单位"), max_length=200, blank=True)
    category = models.CharField(_("问题类别"), max_length=32)
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    month = models.DateField(_("月份"))
    observed = models.IntegerField(_("实际件数"))
    expected = models.FloatField(_("预期件数"))
    band_low = models.FloatField(_("预期区间下限"), default=0)
    band_high = models.FloatField(_("预期区间上限"), default=0)
    score = models.FloatField(_("显著程度"))
    explanation = models.TextField(_("说明"))
    items = models.JSONField(_("相关事项"), default=list, blank=True)  # ["case:12", "hit:9", …]
    history = models.JSONField(_("月度序列"), default=list, blank=True)  # [["2026-01", 2], …]
    org = models.ForeignKey(Org, verbose_name=_("所属辖区"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("处置状态"), max_length=12, choices=WarningStatus.choices, default=WarningStatus.WARNED
    )
    owner = models.ForeignKey(
        User, verbose_name=_("责任人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)  # bumped by every transition
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-month", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_code", "category", "region_code", "kind", "month"],
                name="integrity_warning_once",
            )
        ]
        indexes = [models.Index(fields=["status", "month"], name="integrity_warning_status")]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_name or self.region_code} {self.month:%Y-%m}"

    @property
    def is_open(self) -> bool:
        return self.status != WarningStatus.CLOSED


ACTION_LABELS = {
    "assign": _("指定责任人"),
    "verify": _("开始核实"),
    "rectify": _("转入整改"),
    "close": _("销号"),
}


class WarningEvent(models.Model):
    """The disposition record of a warning: who did what, when, and why."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.warning_id} {self.action}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class ActivityMonth(models.Model):
    """How many reports, leads and 疑点 a jurisdiction org received in a month (the cockpit's
    "this month against the baseline", read without touching other apps' tables)."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    source = models.CharField(max_length=8)  # report | lead | hit
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "month", "source"], name="integrity_activity_once")
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.month:%Y-%m} {self.source} {self.count}"


class DistrictMap(models.Model):
    """The district's GeoJSON, uploaded by the operator, for the cockpit's map (ECharts registerMap);
    features are matched to units by `properties.name` or `properties.code`."""

    org = models.OneToOneField(Org, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("文件名"), max_length=200)
    geojson = models.TextField()
    features = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("辖区地图")
        verbose_name_plural = _("辖区地图")

    def __str__(self) -> str:
        return self.name


class RefreshRun(models.Model):
    """One daily run: when, as of which day, with which configuration, and what it found."""

    as_of = models.DateField()
    version = models.CharField(max_length=32)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.as_of} {self.version}"
