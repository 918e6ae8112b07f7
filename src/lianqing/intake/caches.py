"""What every submission reads and almost never changes, cached per process (core.generations):
the receiving commission and the live keys of its recipients.

Who receives a report depends on people (active, roles, org), orgs and keys: any change to
them (saved, deleted, a role given or taken, a key created, retired or rotated) starts a new
generation, so the next submission seals to exactly the people allowed to read it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save

from lianqing.core.generations import Generation
from lianqing.core.models import Org, User

RECIPIENTS = Generation("intake-recipients")


def _changed(sender: type, **kwargs: Any) -> None:
    if (
        sender is User
        and set(kwargs.get("update_fields") or ()) <= {"last_login"}
        and kwargs.get("update_fields")
    ):
        return  # a login: nothing a recipient depends on
    RECIPIENTS.changed()


def caches_connect() -> None:
    from lianqing.intake.models import StaffKey

    for model in (User, Org, Group, StaffKey):
        uid = f"intake-recipients-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_changed, sender=User.groups.through, dispatch_uid="intake-recipients-roles")
