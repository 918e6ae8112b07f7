from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from lianqing.core.roles import Role


class OrgKind(models.TextChoices):
    COMMISSION = "commission", _("纪委监委")
    DEPARTMENT = "department", _("内设部门")
    TOWNSHIP = "township", _("乡镇（街道）纪（工）委")
    STATIONED = "stationed", _("派驻（出）机构")
    PUBLIC_BODY = "public_body", _("党政机关")
    INSTITUTION = "institution", _("事业单位")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    VILLAGE = "village", _("村（社区）")
    OTHER = "other", _("其他")


class Org(models.Model):
    """A node of the org tree. `path` is the chain of org codes from the root, for subtree queries."""

    org_code = models.CharField(_("机构代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    kind = models.CharField(_("类型"), max_length=32, choices=OrgKind.choices)
    path = models.CharField(max_length=1000, editable=False, db_index=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: Org) -> bool:
        """True when this org is `other` or lies in its subtree."""
        return self.path.startswith(other.path)


class Clearance(models.IntegerChoices):
    ORDINARY = 0, _("普通")
    SECRET = 1, _("秘密")
    CONFIDENTIAL = 2, _("机密")


class User(AbstractUser):
    org = models.ForeignKey(
        Org, verbose_name=_("所属机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    clearance = models.PositiveSmallIntegerField(
        _("密级权限"), choices=Clearance.choices, default=Clearance.ORDINARY
    )
    # Set when an administrator creates the account or resets its password: the person must
    # choose their own password before anything else.
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    # When the password was last set (expiry, LIANQING_PASSWORD_MAX_AGE_DAYS); empty: date_joined.
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True, editable=False)
    # Raised at every sign-in when one session per account is enforced: it is part of the session
    # hash, so every earlier session of the account ends (get_session_auth_hash).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def get_session_auth_hash(self) -> str:
        if not self.session_generation:  # sessions made before one-session-per-account stay valid
            return super().get_session_auth_hash()
        return salted_hmac(
            "lianqing.core.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()

    def role_names(self) -> set[str]:
        # Cached per instance: templates and access checks ask many times per request.
        cached: set[str] | None = getattr(self, "_role_names", None)
        if cached is None:
            cached = set(self.groups.values_list("name", flat=True))
            self._role_names = cached
        return cached

    def has_role(self, *roles: Role) -> bool:
        # Membership only: the superuser flag runs the admin site and confers no role (separation
        # of duties: the administrator never reads reports or cases by virtue of the flag).
        return bool(self.role_names() & {str(role) for role in roles})


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出")
    LOGIN_FAILED = "login_failed", _("登录失败")
    CREATE = "create", _("新建")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    TRANSITION = "transition", _("状态变更")
    VIEW = "view", _("查看受保护数据")
    EXPORT = "export", _("导出")


class AuditEvent(models.Model):
    """One append-only, hash-chained row of the audit log.

    `hash` covers this row's content and the previous row's hash, so editing or deleting
    any row breaks the chain from there on (`lianqing audit verify`).
    """

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    created_at = models.DateTimeField(editable=False)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_username = models.CharField(max_length=150, blank=True, editable=False)
    action = models.CharField(max_length=32, choices=AuditAction.choices, editable=False)
    object_type = models.CharField(max_length=100, blank=True, editable=False)
    object_id = models.CharField(max_length=100, blank=True, editable=False)
    details = models.JSONField(default=dict, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    # The clock the row's time came from (LIANQING_TIME_SOURCE, e.g. "chrony: ntp1.example.gov"),
    # part of the row's hash.
    time_source = models.CharField(max_length=200, blank=True, editable=False, db_default="")
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)
    # The hash family of `hash` (core.audit): "sha256" (HMAC-SHA256, plain SHA-256 before the key)
    # or "sm3" (HMAC-SM3 / SM3, written under LIANQING_CRYPTO=sm). Each row keeps its own.
    hash_algorithm = models.CharField(max_length=16, default="sha256", db_default="sha256", editable=False)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["created_at"]),
            # The security administrator's list: one actor's rows, newest first, at any log size.
            models.Index(fields=["actor", "-seq"], name="core_audit_actor_seq"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError(_("审计记录只能追加，不能修改"))
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError(_("审计记录不能删除"))


class AuditChainHead(models.Model):
    """A single row holding the chain's tip; locking it serialises appends on every database."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    # Rows up to `pruned_seq` were removed after their retention period (core.audit_retention);
    # the chain now starts after it, linked to `pruned_hash`.
    pruned_seq = models.PositiveBigIntegerField(default=0)
    pruned_hash = models.CharField(max_length=64, default="0" * 64)
    # The last row a verify found intact (core.audit_check): the next `audit verify` starts after
    # it. `verified_mac` is keyed with the audit key, so a database writer cannot move it forward.
    verified_seq = models.PositiveBigIntegerField(default=0)
    verified_hash = models.CharField(max_length=64, blank=True, default="")
    verified_mac = models.CharField(max_length=64, blank=True, default="")
    verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"audit chain tip #{self.last_seq}"


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REFUSED = "refused", _("已拒绝")


class GrantKind(models.TextChoices):
    ROLE = "role", _("增加角色")
    PASSWORD = "password", _("重设密码")
    ENROLMENT = "enrolment", _("重新签发动态验证码绑定码")


class RoleGrantRequest(models.Model):
    """A change to a colleague's access that needs two people: adding a user to a role group,
    resetting their password or re-issuing their enrolment code. Requested by one person,
    effective once a 领导 confirms; a credential waits here as a hash until then."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_grant_requests"
    )
    kind = models.CharField(_("事项"), max_length=16, choices=GrantKind.choices, default=GrantKind.ROLE)
    role = models.CharField(_("角色"), max_length=32, blank=True, choices=[(str(r), str(r)) for r in Role])
    secret_hash = models.CharField(max_length=200, blank=True)  # the new password or code, hashed
    status = models.CharField(
        _("状态"), max_length=16, choices=GrantStatus.choices, default=GrantStatus.PENDING
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("申请人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        User, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("角色授权申请")
        verbose_name_plural = _("角色授权申请")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "role"],
                condition=models.Q(status="pending"),
                name="role_grant_one_pending_per_user_kind_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.what} ({self.get_status_display()})"

    @property
    def what(self) -> str:
        """What is asked, for people: the role's name, or the credential change."""
        return self.role if self.kind == GrantKind.ROLE else str(self.get_kind_display())


class TotpEnrolmentCode(models.Model):
    """A one-time code an administrator hands to a person so they can bind their authenticator.

    Only its hash is stored; it is shown once when issued, expires, and is deleted when used.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_enrolment_code")
    code_hash = models.CharField(max_length=200)
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"enrolment code of {self.user}"


class Notification(models.Model):
    """An in-app message to one user (reminders, assignments); shown in the staff shell."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.title


class HealthProbe(models.Model):
    """One row /healthz writes on every check: the only honest test that the database takes writes."""

    checked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"health probe {self.checked_at}"
