"""The one state machine of everything published (articles, 民生资金 disclosures, statistics):
typed actions, their table, and `transition`, the one door through which a status changes.

draft ─submit→ review ─approve(publish_at)→ approved (public from publish_at) ─withdraw→ withdrawn
                 └─return(reason)→ draft                                withdrawn ─redraft→ draft

A 领导 approves, and never what they wrote themselves. Withdrawal keeps the item and its record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianqing.core.access import org_in_jurisdiction
from lianqing.core.models import User
from lianqing.core.roles import Role

from . import events
from .cache import generation_bump
from .errors import PublicityError
from .models import PublicationStatus, PublicationStep, Publishable

S = PublicationStatus


@dataclass(frozen=True, kw_only=True)
class Action:
    """The facts of one action; subclasses declare their row of the table."""

    name: ClassVar[str]
    label: ClassVar[object]
    from_statuses: ClassVar[frozenset[str]]
    to_status: ClassVar[str]
    leader_only: ClassVar[bool] = False
    needs_reason: ClassVar[bool] = False
    reason: str = ""

    def apply(self, item: Publishable, by: User, now: dt.datetime) -> dict[str, object]:
        return {}


@dataclass(frozen=True, kw_only=True)
class Submit(Action):
    name = "submit"
    label = gettext_lazy("提交审核")
    from_statuses = frozenset({S.DRAFT})
    to_status = S.REVIEW


@dataclass(frozen=True, kw_only=True)
class Approve(Action):
    name = "approve"
    label = gettext_lazy("批准发布")
    from_statuses = frozenset({S.REVIEW})
    to_status = S.APPROVED
    leader_only = True
    publish_at: dt.datetime | None = None

    def apply(self, item: Publishable, by: User, now: dt.datetime) -> dict[str, object]:
        if item.created_by_id == by.pk:
            raise PublicityError(_("不能批准自己撰写的内容，请由另一位领导审核"))
        item.publish_at = max(self.publish_at or now, now)
        item.approved_by = by
        return {"publish_at": item.publish_at.isoformat()}


@dataclass(frozen=True, kw_only=True)
class Return(Action):
    name = "return"
    label = gettext_lazy("退回修改")
    from_statuses = frozenset({S.REVIEW})
    to_status = S.DRAFT
    leader_only = True
    needs_reason = True


@dataclass(frozen=True, kw_only=True)
class Withdraw(Action):
    name = "withdraw"
    label = gettext_lazy("撤回")
    from_statuses = frozenset({S.APPROVED})
    to_status = S.WITHDRAWN
    leader_only = True
    needs_reason = True

    def apply(self, item: Publishable, by: User, now: dt.datetime) -> dict[str, object]:
        item.withdraw_reason = self.reason  # type: ignore[attr-defined]
        return {"was_public": bool(item.publish_at and item.publish_at <= now)}


@dataclass(frozen=True, kw_only=True)
class Redraft(Action):
    name = "redraft"
    label = gettext_lazy("重新编辑")
    from_statuses = frozenset({S.WITHDRAWN})
    to_status = S.DRAFT


ACTIONS: dict[str, type[Action]] = {cls.name: cls for cls in (Submit, Approve, Return, Withdraw, Redraft)}


def refusal(
    item: Publishable, action: type[Action], user: User, *, editor_roles: tuple[Role, ...]
) -> str | None:
    """Why `user` may not take `action` on `item` now, or None."""
    if not org_in_jurisdiction(item.org, user):
        return _("没有找到该内容")
    if item.status not in action.from_statuses:
        return _("当前状态为“%(status)s”，不能执行“%(action)s”") % {
            "status": item.get_status_display(),  # type: ignore[attr-defined]
            "action": action.label,
        }
    roles = (Role.LEADER,) if action.leader_only else editor_roles
    if not user.has_role(*roles):
        return _("您的角色不能执行“%(action)s”") % {"action": action.label}
    return None


def allowed_actions(item: Publishable, user: User, *, editor_roles: tuple[Role, ...]) -> list[type[Action]]:
    return [a for a in ACTIONS.values() if refusal(item, a, user, editor_roles=editor_roles) is None]


@transaction.atomic
def transition(
    *,
    item: Publishable,
    by: User,
    facts: Action,
    editor_roles: tuple[Role, ...],
    expected_version: int | None = None,
) -> Publishable:
    """Take the action `facts` on `item` as `by`: checked, applied, recorded; or PublicityError."""
    manager = type(item)._default_manager
    locked = manager.select_for_update().get(pk=item.pk)
    if expected_version is not None and locked.version != expected_version:
        raise PublicityError(_("内容已被他人更新，请刷新后重试"))
    reason = refusal(locked, type(facts), by, editor_roles=editor_roles)
    if reason is not None:
        raise PublicityError(reason)
    if facts.needs_reason and not facts.reason.strip():
        raise PublicityError(_("“%(action)s”须填写理由") % {"action": facts.label}, field="reason")
    now = timezone.now()
    from_status = locked.status
    details = facts.apply(locked, by, now)
    locked.status = facts.to_status
    locked.version += 1
    locked.save()
    PublicationStep.objects.create(
        object_type=str(locked._meta.model_name),
        object_id=locked.pk,
        action=facts.name,
        from_status=from_status,
        to_status=locked.status,
        by=by,
        reason=facts.reason.strip(),
        details=details,
        at=now,
    )
    events.publication_transitioned_event(
        item=locked, by=by, action=facts.name, from_status=from_status, reason=facts.reason, details=details
    )
    if S.APPROVED in (from_status, locked.status):
        generation_bump()
    for name in ("status", "version", "publish_at", "approved_by_id"):
        setattr(item, name, getattr(locked, name))
    return locked
