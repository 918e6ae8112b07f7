"""The state machine: which action may be taken from which status, by which role, and where.

`services.transition` is the only code that changes a case's status; it asks `check_allowed`
first. The effects of each action live in services.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lianqing.core.access import org_in_jurisdiction
from lianqing.core.models import User
from lianqing.core.roles import Role

from .access import case_visible_to, commission_of, user_works_in
from .errors import CaseError
from .models import Case, Kind, Status


class Place(StrEnum):
    COMMISSION = "commission"  # the petition office / leaders of the commission holding the case
    IN_CHARGE = "in_charge"  # the org in charge (承办部门 or the lower commission)


INTAKE_ROLES = (Role.PETITION, Role.LEADER)
HANDLING_ROLES = (Role.SUPERVISION, Role.INVESTIGATION, Role.CASE_MANAGEMENT, Role.PETITION, Role.LEADER)
LEAD_ROLES = (Role.CASE_MANAGEMENT, Role.SUPERVISION, Role.INVESTIGATION, Role.LEADER)
OVERSIGHT_ROLES = (Role.LEADER, Role.CASE_MANAGEMENT)

P, L, INV = Kind.PETITION, Kind.LEAD, Kind.INVESTIGATION


@dataclass(frozen=True)
class Action:
    name: str
    label: str | Promise
    kinds: frozenset[str]
    from_statuses: frozenset[str]
    roles: tuple[Role, ...]
    place: Place
    needs_reason: bool = False
    button_class: str = "btn-outline-primary"


def _action(
    name: str,
    label: str | Promise,
    kinds: set[str],
    from_statuses: set[str],
    roles: tuple[Role, ...],
    place: Place,
    **kw: object,
) -> Action:
    return Action(name, label, frozenset(kinds), frozenset(from_statuses), roles, place, **kw)  # type: ignore[arg-type]


S = Status
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        _action(
            "accept", _("受理"), {P}, {S.PENDING}, INTAKE_ROLES, Place.COMMISSION, button_class="btn-primary"
        ),
        _action("reject", _("不予受理"), {P}, {S.PENDING}, INTAKE_ROLES, Place.COMMISSION, needs_reason=True),
        _action(
            "send_up", _("报送上级"), {P}, {S.PENDING}, INTAKE_ROLES, Place.COMMISSION, needs_reason=True
        ),
        _action("merge", _("重复件并案"), {P}, {S.PENDING, S.ACCEPTED}, INTAKE_ROLES, Place.COMMISSION),
        _action(
            "assign",
            _("分办"),
            {P, L},
            {S.ACCEPTED, S.ASSIGNED, S.PENDING},
            (*INTAKE_ROLES, Role.CASE_MANAGEMENT),
            Place.COMMISSION,
            button_class="btn-primary",
        ),
        _action("start", _("开始办理"), {P, INV}, {S.ASSIGNED, S.PENDING}, HANDLING_ROLES, Place.IN_CHARGE),
        _action(
            "return",
            _("退回"),
            {P},
            {S.ASSIGNED, S.HANDLING},
            HANDLING_ROLES,
            Place.IN_CHARGE,
            needs_reason=True,
        ),
        _action(
            "extend",
            _("延期"),
            {P, L, INV},
            {S.HANDLING},
            (Role.LEADER,),
            Place.COMMISSION,
            needs_reason=True,
        ),
        _action(
            "conclude",
            _("办结"),
            {P, INV},
            {S.HANDLING},
            HANDLING_ROLES,
            Place.IN_CHARGE,
            button_class="btn-success",
        ),
        _action(
            "notify",
            _("告知受理情况"),
            {P},
            {S.ACCEPTED, S.ASSIGNED, S.HANDLING},
            INTAKE_ROLES,
            Place.COMMISSION,
        ),
        _action(
            "feedback",
            _("反馈举报人"),
            {P},
            {S.CONCLUDED},
            HANDLING_ROLES,
            Place.COMMISSION,
            button_class="btn-success",
        ),
        _action(
            "reopen",
            _("重新办理"),
            {P, L, INV},
            {S.REJECTED, S.CONCLUDED, S.FED_BACK},
            (*INTAKE_ROLES, Role.CASE_MANAGEMENT),
            Place.COMMISSION,
            needs_reason=True,
        ),
        _action("to_lead", _("转为问题线索"), {P}, {S.ACCEPTED, S.HANDLING}, HANDLING_ROLES, Place.IN_CHARGE),
        _action(
            "dispose", _("处置"), {L}, {S.PENDING}, LEAD_ROLES, Place.IN_CHARGE, button_class="btn-primary"
        ),
        _action("resume", _("恢复处置"), {L}, {S.SHELVED}, LEAD_ROLES, Place.IN_CHARGE, needs_reason=True),
        _action(
            "record_outcome",
            _("登记处置结果"),
            {L},
            {S.HANDLING},
            LEAD_ROLES,
            Place.IN_CHARGE,
            button_class="btn-success",
        ),
    ]
}


def _place_ok(case: Case, user: User, place: Place) -> bool:
    if user.has_role(*OVERSIGHT_ROLES) and org_in_jurisdiction(case.org, user):
        return True
    if place is Place.COMMISSION:
        return user_works_in(user, commission_of(case.org)) or user_works_in(user, case.home_org)
    return user_works_in(user, case.org)


def refusal(case: Case, action_name: str, user: User) -> str | None:
    """Why `user` may not take `action_name` on `case` now, or None when they may."""
    action = ACTIONS.get(action_name)
    if action is None:
        return f"未知的操作 {action_name} (unknown action)"
    if case.kind not in action.kinds:
        return f"{case.get_kind_display()}不能执行“{action.label}” (action {action_name} does not apply to this kind)"
    if case.status not in action.from_statuses or (action_name == "start" and not _start_applies(case)):
        return (
            f"案件当前状态为“{case.get_status_display()}”，不能执行“{action.label}” "
            f"(action {action_name} is not allowed in status {case.status})"
        )
    if action_name == "assign" and not _assign_applies(case):
        return (
            f"案件当前状态为“{case.get_status_display()}”，不能分办 (cannot assign in status {case.status})"
        )
    if not case_visible_to(case, user):
        return "没有找到该案件 (no such case)"
    if not user.has_role(*action.roles):
        return f"您的角色不能执行“{action.label}” (your role may not {action_name})"
    if not _place_ok(case, user, action.place):
        return f"该案件不在您的承办范围内，不能执行“{action.label}” (the case is outside your remit)"
    if case.higher_level and action_name in {"accept", "merge", "assign"}:
        return "该举报属上级管辖，只能报送上级 (this report belongs to the level above; send it up)"
    return None


def _start_applies(case: Case) -> bool:
    return case.status == Status.ASSIGNED if case.kind == Kind.PETITION else case.status == Status.PENDING


def _assign_applies(case: Case) -> bool:
    if case.kind == Kind.LEAD:
        return case.status == Status.PENDING
    return case.status in {Status.ACCEPTED, Status.ASSIGNED}


def check_allowed(case: Case, action_name: str, user: User) -> Action:
    reason = refusal(case, action_name, user)
    if reason is not None:
        raise CaseError(reason)
    return ACTIONS[action_name]


def allowed_actions(case: Case, user: User) -> list[Action]:
    return [action for name, action in ACTIONS.items() if refusal(case, name, user) is None]
