"""What an action is: its place in the state machine, and the typed facts it carries.

Each action is one frozen dataclass of the facts it needs (`Assign(to_org=…, mode=…)`) with
its effect (`apply`), registered with its row of the state machine by the `action` decorator.
`machine.transition` takes the facts, finds the row, checks it and applies the effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from lianqing.core.models import User
from lianqing.core.roles import Role

from ..errors import CaseError
from ..models import FORM_OF_OUTCOME, Case, Outcome, Status, TimeLimits


class Place(StrEnum):
    COMMISSION = "commission"  # the petition office / leaders of the commission holding the case
    IN_CHARGE = "in_charge"  # the org in charge (承办部门 or the lower commission)


INTAKE_ROLES = (Role.PETITION, Role.LEADER)
HANDLING_ROLES = (Role.SUPERVISION, Role.INVESTIGATION, Role.CASE_MANAGEMENT, Role.PETITION, Role.LEADER)
LEAD_ROLES = (Role.CASE_MANAGEMENT, Role.SUPERVISION, Role.INVESTIGATION, Role.LEADER)
TRIAL_ROLES = (Role.TRIAL, Role.LEADER)
OVERSIGHT_ROLES = (Role.LEADER, Role.CASE_MANAGEMENT)
# Roles that hand cases on (分办); the inbox offers bulk assign only to them.
ASSIGN_ROLES = (*INTAKE_ROLES, Role.CASE_MANAGEMENT)


@dataclass
class Step:
    """One action being applied: the locked case, who acts (None: the system), when, the limits."""

    case: Case
    by: User | None
    now: dt.datetime
    limits: TimeLimits


@dataclass(frozen=True, kw_only=True)
class Facts:
    """The facts an action carries. Subclasses add typed fields and implement `apply`."""

    spec: ClassVar[Action]
    reason: str = ""

    def apply(self, step: Step) -> dict[str, Any]:
        """Change `step.case` in memory (the machine saves it); return details for the timeline."""
        raise NotImplementedError


@dataclass(frozen=True)
class Action:
    name: str
    label: str | Promise
    kinds: frozenset[str]
    from_statuses: frozenset[str]
    roles: tuple[Role, ...]
    place: Place
    facts: type[Facts]
    needs_reason: bool = False
    button_class: str = "btn-outline-primary"
    # Applies only when this holds too (e.g. 开始办理 of a petition only once it is assigned).
    applies: Callable[[Case], bool] | None = None


ACTIONS: dict[str, Action] = {}
F = TypeVar("F", bound=type[Facts])
E = TypeVar("E", bound=StrEnum)


def choice(enum: type[E], value: str, *, field: str, missing: str) -> E:
    """The chosen member of `enum`, or a refusal at `field` (missing, or not one of the choices)."""
    if not value:
        raise CaseError(missing, field=field)
    try:
        return enum(value)
    except ValueError as exc:
        raise CaseError(_("无法识别的选项“%(value)s”") % {"value": value}, field=field) from exc


def conclude(case: Case, now: dt.datetime, *, outcome: Outcome, result: str) -> dict[str, Any]:
    """办结 with a recorded outcome: its 四种形态 level follows from it, and the statistics count
    it. The one place a petition's 办结, a lead's 处置结果 and a 处分决定 end a case."""
    case.outcome, case.form_level = outcome, FORM_OF_OUTCOME.get(outcome, 0)
    case.result = result
    case.status, case.concluded_at = Status.CONCLUDED, now
    return {"outcome": outcome.value, "form": case.form_level}


def action(
    name: str,
    label: str | Promise,
    *,
    kinds: set[str],
    from_statuses: set[str],
    roles: tuple[Role, ...],
    place: Place,
    needs_reason: bool = False,
    button_class: str = "btn-outline-primary",
    applies: Callable[[Case], bool] | None = None,
) -> Callable[[F], F]:
    """Register a facts class as the action `name` with its row of the state machine."""

    def register(cls: F) -> F:
        spec = Action(
            name=name,
            label=label,
            kinds=frozenset(kinds),
            from_statuses=frozenset(from_statuses),
            roles=roles,
            place=place,
            facts=cls,
            needs_reason=needs_reason,
            button_class=button_class,
            applies=applies,
        )
        cls.spec = spec
        ACTIONS[name] = spec
        return cls

    return register
