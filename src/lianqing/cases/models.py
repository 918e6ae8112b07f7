"""Cases: petitions (信访举报), problem leads (问题线索) and investigations (审查调查).

One model for all three kinds; `status` only ever changes through `workflow.transition`.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianqing.core.models import Clearance, Org, User


class Kind(models.TextChoices):
    PETITION = "petition", _("信访举报")
    LEAD = "lead", _("问题线索")
    INVESTIGATION = "investigation", _("审查调查")


class Source(models.TextChoices):
    ONLINE = "online", _("网络")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    PHONE = "phone", _("电话")
    HIGHER_REFERRAL = "higher_referral", _("上级转办")
    DATA_SCAN = "data_scan", _("数据碰撞")
    INSPECTION_TOUR = "inspection_tour", _("巡察移交")
    OTHER = "other", _("其他")


class Category(models.TextChoices):
    """What a report is about: the 四风 problems, then breaches of discipline and law."""

    SIFENG_DINING = "sifeng_dining", _("违规吃喝")
    SIFENG_GIFTS = "sifeng_gifts", _("违规收送礼品礼金（含微信红包、电子礼品卡、充值卡）")
    SIFENG_VEHICLE = "sifeng_vehicle", _("公车私用")
    SIFENG_ALLOWANCE = "sifeng_allowance", _("违规发放津补贴")
    SIFENG_CEREMONY = "sifeng_ceremony", _("违规操办婚丧喜庆")
    SIFENG_TRAVEL = "sifeng_travel", _("公款旅游")
    SIFENG_FORMALISM = "sifeng_formalism", _("形式主义官僚主义")
    BRIBERY = "bribery", _("贪污贿赂")
    ABUSE_OF_POWER = "abuse_of_power", _("滥用职权")
    DERELICTION = "dereliction", _("失职渎职")
    PUBLIC_INTEREST = "public_interest", _("侵害群众利益（惠民资金）")
    BUSINESS = "business", _("违规经商办企业")
    OTHER = "other", _("其他")


# For grouped selects (<optgroup>) in intake and staff forms.
CATEGORY_GROUPS: list[tuple[str, list[Category]]] = [
    (str(_("四风问题")), [c for c in Category if c.value.startswith("sifeng_")]),
    (str(_("违纪违法")), [c for c in Category if not c.value.startswith("sifeng_")]),
]


class Status(models.TextChoices):
    PENDING = "pending", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    SENT_UP = "sent_up", _("已报送上级")
    MERGED = "merged", _("已并案")
    ASSIGNED = "assigned", _("已分办")
    HANDLING = "handling", _("办理中")
    SHELVED = "shelved", _("暂存待查")
    IN_TRIAL = "in_trial", _("审理中")
    TRIAL_REVIEWED = "trial_reviewed", _("已提出审理意见")
    CONCLUDED = "concluded", _("已办结")
    FED_BACK = "fed_back", _("已反馈")


# Statuses after which nothing is due any more (a case can still be reopened).
FINAL_STATUSES = frozenset({Status.REJECTED, Status.SENT_UP, Status.MERGED, Status.FED_BACK})
OPEN_STATUSES = sorted(set(Status) - FINAL_STATUSES)


class HigherLevel(models.TextChoices):
    """Reports that this commission may not handle itself (检举控告工作规则 第十三、十四条)."""

    NONE = "", _("本级管辖")
    LEVEL_ABOVE = "level_above", _("属上级管辖")
    OWN_HEAD = "own_head", _("反映本级纪委监委主要负责人")


class AssignRoute(models.TextChoices):
    DEPARTMENT = "department", _("承办部门")
    LOWER_COMMISSION = "lower_commission", _("转下级纪委")
    OTHER_ORGAN = "other_organ", _("转有关机关")


class AssignMode(models.TextChoices):
    DELEGATE = "delegate", _("交办")
    SUPERVISE = "supervise", _("督办")


class Disposal(models.TextChoices):
    """The five ways a problem lead is disposed of."""

    TALK = "talk", _("谈话函询")
    VERIFY = "verify", _("初步核实")
    SHELVE = "shelve", _("暂存待查")
    CLOSE = "close", _("予以了结")
    TRANSFER = "transfer", _("移送有关党组织或机关")


class Outcome(models.TextChoices):
    """What a lead ended in: one of the four forms (四种形态), or closed / cleared."""

    CRITICISM = "criticism", _("批评教育")
    REMINDER_TALK = "reminder_talk", _("谈话提醒")
    ORDERED_REVIEW = "ordered_review", _("责令检查")
    ADMONITION = "admonition", _("诫勉")
    LIGHT_SANCTION = "light_sanction", _("党纪轻处分")
    ORG_ADJUSTMENT = "org_adjustment", _("组织调整")
    HEAVY_SANCTION = "heavy_sanction", _("党纪重处分")
    MAJOR_POST_ADJUSTMENT = "major_post_adjustment", _("重大职务调整")
    INVESTIGATION = "investigation", _("严重违纪涉嫌违法立案审查调查")
    JUDICIAL_TRANSFER = "judicial_transfer", _("移送司法")
    CLOSED = "closed", _("了结")
    CLEARED = "cleared", _("澄清正名")


FORM_OF_OUTCOME: dict[str, int] = {
    Outcome.CRITICISM: 1,
    Outcome.REMINDER_TALK: 1,
    Outcome.ORDERED_REVIEW: 1,
    Outcome.ADMONITION: 1,
    Outcome.LIGHT_SANCTION: 2,
    Outcome.ORG_ADJUSTMENT: 2,
    Outcome.HEAVY_SANCTION: 3,
    Outcome.MAJOR_POST_ADJUSTMENT: 3,
    Outcome.INVESTIGATION: 4,
    Outcome.JUDICIAL_TRANSFER: 4,
}


class FourForms(models.IntegerChoices):
    NONE = 0, _("了结/澄清")
    FIRST = 1, _("第一种形态")
    SECOND = 2, _("第二种形态")
    THIRD = 3, _("第三种形态")
    FOURTH = 4, _("第四种形态")


# The columns every case query filters on to apply jurisdiction and clearance (access.case_scope).
SCOPE_COLUMNS = ["org_id", "handler_id", "confidentiality", "higher_level"]


class Case(models.Model):
    number = models.CharField(_("编号"), max_length=32, unique=True, null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    category = models.CharField(_("问题类别"), max_length=24, choices=Category.choices)
    summary = models.TextField(_("摘要"))
    details = models.JSONField(_("详情"), default=dict, blank=True)
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    home_org = models.ForeignKey(
        Org, verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="received_cases"
    )
    org = models.ForeignKey(Org, verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="cases")
    handler = models.ForeignKey(
        User,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_cases",
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    confidentiality = models.PositiveSmallIntegerField(_("密级"), choices=Clearance.choices, default=0)
    higher_level = models.CharField(
        _("上级管辖"), max_length=16, choices=HigherLevel.choices, default=HigherLevel.NONE, blank=True
    )
    is_reporter_named = models.BooleanField(_("实名举报"), default=False)

    received_at = models.DateTimeField(_("收到时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("分办时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    acceptance_notified_at = models.DateTimeField(_("告知受理时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)

    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    deadline_label = models.CharField(_("时限事项"), max_length=64, blank=True)
    handling_due = models.DateField(_("办结期限"), null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)

    assign_route = models.CharField(_("分办方式"), max_length=20, choices=AssignRoute.choices, blank=True)
    assign_mode = models.CharField(_("交办/督办"), max_length=12, choices=AssignMode.choices, blank=True)
    external_org_name = models.CharField(_("有关机关"), max_length=200, blank=True)
    disposal = models.CharField(_("处置方式"), max_length=12, choices=Disposal.choices, blank=True)
    outcome = models.CharField(_("处理结果类别"), max_length=24, choices=Outcome.choices, blank=True)
    form_level = models.PositiveSmallIntegerField(
        _("四种形态"), choices=FourForms.choices, null=True, blank=True
    )
    result = models.TextField(_("办理结果"), blank=True)
    reporter_reply = models.TextField(_("给举报人的答复"), blank=True)

    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    source_case = models.ForeignKey(
        "self",
        verbose_name=_("来源案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived",
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["received_at", "id"], name="case_received"),
            models.Index(fields=["status", "received_at"], name="case_status_received"),
            models.Index(fields=["kind", "status"], name="case_kind_status"),
            models.Index(fields=["source", "received_at"], name="case_source_received"),
            models.Index(fields=["category", "received_at"], name="case_category_received"),
            models.Index(fields=["org", "status"], name="case_org_status"),
            models.Index(fields=["region_code"], name="case_region"),
            models.Index(fields=["deadline", "status"], name="case_deadline_status"),
            # PostgreSQL also gets covering indexes for the statistics page (migration 0003,
            # PostgreSQL only: SQLite has no INCLUDE).
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL_STATUSES

    @property
    def deadline_label_text(self) -> str:
        """What is due, in the reader's language (stored as its Chinese msgid: cases.time_limits)."""
        return gettext(self.deadline_label) if self.deadline_label else ""


