"""A public report (网络举报), its reported persons, sealed attachments and the reporter mailbox.

Nothing here holds who the reporter is in a readable form: identity and contact details are a
sealed box (`identity_box`), attachments are sealed files on disk, the receipt code is an
argon2id hash. Staff with the right open them with the commission's private key.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianqing.cases.models import Category
from lianqing.intake.attachments import AttachmentKind


class Channel(models.TextChoices):
    WEB = "web", _("网站")
    API = "api", _("接口")
    # A letter, visit or call registered by the 信访室 whose reporter gave their name (登记 实名).
    REGISTERED = "register", _("来信来访登记")


class AddressedLevel(models.TextChoices):
    """The commission level a reporter addresses (分级负责、归口办理); blank: left to the commission."""

    PROVINCE = "province", _("省级纪委监委")
    CITY = "city", _("市级纪委监委")
    COUNTY = "county", _("县（区）级纪委监委")
    TOWNSHIP = "township", _("乡镇（街道）纪（工）委")


class PersonLevel(models.TextChoices):
    """The reported person's level by 干部管理权限, as the reporter knows it."""

    PROVINCE = "province", _("省管干部")
    CITY = "city", _("市管干部")
    COUNTY = "county", _("县管干部")
    TOWNSHIP = "township", _("乡镇（街道）干部")
    VILLAGE = "village", _("村（社区）干部")
    OTHER = "other", _("其他人员")


class Report(models.Model):
    # The petition case (信访举报) registered with the report; the cases app handles it from there.
    case = models.OneToOneField(
        "cases.Case", related_name="intake_report", null=True, on_delete=models.PROTECT
    )
    org = models.ForeignKey(
        "core.Org", verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="intake_reports"
    )
    category = models.CharField(_("举报类别"), max_length=32, choices=Category.choices)
    region_code = models.CharField(_("发生地区"), max_length=12)
    occurred_on = models.DateField(_("发生时间"), null=True, blank=True)
    description = models.TextField(_("问题描述"))
    # The level the reporter chose to address; not reporter data (nothing in it names them).
    addressed_level = models.CharField(
        _("选择的受理机关级别"), max_length=16, choices=AddressedLevel.choices, blank=True
    )
    is_anonymous = models.BooleanField(_("匿名"))
    identity_box = models.BinaryField(
        null=True, editable=False
    )  # encrypted padded JSON: name, id_number, phone
    # How identity_box and the attachments are encrypted (crypto.py tags): the report's own key,
    # or the old shared commission key pair until `intake_keys migrate` re-encrypts them.
    key_scheme = models.CharField(max_length=40, editable=False)
    public_key = models.BinaryField(
        null=True, editable=False
    )  # the report's own; its private key goes to recipients
    receipt_lookup = models.CharField(max_length=64, unique=True, editable=False)
    receipt_hash = models.CharField(max_length=200, editable=False)
    submission_key = models.CharField(max_length=64, unique=True, editable=False)
    # The receipt code sealed with a key only the submitting client holds (its idempotency token):
    # a repeated submit shows the same code again, a database dump cannot read it. Emptied by
    # `lianqing intake_sweep` once the token has expired.
    receipt_box = models.BinaryField(editable=False)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    received_at = models.DateTimeField(_("收到时间"), db_index=True)
    # Set by the daily retention job when the period of each part has run out (retention.py).
    identity_erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    attachments_erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    content_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("网络举报")
        verbose_name_plural = _("网络举报")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"举报 #{self.pk}"


class ReportedPerson(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="persons")
    name = models.CharField(_("姓名"), max_length=64, blank=True)
    org_name = models.CharField(_("单位"), max_length=200, blank=True)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    level = models.CharField(_("级别"), max_length=16, choices=PersonLevel.choices, blank=True)
    region_code = models.CharField(_("所在地区"), max_length=12, blank=True)  # GB/T 2260
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["report", "order"]

    def __str__(self) -> str:
        return self.name or self.org_name


class MessageDirection(models.TextChoices):
    TO_REPORTER = "to_reporter", _("办理人员提问")
    FROM_REPORTER = "from_reporter", _("举报人回复")


class Message(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=16, choices=MessageDirection.choices)
    body = models.TextField(_("内容"))
    author = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="intake_messages"
    )
    created_at = models.DateTimeField(_("时间"))
    # A reporter's message is unread until a staff member opens the report.
    staff_seen_at = models.DateTimeField(null=True, blank=True)
    # Written after the case was closed: reopens nothing, waits for the 信访室 to review it.
    after_closure = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} #{self.pk}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.CharField(_("类型"), max_length=16, choices=AttachmentKind.choices)
    size = models.PositiveIntegerField(_("大小"))
    meta_box = models.BinaryField(editable=False)  # encrypted padded JSON: original name, MIME type
    algorithm = models.CharField(max_length=40, editable=False)  # of meta_box and the file (crypto.py)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class RateCounter(models.Model):
    """Requests of one client (an HMAC of its address, never the address) in one time window."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="intake_rate_once_per_window")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key[:8]}@{self.window_start}: {self.count}"


class StaffKey(models.Model):
    """A recipient's key pair. The private key is wrapped by a key derived from the person's own
    passphrase (argon2id), so neither the database nor the server can open it without them."""

    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="intake_keys")
    public_key = models.BinaryField(editable=False)
    wrapped_private_key = models.BinaryField(editable=False)
    salt = models.BinaryField(editable=False)
    opslimit = models.PositiveBigIntegerField(editable=False)
    memlimit = models.PositiveBigIntegerField(editable=False)
    algorithm = models.CharField(max_length=40, editable=False)
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)  # rotated away or its holder left

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(retired_at__isnull=True),
                name="intake_one_live_key_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} #{self.pk}"


class ReportRecipient(models.Model):
    """One report's key sealed to one recipient's public key."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recipients")
    staff_key = models.ForeignKey(StaffKey, on_delete=models.CASCADE, related_name="grants")
    sealed_key = models.BinaryField(editable=False)
    algorithm = models.CharField(max_length=40, editable=False)
    granted_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "staff_key"], name="intake_one_grant_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.report} → {self.staff_key}"


class IdentityRequestStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("已拒绝")


class IdentityRequest(models.Model):
    """A request to read a named reporter's identity, decided by a second person (the custodian)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="identity_requests")
    requested_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("理由"))
    status = models.CharField(
        _("状态"), max_length=16, choices=IdentityRequestStatus.choices, default=IdentityRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_status_display()}"


class RetentionPolicy(models.Model):
    """How long after a case's closure each part of a report of one category is kept (days).
    Categories without a row use the defaults of retention.DEFAULT_DAYS (docs/intake.md)."""

    category = models.CharField(_("举报类别"), max_length=32, choices=Category.choices, unique=True)
    identity_days = models.PositiveIntegerField(_("举报人身份保留天数"))
    attachments_days = models.PositiveIntegerField(_("附件保留天数"))
    content_days = models.PositiveIntegerField(_("举报内容保留天数"))

    class Meta:
        verbose_name = _("网络举报保留期限")
        verbose_name_plural = _("网络举报保留期限")
        ordering = ["category"]

    def __str__(self) -> str:
        return self.get_category_display()
