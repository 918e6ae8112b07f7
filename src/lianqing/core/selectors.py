"""Reads of the core app."""

from __future__ import annotations

from django.db.models import QuerySet

from lianqing.core.access import scope_to_jurisdiction
from lianqing.core.models import Notification, Org, User


def org_list(*, user: User) -> QuerySet[Org]:
    return scope_to_jurisdiction(Org.objects.select_related("parent"), user, org_field="")


def org_staff_list(*, org: Org) -> QuerySet[User]:
    return User.objects.filter(org=org, is_active=True).prefetch_related("groups").order_by("username")


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def org_names_under(*, path: str) -> list[str]:
    """Names of the orgs of a subtree (the vocabulary a reader of reports needs)."""
    return sorted(set(Org.objects.filter(path__startswith=path).values_list("name", flat=True)))