class TallyDimension(models.TextChoices):
    TOTAL = "total", _("合计")
    SOURCE = "source", _("来源")
    CATEGORY = "category", _("问题类别")
    REGION = "region", _("行政区划")
    DISPOSAL = "disposal", _("处置方式")  # leads only
    FORM = "form", _("四种形态")  # cases with a form only


class CaseTallyBase(models.Model):
    """How many cases were received in a local period, per scope key and statistics breakdown.

    The statistics page reads these instead of counting every case again. The case services
    change the tallies in the same transaction as the case (cases.tally), so they are exact and
    never lag; the scope columns let them be filtered exactly as `access.case_scope` filters cases.
    """

    dimension = models.CharField(max_length=12, choices=TallyDimension.choices)
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    confidentiality = models.PositiveSmallIntegerField()
    higher_level = models.CharField(max_length=16, blank=True)
    value = models.CharField(max_length=24, blank=True)
    cases = models.IntegerField(default=0)
    # Only the TOTAL dimension carries these two (for the concluded count and the average time).
    concluded = models.IntegerField(default=0)
    handling_microseconds = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class CaseMonthTally(CaseTallyBase):
    """Cases received in a local month: whole months of a period are read here."""

    month = models.DateField()  # first day of the month, local time

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "month", "org", "confidentiality", "higher_level", "value"],
                name="case_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.dimension}={self.value}: {self.cases}"


