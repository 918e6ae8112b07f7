"""主体责任: checklist templates with versioned duty items, their assignment to units for a
year, the concrete tasks with dates and lights, evidence, talks (约谈) and dashboard tallies.

Tasks are the big table (a province: millions of rows): narrow columns, the dates the daily
light job compares precomputed (`warn_on`, `lock_on`), and partial indexes on the rows that can
still change, so the job updates them set-based in SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianqing.core.models import Org


class TemplateKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("党委（党组）主体责任")
    SECRETARY = "secretary", _("书记第一责任人责任")
    MEMBER = "member", _("班子成员“一岗双责”")
    COMMISSION = "commission", _("纪委监督责任")


class Frequency(models.TextChoices):
    ANNUAL = "annual", _("每年")
    QUARTERLY = "quarterly", _("每季度")
    MONTHLY = "monthly", _("每月")
    ONCE = "once", _("一次性")


class EvidenceKind(models.TextChoices):
    MINUTES = "minutes", _("会议记录")
    DOCUMENT = "document", _("文件")
    PHOTO = "photo", _("照片")
    SIGNED_REPORT = "signed_report", _("签字报告")
    OTHER = "other", _("其他材料")


class Responsible(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    MEMBER = "member", _("班子成员")


class Light(models.TextChoices):
    BLUE = "blue", _("蓝灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")
    GREEN = "green", _("绿灯")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待完成")
    LOCKED = "locked", _("已锁定")
    REOPENED = "reopened", _("已解锁")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")


# Statuses in which the unit still owes the work: lights move, the task can lock.
ACTIVE_STATUSES = (TaskStatus.OPEN, TaskStatus.REOPENED, TaskStatus.RETURNED)


class Grade(models.TextChoices):
    EXCELLENT = "A", _("优秀")
    GOOD = "B", _("良好")
    FAIR = "C", _("一般")
    POOR = "D", _("较差")


GRADE_FACTOR = {Grade.EXCELLENT: 1.0, Grade.GOOD: 0.85, Grade.FAIR: 0.7, Grade.POOR: 0.4}


class DutyTemplate(models.Model):
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=32, choices=TemplateKind.choices)
    owner = models.ForeignKey(Org, verbose_name=_("制定机关"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("责任清单")
        verbose_name_plural = _("责任清单")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class TemplateVersion(models.Model):
    """A frozen list of duty items. Editing a template whose latest version is assigned makes a
    new version; assigned tasks keep pointing at theirs until the commission applies the new one."""

    template = models.ForeignKey(DutyTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("修订说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="duties_version_unique")]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class DutyItem(models.Model):
    """One duty of a version. Deadline rule: day `due_day` (clamped to the month's end) of the
    month `due_month_offset` months after the period's last month; a one-off duty's period is
    month `once_month` of the year. `lineage` is shared by the copies of a duty across versions."""

    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="items")
    lineage = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("责任事项"), max_length=300)
    description = models.TextField(_("具体要求"), blank=True)
    frequency = models.CharField(_("频次"), max_length=16, choices=Frequency.choices)
    once_month = models.PositiveSmallIntegerField(_("一次性事项所在月份"), default=12)
    due_month_offset = models.PositiveSmallIntegerField(_("期末后第几个月截止"), default=0)
    due_day = models.PositiveSmallIntegerField(_("截止日"), default=31)
    evidence_kinds = models.JSONField(_("所需佐证材料"), default=list, blank=True)
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1, default=1)
    responsible = models.CharField(
        _("责任人"), max_length=16, choices=Responsible.choices, default=Responsible.SECRETARY
    )

    class Meta:
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class UnitLeader(models.Model):
    """A member of a unit's leadership (班子成员); the 书记 is flagged. `user` when they have an account."""

    unit = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("姓名"), max_length=64)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    is_secretary = models.BooleanField(_("书记"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["unit", "-is_secretary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(is_secretary=True, is_active=True),
                name="duties_one_secretary",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）" if self.post else self.name


class Assignment(models.Model):
    """A template version assigned to a unit for a year."""

    template = models.ForeignKey(DutyTemplate, on_delete=models.PROTECT, related_name="assignments")
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    reviewer = models.ForeignKey(Org, verbose_name=_("审核部门"), on_delete=models.PROTECT, related_name="+")
    secretary = models.ForeignKey(
        UnitLeader, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(UnitLeader, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    warning_days = models.PositiveSmallIntegerField(_("提前亮黄灯的工作日数"), default=10)
    lock_grace_days = models.PositiveSmallIntegerField(_("逾期后锁定前的工作日数"), default=5)
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["template", "unit", "year"], name="duties_assignment_unique")
        ]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.template}"


class ScheduleRow(models.Model):
    """The dated occurrences of a version's items in a year, computed once per (version, year,
    warning and grace days) and shared by every unit assigned them: tasks are generated from it
    set-based (INSERT … SELECT)."""

    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    warning_days = models.PositiveSmallIntegerField()
    lock_grace_days = models.PositiveSmallIntegerField()
    item = models.ForeignKey(DutyItem, on_delete=models.CASCADE, related_name="+")
    period = models.PositiveSmallIntegerField()  # month 1–12, quarter 1–4, 0 for the year
    month = models.PositiveSmallIntegerField()
    deadline = models.DateField()
    deadline_moved_from = models.DateField(null=True)
    warn_on = models.DateField()
    lock_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["version", "year", "warning_days", "lock_grace_days"])]

    def __str__(self) -> str:
        return f"{self.item_id} {self.deadline}"


