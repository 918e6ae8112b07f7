"""Per-recipient keys: each staff member's own key pair, and each report's key sealed to them.

Who receives a report: active staff holding the 信访 or 领导 role (explicitly, not through a
superuser flag) whose jurisdiction covers the receiving commission, and who have set up their
own key. A recipient added later reads older reports once an existing recipient re-wraps them
(`recipient_grant`); a person who leaves loses every grant (`recipients_prune`) and is never a
recipient of a new report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.access import jurisdiction_root
from lianqing.core.generations import KeyedCache
from lianqing.core.models import Org, User
from lianqing.core.rows import rows_insert
from lianqing.intake import crypto, events
from lianqing.intake.access import may_unlock
from lianqing.intake.caches import RECIPIENTS
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import Report, ReportRecipient, StaffKey

MIN_PASSPHRASE_CHARS = 12


def is_recipient_for(user: User, org: Org) -> bool:
    """Whether `user` may hold the keys of reports received by `org` (today, not at grant time)."""
    return _is_recipient_under(user, org.path)


def _is_recipient_under(user: User, org_path: str) -> bool:
    if not user.is_active or not may_unlock(user):
        return False
    root = jurisdiction_root(user)
    return root is not None and org_path.startswith(root.path)


def live_key(user: User) -> StaffKey | None:
    return StaffKey.objects.filter(user=user, retired_at__isnull=True).first()


def role_names_load(users: Iterable[User]) -> None:
    """Load the roles of many people in one query, into the per-instance cache `User.role_names`
    reads (instead of one query per person when each is checked)."""
    people = list(users)
    names: dict[int, set[str]] = defaultdict(set)
    memberships = User.groups.through.objects.filter(user_id__in=[person.pk for person in people])
    for user_id, name in memberships.values_list("user_id", "group__name"):
        names[user_id].add(name)
    for person in people:
        person._role_names = names[person.pk]  # type: ignore[attr-defined]


def _recipient_keys_load(org_path: str) -> list[StaffKey]:
    live = list(
        StaffKey.objects.filter(retired_at__isnull=True, user__is_active=True).select_related(
            "user__org__parent"
        )
    )
    role_names_load(key.user for key in live)
    return [key for key in live if _is_recipient_under(key.user, org_path)]


_recipient_keys: KeyedCache[list[StaffKey]] = KeyedCache(RECIPIENTS, _recipient_keys_load)


def recipient_keys_for(org: Org) -> list[StaffKey]:
    """The live keys of everyone who receives `org`'s new reports (two queries, however many;
    none while nobody, no org and no key changed: `caches.RECIPIENTS`)."""
    return list(_recipient_keys.get(org.path))


def _passphrase_problem(user: User, passphrase: str) -> str:
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        return _("个人解密口令至少 %(n)d 个字符") % {"n": MIN_PASSPHRASE_CHARS}
    if user.check_password(passphrase):
        return _("个人解密口令不能与登录密码相同")
    return ""


def _wrap(private: crypto.AnyPrivateKey, passphrase: str) -> dict[str, object]:
    return crypto.staff_key_wrap(private, passphrase)


@transaction.atomic
def staff_key_create(*, user: User, passphrase: str, request: HttpRequest | None = None) -> StaffKey:
    """A recipient's first key pair, wrapped by their own passphrase (never the login password)."""
    if not may_unlock(user):
        raise IntakeError(_("您没有查看举报人信息的权限"))
    if live_key(user) is not None:
        raise IntakeError(_("您已设置个人解密口令；更换请使用密钥轮换"), field="passphrase")
    if problem := _passphrase_problem(user, passphrase):
        raise IntakeError(problem, field="passphrase")
    key = StaffKey.objects.create(
        user=user, created_at=timezone.now(), **_wrap(crypto.staff_keypair_new(), passphrase)
    )
    events.staff_key_created(user=user, key=key, request=request)
    return key


def staff_key_open(key: StaffKey, passphrase: str) -> crypto.AnyPrivateKey:
    try:
        return crypto.staff_key_unwrap(
            algorithm=key.algorithm,
            wrapped=bytes(key.wrapped_private_key),
            salt=bytes(key.salt),
            opslimit=int(key.opslimit),
            memlimit=int(key.memlimit),
            passphrase=passphrase,
        )
    except IntakeError:
        raise IntakeError(_("个人解密口令不正确"), field="passphrase") from None


def staff_key_unlock(
    *, user: User, passphrase: str, request: HttpRequest | None = None
) -> crypto.AnyPrivateKey:
    """Open the user's own private key; every attempt is audited."""
    if not may_unlock(user):
        raise IntakeError(_("您没有查看举报人信息的权限"))
    key = live_key(user)
    if key is None:
        raise IntakeError(_("您尚未设置个人解密口令"), field="passphrase")
    try:
        private = staff_key_open(key, passphrase)
    except IntakeError:
        events.staff_key_unlocked(user=user, ok=False, request=request)
        raise
    events.staff_key_unlocked(user=user, ok=True, request=request)
    return private


def _key_of(private: crypto.AnyPrivateKey) -> StaffKey | None:
    return StaffKey.objects.filter(public_key=bytes(private.public_key), retired_at__isnull=True).first()