class CaseDayTally(CaseTallyBase):
    """Cases received on a local day: the days of a period outside its whole months, and the
    daily intake chart of a short period."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "day", "org", "confidentiality", "higher_level", "value"],
                name="case_day_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.dimension}={self.value}: {self.cases}"


# The stock tally's deadline of an open case without a time limit running: a date never past,
# so the key has no NULL (a unique key treats NULLs as different, and the upsert needs it whole).
NO_DEADLINE = dt.date(9999, 12, 31)


class CaseStatusTally(models.Model):
    """How many cases are open (存量) now, per status and scope key, and how many of them have a
    time limit running. Kept with the other tallies (cases.tally)."""

    status = models.CharField(max_length=16, choices=Status.choices)
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    confidentiality = models.PositiveSmallIntegerField()
    higher_level = models.CharField(max_length=16, blank=True)
    cases = models.IntegerField(default=0)
    with_deadline = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["status", "org", "confidentiality", "higher_level"], name="case_status_tally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.status}: {self.cases}"


class CaseStockTally(models.Model):
    """How many cases are open (存量) now, per status, scope key and deadline.

    Kept with the other tallies (cases.tally). The deadline is a key so that "overdue" on any day
    is the cases with a deadline (CaseStatusTally) less the rows from today on, a short range of
    the deadline index, without counting the open cases.
    """

    status = models.CharField(max_length=16, choices=Status.choices)
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    confidentiality = models.PositiveSmallIntegerField()
    higher_level = models.CharField(max_length=16, blank=True)
    deadline = models.DateField()  # NO_DEADLINE when none is running
    cases = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["status", "org", "confidentiality", "higher_level", "deadline"],
                name="case_stock_tally_key",
            )
        ]
        indexes = [models.Index(fields=["deadline"], name="case_stock_deadline")]

    def __str__(self) -> str:
        return f"{self.status} {self.deadline}: {self.cases}"


class ReportedPerson(models.Model):
    """A person a case is about. `cadre_key` links to the cadre registry once it exists."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reported_persons")
    name = models.CharField(_("姓名"), max_length=64)
    org_name = models.CharField(_("单位"), max_length=200, blank=True)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    cadre_key = models.CharField(_("干部档案关联"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("被反映人")
        verbose_name_plural = _("被反映人")

    def __str__(self) -> str:
        return self.name


class CaseEvent(models.Model):
    """One step of a case's timeline: who did what, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("备注"))

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(_("文件"), upload_to="cases/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class TimeLimits(models.Model):
    """Time limits (one row, editable in the admin); defaults from 检举控告工作规则 (2020)."""

    send_up_days = models.PositiveSmallIntegerField(_("报送上级（工作日）"), default=5)
    lower_accept_days = models.PositiveSmallIntegerField(_("下级受理或转办（工作日）"), default=5)
    accept_days = models.PositiveSmallIntegerField(_("受理（工作日）"), default=15)
    notify_acceptance_days = models.PositiveSmallIntegerField(
        _("告知实名举报人受理情况（工作日）"), default=15
    )
    handling_months = models.PositiveSmallIntegerField(_("办理期限（月）"), default=3)
    max_extension_months = models.PositiveSmallIntegerField(_("延期上限（月）"), default=3)
    feedback_days = models.PositiveSmallIntegerField(_("向实名举报人反馈结果（工作日）"), default=15)
    due_soon_days = models.PositiveSmallIntegerField(_("临期提醒（工作日）"), default=3)
    assign_days = models.PositiveSmallIntegerField(_("受理后分办（工作日）"), default=15)
    lead_dispose_days = models.PositiveSmallIntegerField(_("问题线索提出处置意见（工作日）"), default=15)
    shelved_review_months = models.PositiveSmallIntegerField(_("暂存待查线索复查（月）"), default=6)
    trial_months = models.PositiveSmallIntegerField(_("审理及处分决定（月）"), default=1)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")

    def __str__(self) -> str:
        return str(_("办理时限"))