class Task(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="tasks")
    item = models.ForeignKey(DutyItem, on_delete=models.PROTECT, related_name="+")
    lineage = models.PositiveIntegerField()
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()  # the deadline's month, for the dashboard
    deadline = models.DateField(_("截止日期"))
    deadline_moved_from = models.DateField(_("原定截止日期"), null=True, blank=True)
    warn_on = models.DateField()
    lock_on = models.DateField()
    responsible = models.ForeignKey(
        UnitLeader, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    light = models.CharField(_("灯色"), max_length=8, choices=Light.choices, default=Light.BLUE)
    status = models.CharField(_("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    was_late = models.BooleanField(_("曾逾期"), default=False)
    red_at = models.DateField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    account = models.TextField(_("履责纪实"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    grade = models.CharField(_("评定等次"), max_length=1, choices=Grade.choices, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["unit", "year", "deadline"], name="duties_task_unit_year"),
            models.Index(fields=["year", "month"], name="duties_task_year_month"),
            models.Index(fields=["year", "light", "deadline"], name="duties_task_year_light"),
            models.Index(fields=["year", "status", "deadline"], name="duties_task_year_status"),
            models.Index(fields=["assignment", "status"], name="duties_task_assignment"),
            models.Index(
                fields=["year", "unit", "responsible"], name="duties_task_late",
                condition=models.Q(was_late=True),
            ),  # 约谈 prompts count late tasks by unit and person
            models.Index(
                fields=["warn_on"], name="duties_task_to_warn",
                condition=models.Q(light="blue", status__in=["open", "reopened", "returned"]),
            ),
            models.Index(
                fields=["deadline"], name="duties_task_to_red",
                condition=models.Q(light__in=["blue", "yellow"], status__in=["open", "reopened", "returned"]),
            ),
            models.Index(
                fields=["lock_on"], name="duties_task_to_lock",
                condition=models.Q(status__in=["open", "reopened", "returned"]),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.item_id}/{self.deadline}"


class TaskEvent(models.Model):
    """The task's timeline: light changes (by the daily job), and every step people take."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    light = models.CharField(max_length=8, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["task", "at"]), models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"


class Evidence(models.Model):
    """A checked and metadata-stripped file proving a duty done, sealed at rest (`sealing.py`);
    `evidence_read` opens it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("材料类别"), max_length=16, choices=EvidenceKind.choices)
    name = models.CharField(_("文件名"), max_length=200)
    mime = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    data = models.BinaryField()  # sealed (`sealing.py`): ciphertext, never the file itself
    scheme = models.CharField(max_length=32, blank=True, default="")  # "" = stored in clear (legacy)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Talk(models.Model):
    """约谈: prompted by repeated red lights of a unit or a person."""

    unit = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    leader = models.ForeignKey(
        UnitLeader,
        verbose_name=_("被约谈人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    talked_on = models.DateField(_("约谈日期"))
    talked_by = models.CharField(_("约谈人"), max_length=200)
    talked_to = models.CharField(_("被约谈人"), max_length=200)
    points_raised = models.TextField(_("指出的问题"))
    follow_up = models.TextField(_("整改要求与跟踪"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-talked_on", "-pk"]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.talked_on}"


class UnitMonthTally(models.Model):
    """Dashboard rollup per unit and deadline month (rebuilt by the daily job, per unit on each step)."""

    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    month = models.PositiveSmallIntegerField()
    total = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    yellow = models.PositiveIntegerField(default=0)
    red = models.PositiveIntegerField(default=0)
    locked = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "unit", "month"], name="duties_month_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month} {self.unit_id}"


class UnitItemTally(models.Model):
    """Dashboard rollup per unit and duty (lineage)."""

    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    lineage = models.PositiveIntegerField()
    total = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    yellow = models.PositiveIntegerField(default=0)
    red = models.PositiveIntegerField(default=0)
    locked = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "unit", "lineage"], name="duties_item_tally_unique")
        ]
        indexes = [models.Index(fields=["year", "lineage"])]

    def __str__(self) -> str:
        return f"{self.year} {self.lineage} {self.unit_id}"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")


class AccountabilityReport(models.Model):
    """述责述廉: a unit leader's written annual report on how they carried their duty and kept
    clean, reviewed by the commission (accepted with a rating and comment, or returned with a
    reason). Accepted, it is filed in the cadre's 廉政档案 (a dossiers record of that category)."""

    unit = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    leader = models.ForeignKey(
        UnitLeader, verbose_name=_("述责述廉人"), on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("述责述廉报告"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    grade = models.CharField(_("评定等次"), max_length=1, choices=Grade.choices, blank=True)
    comment = models.TextField(_("审核意见"), blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dossier_record = models.ForeignKey(
        "dossiers.Record", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("述责述廉")
        verbose_name_plural = _("述责述廉")
        ordering = ["-year", "unit", "leader"]
        constraints = [
            models.UniqueConstraint(fields=["leader", "year"], name="duties_one_report_per_leader_year")
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.year} {self.leader}"
