"""Writes of the core app: orgs and users. Each audited change calls `audit_record`."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, Clearance, Notification, Org, OrgKind, User
from lianqing.core.roles import ALL_ROLES, Role


def _path_for(org_code: str, parent: Org | None) -> str:
    return f"{parent.path if parent else '/'}{org_code}/"


@transaction.atomic
def org_upsert(
    *,
    org_code: str,
    name: str,
    kind: OrgKind,
    parent: Org | None = None,
    region_code: str = "",
    by: User | None = None,
) -> Org:
    """Create the org, or bring an existing one with this code up to date. Idempotent."""
    path = _path_for(org_code, parent)
    org, created = Org.objects.get_or_create(
        org_code=org_code,
        defaults={"name": name, "kind": kind, "parent": parent, "region_code": region_code, "path": path},
    )
    if created:
        audit_record(action=AuditAction.CREATE, actor=by, obj=org, details={"name": name})
        return org
    changes = {
        field: value
        for field, value in {"name": name, "kind": kind, "parent": parent, "region_code": region_code}.items()
        if getattr(org, field) != value
    }
    if changes:
        for field, value in changes.items():
            setattr(org, field, value)
        org.save(update_fields=list(changes))
        if "parent" in changes:
            _repath_subtree(org, path)
        audit_record(action=AuditAction.UPDATE, actor=by, obj=org, details={"fields": sorted(changes)})
    return org


def _repath_subtree(org: Org, new_path: str) -> None:
    old_path = org.path
    for node in Org.objects.filter(path__startswith=old_path).only("pk", "path"):
        node.path = new_path + node.path[len(old_path) :]
        node.save(update_fields=["path"])


def roles_ensure() -> None:
    """Make sure every role group exists (migrations and the demo call this)."""
    for role in ALL_ROLES:
        Group.objects.get_or_create(name=str(role))


@transaction.atomic
def user_upsert(
    *,
    username: str,
    password: str | None,
    org: Org | None,
    roles: Iterable[Role],
    full_name: str = "",
    clearance: Clearance = Clearance.ORDINARY,
    is_superuser: bool = False,
    by: User | None = None,
) -> User:
    """Create a staff account with its roles, or update roles and org of an existing one."""
    roles_ensure()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "org": org,
            "full_name": full_name,
            "clearance": clearance,
            "is_superuser": is_superuser,  # tests only: production refuses superusers (E002)
        },
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password", "password_changed_at"])
    else:
        user.org = org
        user.full_name = full_name or user.full_name
        user.clearance = clearance
        user.save(update_fields=["org", "full_name", "clearance"])
    user.groups.set(Group.objects.filter(name__in=[str(role) for role in roles]))
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=by,
        obj=user,
        details={"username": username, "roles": sorted(str(role) for role in roles)},
    )
    return user


def notification_send(
    *, recipient: User, title: str, body: str = "", link: str = "", dedupe_key: str = ""
) -> bool:
    """Send an in-app notification; with a dedupe_key, at most once per recipient. True if sent."""
    try:
        with transaction.atomic():
            Notification.objects.create(
                recipient=recipient, title=title, body=body, link=link, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return False
    return True


def notifications_send(
    *, recipients: Iterable[User], title: str, body: str = "", link: str = "", dedupe_key: str = ""
) -> int:
    """`notification_send` to many people in one insert (a recipient who already holds one under
    the dedupe_key is skipped). Returns how many were addressed."""
    rows = [
        Notification(recipient=person, title=title, body=body, link=link, dedupe_key=dedupe_key)
        for person in recipients
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) unread notification of the user as read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def notification_replace(*, recipient: User, key: str, title: str, body: str = "", link: str = "") -> bool:
    """Keep one live notification per recipient and key: a new title replaces the old one (and
    shows as unread again) instead of stacking a second; the same title again changes nothing.
    True if the recipient has something new to read."""
    with transaction.atomic():
        current = Notification.objects.select_for_update().filter(recipient=recipient, dedupe_key=key).first()
        if current is None:
            return notification_send(recipient=recipient, title=title, body=body, link=link, dedupe_key=key)
        if current.title == title:
            return False
        Notification.objects.filter(pk=current.pk).update(
            title=title, body=body, link=link, read_at=None, created_at=timezone.now()
        )
    return True


def notifications_replace_many(items: Iterable[tuple[int, str, str, str, str]]) -> int:
    """`notification_replace` for many (recipient id, key, title, body, link) at once, for daily
    jobs that remind about thousands of objects: one read and one bulk write per 1,000. Returns
    how many recipients have something new to read."""
    wanted = {(recipient_id, key): (title, body, link) for recipient_id, key, title, body, link in items}
    pairs = list(wanted)
    changed = 0
    for start in range(0, len(pairs), 1000):
        chunk = pairs[start : start + 1000]
        with transaction.atomic():
            existing = {
                (n.recipient_id, n.dedupe_key): n
                for n in Notification.objects.select_for_update().filter(
                    recipient_id__in={r for r, _k in chunk}, dedupe_key__in={k for _r, k in chunk}
                )
            }
            fresh, replaced = [], []
            for pair in chunk:
                title, body, link = wanted[pair]
                current = existing.get(pair)
                if current is not None and current.title == title:
                    continue
                if current is not None:  # replaced: the new notice shows as new and unread
                    replaced.append(current.pk)
                fresh.append(
                    Notification(recipient_id=pair[0], dedupe_key=pair[1], title=title, body=body, link=link)
                )
            Notification.objects.filter(pk__in=replaced).delete()
            Notification.objects.bulk_create(fresh, ignore_conflicts=True)
            changed += len(fresh)
    return changed


def session_claim(user: User) -> bool:
    """One session per account (LIANQING_SINGLE_SESSION): a sign-in raises the account's session
    generation, which is part of every session's hash, so each earlier session ends at its next
    request. True when that happened."""
    from django.conf import settings
    from django.db.models import F

    if not settings.SINGLE_SESSION:
        return False
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    return True
