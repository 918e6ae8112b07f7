"""Data packages, scan runs and their hits (疑点).

Scoping: a package belongs to the org of the analyst who registered it, and its runs and hits
belong to that same org. Jurisdiction (core.access) is applied to that `org` field, so an
analyst of a township sees that township's packages and hits, a commission leader sees all.
`region_code` of a hit is where the data says it happened (the subject's region in the
package) when the package tells, else the package org's region.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianqing.core.models import Org, User


class PackageSource(models.TextChoices):
    UPLOAD = "upload", _("上传压缩包")
    FOLDER = "folder", _("数据目录")
    DEMO = "demo", _("演示数据")


class ImportStatus(models.TextChoices):
    IMPORTING = "importing", _("导入中")
    READY = "ready", _("已导入")
    FAILED = "failed", _("导入失败")


class DataPackage(models.Model):
    name = models.CharField(_("名称"), max_length=200)
    org = models.ForeignKey(Org, verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=16, choices=PackageSource.choices)
    source_name = models.CharField(_("原始文件或文件夹"), max_length=300, blank=True)
    path = models.CharField(_("数据包目录"), max_length=500, unique=True)
    as_of = models.DateField(_("数据截止日期"), null=True, blank=True)
    datasets = models.JSONField(_("数据集"), default=dict)  # dataset -> rows
    manifest = models.JSONField(_("清单"), default=dict)
    import_report = models.JSONField(_("导入报告"), default=dict)
    # The import runs in the worker: a package is scannable once READY; FAILED keeps the reason.
    import_status = models.CharField(
        _("导入状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.READY
    )
    import_error = models.TextField(_("导入错误"), blank=True)
    # Set by the one task delivery that claimed the import (see services.package_import_claim).
    import_started_at = models.DateTimeField(_("开始导入时间"), null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("数据包")
        verbose_name_plural = _("数据包")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_importing(self) -> bool:
        return self.import_status == ImportStatus.IMPORTING

    @property
    def is_ready(self) -> bool:
        return self.import_status == ImportStatus.READY


class ScanStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("扫描中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")
    CANCELLED = "cancelled", _("已取消")


ACTIVE_SCAN_STATUSES = (ScanStatus.QUEUED, ScanStatus.RUNNING)


class ScanRun(models.Model):
    package = models.ForeignKey(DataPackage, on_delete=models.PROTECT, related_name="runs")
    org = models.ForeignKey(Org, verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="+")
    engine = models.CharField(_("引擎"), max_length=16, default="duckdb")
    rules = models.JSONField(_("规则"), default=list, blank=True)  # empty: the whole library
    params = models.JSONField(_("参数"), default=dict, blank=True)
    as_of = models.DateField(_("检查日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ScanStatus.choices, default=ScanStatus.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    current_rule = models.CharField(max_length=16, blank=True)
    is_cancel_requested = models.BooleanField(default=False)
    error = models.TextField(_("错误"), blank=True)
    summary = models.JSONField(_("扫描摘要"), default=dict, blank=True)
    previous_run = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hits_count = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    recurring_count = models.PositiveIntegerField(default=0)
    disappeared_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # last sign of life of the worker
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("扫描")
        verbose_name_plural = _("扫描")
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one queued or running scan per package: a second start fails on insert.
            models.UniqueConstraint(
                fields=["package"],
                condition=Q(status__in=["queued", "running"]),
                name="leads_one_active_scan_per_package",
            )
        ]
        indexes = [models.Index(fields=["org", "status", "finished_at"], name="leads_run_scope")]

    def __str__(self) -> str:
        return f"扫描 #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_SCAN_STATUSES

    @property
    def seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds(), 1)


class HitStatus(models.TextChoices):
    PENDING = "pending", _("待核查")
    EXCLUDED = "excluded", _("已排除")
    CONVERTED = "converted", _("已转线索")


class HitChange(models.TextChoices):
    NEW = "new", _("新出现")
    RECURRING = "recurring", _("再次出现")


class Severity(models.TextChoices):
    HIGH = "高", _("高")
    MEDIUM = "中", _("中")
    LOW = "低", _("低")


class Hit(models.Model):
    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="hits")
    org = models.ForeignKey(Org, verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    subject_org_code = models.CharField(_("涉及单位代码"), max_length=64, blank=True)
    subject_org_name = models.CharField(_("涉及单位"), max_length=200, blank=True)
    rule_id = models.CharField(_("规则"), max_length=8)
    rule_name = models.CharField(_("规则名称"), max_length=100)
    severity = models.CharField(_("风险等级"), max_length=2, choices=Severity.choices)
    subject_id = models.CharField(_("对象标识"), max_length=200)
    subject_name = models.CharField(_("对象名称"), max_length=200, blank=True)
    amount = models.DecimalField(_("涉及金额"), max_digits=18, decimal_places=2, null=True, blank=True)
    record_ids = models.TextField(_("证据记录"))
    explanation = models.TextField(_("说明"))
    fingerprint = models.CharField(max_length=64, db_index=True)
    change = models.CharField(_("变化"), max_length=12, choices=HitChange.choices, default=HitChange.NEW)
    status = models.CharField(_("状态"), max_length=12, choices=HitStatus.choices, default=HitStatus.PENDING)
    decision_reason = models.TextField(_("排除理由"), blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="leads_hits"
    )

    class Meta:
        verbose_name = _("疑点")
        verbose_name_plural = _("疑点")
        ordering = ["rule_id", "subject_id"]
        constraints = [models.UniqueConstraint(fields=["run", "fingerprint"], name="leads_hit_once_per_run")]
        indexes = [
            models.Index(fields=["run", "rule_id", "severity"], name="leads_hit_run_rule"),
            # The list's order, so a page of a million-hit scan is read off the index.
            models.Index(fields=["run", "rule_id", "-amount", "subject_id"], name="leads_hit_run_order"),
            models.Index(fields=["org", "fingerprint", "status"], name="leads_hit_decisions"),
            # A 区域 or 单位 filter finds its few thousand hits without walking the list's order.
            models.Index(
                fields=["run", "region_code"],
                name="leads_hit_run_region",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["run", "subject_org_code"],
                name="leads_hit_run_org",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.subject_name or self.subject_id}"

    @property
    def record_keys(self) -> list[str]:
        return [key for key in self.record_ids.split(";") if key]


class Tally(models.Model):
    """What every tally row shares: its scan, the filters every grain has, and the hits' count and
    money under them. Abstract: each grain is its own table with its own key."""

    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="+")
    run_id: int  # the stubs give an abstract model's foreign key no _id attribute
    severity = models.CharField(max_length=2)
    status = models.CharField(max_length=12)
    change = models.CharField(max_length=12)
    hits = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)

    # The field that names the row's grain in __str__ (the rule, or the unit).
    label_field = "rule_id"

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.run_id} {getattr(self, self.label_field)} {self.status} {self.hits}"


class HitTally(Tally):
    """How many hits of a scan share one combination of the list's filters, and their money.

    The hit list's summaries, counts and filter choices read these few rows instead of counting
    a province's million hits per page view. Built once when a scan's hits are stored; a
    decision moves one hit from 待核查 to its new status in the same transaction (leads.tally).
    """

    rule_id = models.CharField(max_length=8)
    rule_name = models.CharField(max_length=100)
    region_code = models.CharField(max_length=12, blank=True)
    subject_org_code = models.CharField(max_length=64, blank=True)
    subject_org_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "rule_id", "severity", "status", "change", "region_code", "subject_org_code"],
                name="leads_tally_key",
            )
        ]
        indexes = [
            # A 区域 or 单位 filter reads only its own rows (prefix match: pattern operators on PostgreSQL).
            models.Index(
                fields=["run", "region_code"],
                name="leads_tally_region",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["run", "subject_org_code"],
                name="leads_tally_org",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ]


class RuleTally(Tally):
    """HitTally summed over regions and units: a few hundred rows per scan, which the hit list
    reads for every filter set without a 区域 or 单位 (leads.tally keeps it with the fine one)."""

    rule_id = models.CharField(max_length=8)
    rule_name = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "rule_id", "severity", "status", "change"], name="leads_rule_tally_key"
            )
        ]


class OrgTally(Tally):
    """HitTally summed over rules and regions: the 单位 summary (top units) of the hit list
    without a rule, 区域 or 单位 filter reads these rows instead of every fine tally."""

    subject_org_code = models.CharField(max_length=64)
    subject_org_name = models.CharField(max_length=200, blank=True)

    label_field = "subject_org_code"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "subject_org_code", "severity", "status", "change"], name="leads_org_tally_key"
            )
        ]