def grants_create(
    *, report: Report, report_key: bytes, keys: Iterable[StaffKey], by: User | None, new_report: bool = False
) -> int:
    """Seal the report's key to each key's holder. `new_report`: the report was inserted in this
    transaction, so no grant can exist yet (one plain INSERT, not the ORM's conflict-ignoring one)."""
    now = timezone.now()
    rows = []
    for key in keys:
        sealed, algorithm = crypto.seal_report_key(key.algorithm, bytes(key.public_key), report_key)
        rows.append(
            ReportRecipient(
                report=report,
                staff_key=key,
                sealed_key=sealed,
                algorithm=algorithm,
                granted_by=by,
                granted_at=now,
            )
        )
    if new_report:
        rows_insert(rows)
    else:
        ReportRecipient.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def report_key_open(*, report: Report, private_key: crypto.AnyPrivateKey, user: User) -> bytes:
    """The report's key, for a current recipient holding their unlocked private key."""
    grant = (
        ReportRecipient.objects.filter(
            report=report,
            staff_key__public_key=bytes(private_key.public_key),
            staff_key__retired_at__isnull=True,
        )
        .select_related("staff_key")
        .first()
    )
    if grant is None or grant.staff_key.user_id != user.pk or not is_recipient_for(user, report.org):
        raise IntakeError(_("您不是这份举报的接收人，请已是接收人的同事为您授权"))
    return crypto.unseal(private_key, bytes(grant.sealed_key), grant.algorithm)


def is_granted(report: Report, user: User) -> bool:
    return ReportRecipient.objects.filter(
        report=report, staff_key__user=user, staff_key__retired_at__isnull=True
    ).exists()


def recipients_missing(*, granter: User) -> list[tuple[User, int]]:
    """Colleagues with a key who lack grants to reports the granter holds: (person, how many)."""
    held = Report.objects.filter(
        recipients__staff_key__user=granter, recipients__staff_key__retired_at__isnull=True
    )
    result = []
    for key in (
        StaffKey.objects.filter(retired_at__isnull=True, user__is_active=True)
        .exclude(user=granter)
        .select_related("user__org")
    ):
        eligible = [
            r
            for r in held.select_related("org").exclude(recipients__staff_key=key)
            if is_recipient_for(key.user, r.org)
        ]
        if eligible:
            result.append((key.user, len(eligible)))
    return result


@transaction.atomic
def recipient_grant(
    *, granter: User, private_key: crypto.AnyPrivateKey, grantee: User, request: HttpRequest | None = None
) -> int:
    """Re-wrap, for a new colleague, every report the granter holds and the colleague may read."""
    target = live_key(grantee)
    if target is None:
        raise IntakeError(_("对方尚未设置个人解密口令"))
    if _key_of(private_key) is None or _key_of(private_key).user_id != granter.pk:  # type: ignore[union-attr]
        raise IntakeError(_("请先用您的个人解密口令解锁"))
    granted = 0
    held = Report.objects.filter(
        recipients__staff_key__user=granter, recipients__staff_key__retired_at__isnull=True
    )
    for report in held.select_related("org").exclude(recipients__staff_key=target):
        if not is_recipient_for(grantee, report.org):
            continue
        report_key = report_key_open(report=report, private_key=private_key, user=granter)
        granted += grants_create(report=report, report_key=report_key, keys=[target], by=granter)
    events.recipient_granted(granter=granter, grantee=grantee, reports=granted, request=request)
    return granted


@transaction.atomic
def recipients_prune() -> int:
    """Retire the keys of people who left (deactivated or without the role) and drop their grants."""
    removed = 0
    for key in StaffKey.objects.filter(retired_at__isnull=True).select_related("user__org"):
        user = key.user
        if user.is_active and may_unlock(user):
            stale = [
                g.pk
                for g in key.grants.select_related("report__org")
                if not is_recipient_for(user, g.report.org)
            ]
            ReportRecipient.objects.filter(pk__in=stale).delete()
            removed += len(stale)
            continue
        removed += key.grants.count()
        key.grants.all().delete()
        StaffKey.objects.filter(pk=key.pk).update(retired_at=timezone.now(), wrapped_private_key=b"")
        RECIPIENTS.changed()  # an update sends no signal
        events.recipient_removed(user=user)
    return removed


@transaction.atomic
def staff_key_rotate(*, user: User, passphrase: str, new_passphrase: str = "") -> tuple[StaffKey, int]:
    """A new key pair for `user`; every report of the old one is re-wrapped to it; the old one is
    retired and its wrapped private key erased. Returns (new key, reports re-wrapped)."""
    old = StaffKey.objects.select_for_update().filter(user=user, retired_at__isnull=True).first()
    if old is None:
        raise IntakeError(_("您尚未设置个人解密口令"))
    old_private = staff_key_open(old, passphrase)
    new_passphrase = new_passphrase or passphrase
    if problem := _passphrase_problem(user, new_passphrase):
        raise IntakeError(problem, field="new_passphrase")
    new_private = crypto.staff_keypair_new()
    StaffKey.objects.filter(pk=old.pk).update(retired_at=timezone.now(), wrapped_private_key=b"")
    RECIPIENTS.changed()  # an update sends no signal (the new key's creation below does)
    new = StaffKey.objects.create(user=user, created_at=timezone.now(), **_wrap(new_private, new_passphrase))
    moved = 0
    for grant in old.grants.all():
        report_key = crypto.unseal(old_private, bytes(grant.sealed_key), grant.algorithm)
        grant.staff_key = new
        grant.sealed_key, grant.algorithm = crypto.seal_report_key(
            new.algorithm, bytes(new.public_key), report_key
        )
        grant.save(update_fields=["staff_key", "sealed_key", "algorithm"])
        moved += 1
    events.staff_key_rotated(user=user, reports=moved)
    return new, moved
