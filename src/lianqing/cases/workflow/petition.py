"""Actions on a petition (信访举报): from receipt through 受理, 分办 and 办理 to 反馈."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lianqing.core.models import Org, OrgKind, User

from ..access import case_visible_to, commission_of
from ..errors import CaseError
from ..events import case_merged_in_event
from ..models import (
    AssignMode,
    AssignRoute,
    Case,
    Disposal,
    HigherLevel,
    Kind,
    Outcome,
    Status,
)
from ..registration import case_derive
from ..time_limits import start_clock
from .spec import ASSIGN_ROLES, HANDLING_ROLES, INTAKE_ROLES, Facts, Place, Step, action, choice, conclude

P, L, INV = Kind.PETITION, Kind.LEAD, Kind.INVESTIGATION
S = Status


def parent_commission(org: Org) -> Org | None:
    commission = commission_of(org)
    return commission_of(commission.parent) if commission.parent else None


def start_handling_clock(step: Step) -> None:
    step.case.assigned_at = step.now
    start_clock(step.case, step.now, months=step.limits.handling_months)
    step.case.extension_count = 0


@action("accept", _lazy("受理"), kinds={P}, from_statuses={S.PENDING}, roles=INTAKE_ROLES,
        place=Place.COMMISSION, button_class="btn-primary")  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Accept(Facts):
    def apply(self, step: Step) -> dict[str, Any]:
        step.case.status = Status.ACCEPTED
        step.case.accepted_at = step.now
        return {}


@action("reject", _lazy("不予受理"), kinds={P}, from_statuses={S.PENDING}, roles=INTAKE_ROLES,
        place=Place.COMMISSION, needs_reason=True)  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Reject(Facts):
    def apply(self, step: Step) -> dict[str, Any]:
        step.case.status = Status.REJECTED
        step.case.concluded_at = step.now
        step.case.result = self.reason
        return {}


@action("send_up", _lazy("报送上级"), kinds={P}, from_statuses={S.PENDING}, roles=INTAKE_ROLES,
        place=Place.COMMISSION, needs_reason=True)  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class SendUp(Facts):
    def apply(self, step: Step) -> dict[str, Any]:
        case = step.case
        case.status = Status.SENT_UP
        if not case.higher_level:
            case.higher_level = HigherLevel.LEVEL_ABOVE
        parent = parent_commission(case.org)
        if parent is not None:
            case.org = parent
        return {"to_org": parent.org_code if parent else ""}


@action("merge", _lazy("重复件并案"), kinds={P}, from_statuses={S.PENDING, S.ACCEPTED}, roles=INTAKE_ROLES,
        place=Place.COMMISSION)  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Merge(Facts):
    original: Case

    def apply(self, step: Step) -> dict[str, Any]:
        case, original = step.case, self.original
        if original.pk == case.pk or original.status == Status.MERGED:
            raise CaseError(_("不能并入自身或已并案的案件"), field="original_number")
        same_commission = commission_of(original.home_org).pk == commission_of(case.home_org).pk
        if not same_commission or step.by is None or not case_visible_to(original, step.by):
            raise CaseError(
                _("原件 %(number)s 不属于本机关管辖，不能并案") % {"number": original},
                field="original_number",
            )
        if original.kind != case.kind:
            raise CaseError(_("只能并入同类案件"), field="original_number")
        case.status = Status.MERGED
        case.merged_into = original
        case.concluded_at = step.now
        case_merged_in_event(original=original, by=step.by, duplicate=case, reason=self.reason)
        return {"original": original.number}


def _assign_applies(case: Case) -> bool:
    if case.kind == Kind.LEAD:
        return case.status == Status.PENDING
    return case.status in {Status.ACCEPTED, Status.ASSIGNED}


@action("assign", _lazy("分办"), kinds={P, L}, from_statuses={S.ACCEPTED, S.ASSIGNED, S.PENDING},
        roles=ASSIGN_ROLES, place=Place.COMMISSION, button_class="btn-primary",
        applies=_assign_applies)  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Assign(Facts):
    to_org: Org | None = None
    route: str = AssignRoute.DEPARTMENT
    mode: str = AssignMode.DELEGATE
    handler: User | None = None
    external_org_name: str = ""

    def _target(self, case: Case) -> Org:
        commission = commission_of(case.org)
        route = choice(AssignRoute, self.route or AssignRoute.DEPARTMENT, field="route", missing="")
        to_org = self.to_org
        if route == AssignRoute.OTHER_ORGAN:
            if not self.external_org_name.strip():
                raise CaseError(_("请填写有关机关名称"), field="external_org_name")
            return to_org or commission
        if to_org is None:
            raise CaseError(_("请选择承办机构"), field="to_org")
        if route == AssignRoute.DEPARTMENT and not (
            to_org.kind == OrgKind.DEPARTMENT and to_org.parent_id == commission.pk
        ):
            raise CaseError(_("%(org)s 不是本机关的内设部门") % {"org": to_org}, field="to_org")
        if route == AssignRoute.LOWER_COMMISSION:
            if (
                to_org.pk == commission.pk
                or not to_org.is_within(commission)
                or to_org.kind == OrgKind.DEPARTMENT
            ):
                raise CaseError(_("%(org)s 不是下级纪委") % {"org": to_org}, field="to_org")
            if case.higher_level:
                raise CaseError(_("反映上级的举报不得转下级办理"), field="route")
        return to_org

    def apply(self, step: Step) -> dict[str, Any]:
        case = step.case
        route = choice(AssignRoute, self.route or AssignRoute.DEPARTMENT, field="route", missing="")
        mode = choice(AssignMode, self.mode or AssignMode.DELEGATE, field="mode", missing="")
        to_org = self._target(case)
        if case.kind == Kind.LEAD and route != AssignRoute.DEPARTMENT:
            raise CaseError(_("问题线索只能分给承办部门"), field="route")
        handler = self.handler
        if handler is not None and not (handler.org and handler.org.is_within(to_org)):
            raise CaseError(
                _("承办人 %(user)s 不在 %(org)s") % {"user": handler, "org": to_org}, field="handler"
            )
        if route == AssignRoute.OTHER_ORGAN:
            case.external_org_name = self.external_org_name.strip()
        case.org, case.handler = to_org, handler
        case.assign_route, case.assign_mode = route, mode
        if case.kind == Kind.PETITION:
            case.status = Status.ASSIGNED
            start_handling_clock(step)
        return {"route": route.value, "mode": mode.value, "to_org": to_org.org_code,
                "handler": handler.username if handler else ""}  # fmt: skip


def _start_applies(case: Case) -> bool:
    return case.status == Status.ASSIGNED if case.kind == Kind.PETITION else case.status == Status.PENDING


@action("start", _lazy("开始办理"), kinds={P, INV}, from_statuses={S.ASSIGNED, S.PENDING},
        roles=HANDLING_ROLES, place=Place.IN_CHARGE, applies=_start_applies)  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Start(Facts):
    def apply(self, step: Step) -> dict[str, Any]:
        case = step.case
        case.status = Status.HANDLING
        if case.handler_id is None:
            case.handler = step.by
        if case.handling_due is None:
            start_handling_clock(step)
        return {}


@action("return", _lazy("退回"), kinds={P}, from_statuses={S.ASSIGNED, S.HANDLING}, roles=HANDLING_ROLES,
        place=Place.IN_CHARGE, needs_reason=True)  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Return(Facts):
    def apply(self, step: Step) -> dict[str, Any]:
        case = step.case
        case.status, case.org, case.handler = Status.ACCEPTED, case.home_org, None
        case.assign_route = case.assign_mode = ""
        case.handling_due = case.assigned_at = None
        return {}


@action("conclude", _lazy("办结"), kinds={P}, from_statuses={S.HANDLING}, roles=HANDLING_ROLES,
        place=Place.IN_CHARGE, button_class="btn-success")  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Conclude(Facts):
    """办结 of a petition records how it was dealt with and what it ended in, as for a lead,
    so the 处置方式 and 四种形态 statistics count it."""

    result: str
    disposal: str = ""
    outcome: str = ""

    def apply(self, step: Step) -> dict[str, Any]:
        disposal = choice(Disposal, self.disposal, field="disposal", missing=_("请选择处置方式"))
        outcome = choice(Outcome, self.outcome, field="outcome", missing=_("请选择处置结果"))
        if not self.result.strip():
            raise CaseError(_("请填写办理结果"), field="result")
        step.case.disposal = disposal
        return {"disposal": disposal.value} | conclude(
            step.case, step.now, outcome=outcome, result=self.result.strip()
        )


@action("notify", _lazy("告知受理情况"), kinds={P}, from_statuses={S.ACCEPTED, S.ASSIGNED, S.HANDLING},
        roles=INTAKE_ROLES, place=Place.COMMISSION)  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Notify(Facts):
    text: str

    def apply(self, step: Step) -> dict[str, Any]:
        if not self.text.strip():
            raise CaseError(_("请填写告知内容"), field="text")
        step.case.reporter_reply = self.text.strip()
        step.case.acceptance_notified_at = step.case.replied_at = step.now
        return {}


@action("feedback", _lazy("反馈举报人"), kinds={P}, from_statuses={S.CONCLUDED}, roles=HANDLING_ROLES,
        place=Place.COMMISSION, button_class="btn-success")  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Feedback(Facts):
    text: str

    def apply(self, step: Step) -> dict[str, Any]:
        if not self.text.strip():
            raise CaseError(_("请填写反馈内容"), field="text")
        step.case.reporter_reply = self.text.strip()
        step.case.replied_at = step.now
        step.case.status = Status.FED_BACK
        return {}


@action("reopen", _lazy("重新办理"), kinds={P, L, INV}, from_statuses={S.REJECTED, S.CONCLUDED, S.FED_BACK},
        roles=ASSIGN_ROLES, place=Place.COMMISSION, needs_reason=True)  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Reopen(Facts):
    def apply(self, step: Step) -> dict[str, Any]:
        case = step.case
        if case.kind == Kind.PETITION and case.assigned_at is None:
            case.status = Status.ACCEPTED
        else:
            case.status = Status.HANDLING
            start_handling_clock(step)
        case.concluded_at = None
        return {}


@action("to_lead", _lazy("转为问题线索"), kinds={P}, from_statuses={S.ACCEPTED, S.HANDLING},
        roles=HANDLING_ROLES, place=Place.IN_CHARGE)  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class ToLead(Facts):
    summary: str = ""

    def apply(self, step: Step) -> dict[str, Any]:
        lead = case_derive(
            case=step.case, kind=Kind.LEAD, org=commission_of(step.case.org), by=step.by, now=step.now,
            summary=self.summary,
        )  # fmt: skip
        return {"lead": lead.number}
