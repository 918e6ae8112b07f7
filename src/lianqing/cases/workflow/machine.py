"""The state machine: which action may be taken from which status, by which role, and where,
and `transition`, the one door through which a case's status changes.

`transition` locks the row (two handlers acting at once never lose an update), checks the action
against the state machine and the user's role and remit, applies the action's effect, records
the step in the timeline and the audit log, moves the tallies and sets the next deadline.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.access import org_in_jurisdiction
from lianqing.core.models import User

from ..access import case_visible_to, commission_of, user_works_in
from ..errors import CaseError
from ..events import case_transitioned_event
from ..models import Case
from ..tally import tally_change, tally_row
from ..time_limits import next_deadline, time_limits
from . import handling, petition  # noqa: F401  (registers the actions)
from .spec import ACTIONS, OVERSIGHT_ROLES, Action, Facts, Place, Step

CHANGING_FIELDS = [
    "status", "org", "handler", "higher_level", "accepted_at", "assigned_at", "concluded_at",
    "acceptance_notified_at", "replied_at", "deadline", "deadline_label", "handling_due", "extension_count",
    "assign_route", "assign_mode", "external_org_name", "disposal", "outcome", "form_level", "result",
    "reporter_reply", "merged_into", "details", "version", "updated_at",
]  # fmt: skip


def _place_ok(case: Case, user: User, place: Place) -> bool:
    if user.has_role(*OVERSIGHT_ROLES) and org_in_jurisdiction(case.org, user):
        return True
    if place is Place.COMMISSION:
        return user_works_in(user, commission_of(case.org)) or user_works_in(user, case.home_org)
    return user_works_in(user, case.org)


def state_refusal(case: Case, spec: Action) -> str | None:
    """Why the case's kind and status do not allow the action now, or None."""
    if case.kind not in spec.kinds:
        return _("%(kind)s不能执行“%(action)s”") % {"kind": case.get_kind_display(), "action": spec.label}
    if case.status not in spec.from_statuses or (spec.applies is not None and not spec.applies(case)):
        return _("案件当前状态为“%(status)s”，不能执行“%(action)s”") % {
            "status": case.get_status_display(),
            "action": spec.label,
        }
    return None


def _user_refusal(case: Case, spec: Action, user: User) -> str | None:
    if not user.has_role(*spec.roles):
        return _("您的角色不能执行“%(action)s”") % {"action": spec.label}
    if not _place_ok(case, user, spec.place):
        return _("该案件不在您的承办范围内，不能执行“%(action)s”") % {"action": spec.label}
    if case.higher_level and spec.name in {"accept", "merge", "assign"}:
        return _("该举报属上级管辖，只能报送上级")
    return None


def refusal(case: Case, action_name: str, user: User) -> str | None:
    """Why `user` may not take `action_name` on `case` now, or None when they may."""
    spec = ACTIONS.get(action_name)
    if spec is None:
        return _("未知的操作")
    if not case_visible_to(case, user):
        return _("没有找到该案件")
    return state_refusal(case, spec) or _user_refusal(case, spec, user)


def allowed_actions(case: Case, user: User) -> list[Action]:
    if not case_visible_to(case, user):
        return []
    return [
        spec
        for spec in ACTIONS.values()
        if (state_refusal(case, spec) or _user_refusal(case, spec, user)) is None
    ]


def apply_step(locked: Case, facts: Facts, by: User | None) -> dict[str, Any]:
    """Apply an allowed action to a locked case: effect, deadline, save, tallies, timeline, audit."""
    spec = facts.spec
    reason = facts.reason.strip()
    if spec.needs_reason and not reason:
        raise CaseError(_("“%(action)s”须填写理由") % {"action": spec.label}, field="reason")
    tallied, from_status = tally_row(locked), locked.status
    limits = time_limits()
    details = facts.apply(Step(case=locked, by=by, now=timezone.now(), limits=limits))
    locked.deadline, locked.deadline_label = next_deadline(locked, limits)
    locked.version += 1
    locked.save(update_fields=CHANGING_FIELDS)
    tally_change(tallied, tally_row(locked))
    case_transitioned_event(
        case=locked, by=by, action=spec.name, from_status=from_status, reason=reason, details=details
    )
    return details


@transaction.atomic
def transition(*, case: Case, by: User, facts: Facts, expected_version: int | None = None) -> Case:
    """Take the action `facts` stands for on `case` as `by`; returns the updated case or raises
    CaseError, changing nothing. The caller's instance reflects the new state too."""
    from ..notices import after_transition

    # Lock the case row alone: with joins in a FOR UPDATE, PostgreSQL re-checks the join against
    # the old org row after waiting and may drop a case whose org the other handler just changed.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise CaseError(_("案件已被他人更新，请刷新后重试"))
    reason = refusal(locked, facts.spec.name, by)
    if reason is not None:
        raise CaseError(reason)
    apply_step(locked, facts, by)
    after_transition(case=locked, by=by, facts=facts)
    for field in [*CHANGING_FIELDS, "handler_id", "org_id", "merged_into_id"]:
        setattr(case, field, getattr(locked, field))
    return locked
