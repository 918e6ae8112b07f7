"""The task state machine: which step may be taken from which status, by whom, and `transition`,
the one door through which a task's status changes by a person's hand.

Lights move by the date (蓝 → 黄 → 红, and 已锁定 after the grace days) in the daily job,
set-based (`lights.py`), using the same from-status sets as declared here (LIGHT_STEPS).

    open ─┬─ submit ──> submitted ─┬─ accept (grade) ──> accepted (绿)
          │                        └─ return (reason) ─> returned ─ submit ─> …
          └─ (job) lock ──> locked ─ reopen (reviewer, reason) ─> reopened ─ submit ─> …
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianqing.core.models import User

from .access import is_reviewer, is_unit_liaison
from .calendar import working_days_after
from .errors import DutyError
from .events import task_transitioned_event
from .models import ACTIVE_STATUSES, EvidenceKind, Grade, Light, Task, TaskStatus

ACTIVE = frozenset(ACTIVE_STATUSES)

# The daily job's light steps (set-based in lights.py): name -> statuses they apply to.
LIGHT_STEPS: dict[str, frozenset[str]] = {"warn": ACTIVE, "overdue": ACTIVE, "lock": ACTIVE}


@dataclass(frozen=True)
class Submit:
    account: str
    name: ClassVar[str] = "submit"
    label: ClassVar[object] = gettext_lazy("提交审核")
    from_statuses: ClassVar[frozenset[str]] = ACTIVE
    by_reviewer: ClassVar[bool] = False


@dataclass(frozen=True)
class Return:
    reason: str
    name: ClassVar[str] = "return"
    label: ClassVar[object] = gettext_lazy("退回")
    from_statuses: ClassVar[frozenset[str]] = frozenset({TaskStatus.SUBMITTED})
    by_reviewer: ClassVar[bool] = True


@dataclass(frozen=True)
class Accept:
    grade: str
    note: str = ""
    name: ClassVar[str] = "accept"
    label: ClassVar[object] = gettext_lazy("审核通过")
    from_statuses: ClassVar[frozenset[str]] = frozenset({TaskStatus.SUBMITTED})
    by_reviewer: ClassVar[bool] = True


@dataclass(frozen=True)
class Reopen:
    reason: str
    name: ClassVar[str] = "reopen"
    label: ClassVar[object] = gettext_lazy("解锁")
    from_statuses: ClassVar[frozenset[str]] = frozenset({TaskStatus.LOCKED})
    by_reviewer: ClassVar[bool] = True


Action = Submit | Return | Accept | Reopen
ACTIONS: tuple[type[Submit] | type[Return] | type[Accept] | type[Reopen], ...] = (
    Submit,
    Return,
    Accept,
    Reopen,
)


def refusal(task: Task, action: type[Action] | Action, user: User) -> str | None:
    """Why `user` may not take `action` on `task` now, or None."""
    if task.status not in action.from_statuses:
        return _("任务当前状态为“%(status)s”，不能%(action)s") % {
            "status": task.get_status_display(),
            "action": action.label,
        }
    allowed = is_reviewer(user, task) if action.by_reviewer else is_unit_liaison(user, task)
    if not allowed:
        return _("您不能对该任务执行“%(action)s”") % {"action": action.label}
    return None


def allowed_actions(task: Task, user: User) -> list[str]:
    return [action.name for action in ACTIONS if refusal(task, action, user) is None]


def missing_evidence(task: Task) -> list[str]:
    have = set(task.evidence.values_list("kind", flat=True))
    return [str(EvidenceKind(kind).label) for kind in task.item.evidence_kinds if kind not in have]


def _apply(locked: Task, action: Action, today: dt.date) -> str:
    """Apply the step's effect to the locked task; returns the reason to record."""
    now = timezone.now()
    if isinstance(action, Submit):
        account = action.account.strip()
        if not account:
            raise DutyError(_("请填写履责纪实"), field="account")
        missing = missing_evidence(locked)
        if missing:
            raise DutyError(_("还缺少佐证材料：%(kinds)s") % {"kinds": "、".join(missing)}, field="file")
        locked.account, locked.submitted_at, locked.status = account[:5000], now, TaskStatus.SUBMITTED
        return ""
    if isinstance(action, Return):
        if not action.reason.strip():
            raise DutyError(_("退回须填写理由"), field="reason")
        locked.status, locked.reviewed_at = TaskStatus.RETURNED, now
        return action.reason.strip()
    if isinstance(action, Accept):
        if action.grade not in Grade.values:
            raise DutyError(_("请选择评定等次"), field="grade")
        locked.status, locked.light, locked.grade, locked.reviewed_at = (
            TaskStatus.ACCEPTED,
            Light.GREEN,
            action.grade,
            now,
        )
        return action.note.strip()
    if not action.reason.strip():
        raise DutyError(_("解锁须填写理由"), field="reason")
    # Lateness stays on record (was_late, red light); the unit gets the grace days again.
    locked.status = TaskStatus.REOPENED
    locked.lock_on = working_days_after(today, locked.assignment.lock_grace_days or 1)
    return action.reason.strip()


@transaction.atomic
def transition(*, task: Task, by: User, action: Action, expected_version: int | None = None) -> Task:
    """Take `action` on `task` as `by`; returns the updated task or raises DutyError, changing nothing."""
    from .notices import after_step
    from .tally import tally_rebuild

    locked = Task.objects.select_for_update().get(pk=task.pk)
    if expected_version is not None and locked.version != expected_version:
        raise DutyError(_("任务已被他人更新，请刷新后重试"))
    locked.unit, locked.item, locked.assignment = task.unit, task.item, task.assignment
    reason = refusal(locked, action, by)
    if reason is not None:
        raise DutyError(reason)
    from_status = locked.status
    recorded = _apply(locked, action, timezone.localdate())
    locked.version += 1
    locked.save(
        update_fields=[
            "status",
            "light",
            "account",
            "submitted_at",
            "grade",
            "reviewed_at",
            "lock_on",
            "version",
        ]
    )
    task_transitioned_event(task=locked, by=by, action=action.name, from_status=from_status, reason=recorded)
    after_step(locked, action.name, recorded)
    tally_rebuild(year=locked.year, unit_ids=[locked.unit_id])
    for field in ("status", "light", "account", "submitted_at", "grade", "reviewed_at", "lock_on", "version"):
        setattr(task, field, getattr(locked, field))
    return locked
