"""Actions of handling: 延期, the disposal of a lead (处置), and the 审理 stage of an investigation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lianqing.core.models import Org, OrgKind
from lianqing.core.roles import Role

from ..access import commission_of
from ..deadlines import add_months
from ..errors import CaseError
from ..models import Disposal, Kind, Outcome, Status
from ..registration import case_derive
from ..time_limits import start_clock
from .petition import start_handling_clock
from .spec import LEAD_ROLES, TRIAL_ROLES, Facts, Place, Step, action, choice, conclude

P, L, INV = Kind.PETITION, Kind.LEAD, Kind.INVESTIGATION
S = Status
INVESTIGATION_ROLES = LEAD_ROLES


@action("extend", _lazy("延期"), kinds={P, L, INV}, from_statuses={S.HANDLING}, roles=(Role.LEADER,),
        place=Place.COMMISSION, needs_reason=True)  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Extend(Facts):
    until: dt.date | None = None

    def apply(self, step: Step) -> dict[str, Any]:
        case, until = step.case, self.until
        if until is None:
            raise CaseError(_("请填写延期至日期"), field="until")
        if case.extension_count >= 1:
            raise CaseError(_("办理期限只能延长一次"), field="until")
        if case.handling_due is None:
            raise CaseError(_("该案件没有办结期限，无需延期"), field="until")
        limit = add_months(case.handling_due, step.limits.max_extension_months)
        if until <= case.handling_due or until > limit:
            raise CaseError(
                _("延期至 %(until)s 超出允许范围：应晚于 %(due)s 且不晚于 %(limit)s")
                % {"until": until, "due": case.handling_due, "limit": limit},
                field="until",
            )
        previous = case.handling_due
        case.handling_due = until
        case.extension_count += 1
        return {"from": previous.isoformat(), "until": until.isoformat()}


@action("dispose", _lazy("处置"), kinds={L}, from_statuses={S.PENDING}, roles=LEAD_ROLES,
        place=Place.IN_CHARGE, button_class="btn-primary")  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Dispose(Facts):
    method: str = ""
    external_org_name: str = ""
    result: str = ""

    def apply(self, step: Step) -> dict[str, Any]:
        case = step.case
        method = choice(Disposal, self.method, field="method", missing=_("请选择处置方式"))
        case.disposal = method
        if case.handler_id is None:
            case.handler = step.by
        if method in {Disposal.TALK, Disposal.VERIFY}:
            case.status = Status.HANDLING
            start_handling_clock(step)
        elif method == Disposal.SHELVE:
            case.status = Status.SHELVED
            start_clock(case, step.now, months=step.limits.shelved_review_months)
        elif method == Disposal.CLOSE:
            case.status, case.outcome, case.form_level = Status.CONCLUDED, Outcome.CLOSED, 0
            case.result = self.result or self.reason
            case.concluded_at = step.now
        else:
            if not self.external_org_name.strip():
                raise CaseError(_("请填写移送单位"), field="external_org_name")
            case.external_org_name = self.external_org_name.strip()
            case.status = Status.CONCLUDED
            case.result = self.result or _("移送%(org)s") % {"org": case.external_org_name}
            case.concluded_at = step.now
        return {"method": method.value}


@action("resume", _lazy("恢复处置"), kinds={L}, from_statuses={S.SHELVED}, roles=LEAD_ROLES,
        place=Place.IN_CHARGE, needs_reason=True)  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class Resume(Facts):
    def apply(self, step: Step) -> dict[str, Any]:
        step.case.status, step.case.disposal, step.case.handling_due = Status.PENDING, "", None
        return {}


@action("record_outcome", _lazy("登记处置结果"), kinds={L}, from_statuses={S.HANDLING}, roles=LEAD_ROLES,
        place=Place.IN_CHARGE, button_class="btn-success")  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class RecordOutcome(Facts):
    outcome: str = ""
    result: str = ""

    def apply(self, step: Step) -> dict[str, Any]:
        case = step.case
        outcome = choice(Outcome, self.outcome, field="outcome", missing=_("请选择处置结果"))
        details = conclude(case, step.now, outcome=outcome, result=self.result)
        if outcome == Outcome.INVESTIGATION:
            investigation = case_derive(
                case=case, kind=Kind.INVESTIGATION, org=case.org, by=step.by, now=step.now
            )
            details["investigation"] = investigation.number
        return details


# --- 审理: an investigation goes to the trial department, which gives its opinion, and the
# decision on sanctions (处分决定) is recorded before the case is concluded.


@action("send_to_trial", _lazy("移送审理"), kinds={INV}, from_statuses={S.HANDLING}, roles=INVESTIGATION_ROLES,
        place=Place.IN_CHARGE, button_class="btn-primary")  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class SendToTrial(Facts):
    to_org: Org | None = None

    def apply(self, step: Step) -> dict[str, Any]:
        case, commission = step.case, commission_of(step.case.org)
        to_org = self.to_org
        if to_org is None:
            raise CaseError(_("请选择审理部门"), field="to_org")
        if not (to_org.kind == OrgKind.DEPARTMENT and to_org.parent_id == commission.pk):
            raise CaseError(_("%(org)s 不是本机关的内设部门") % {"org": to_org}, field="to_org")
        case.details = {**case.details, "investigated_by": case.org.org_code}
        case.org, case.handler = to_org, None
        case.status = Status.IN_TRIAL
        start_clock(case, step.now, months=step.limits.trial_months)
        return {"to_org": to_org.org_code}


@action("trial_opinion", _lazy("提出审理意见"), kinds={INV}, from_statuses={S.IN_TRIAL}, roles=TRIAL_ROLES,
        place=Place.IN_CHARGE, button_class="btn-primary")  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class TrialOpinion(Facts):
    opinion: str = ""

    def apply(self, step: Step) -> dict[str, Any]:
        if not self.opinion.strip():
            raise CaseError(_("请填写审理意见"), field="opinion")
        case = step.case
        case.details = {**case.details, "trial_opinion": self.opinion.strip()}
        if case.handler_id is None:
            case.handler = step.by
        case.status = Status.TRIAL_REVIEWED
        start_clock(case, step.now, months=step.limits.trial_months)
        return {}


@action("record_decision", _lazy("登记处分决定"), kinds={INV}, from_statuses={S.TRIAL_REVIEWED},
        roles=TRIAL_ROLES, place=Place.IN_CHARGE, button_class="btn-success")  # fmt: skip
@dataclass(frozen=True, kw_only=True)
class RecordDecision(Facts):
    outcome: str = ""
    result: str = ""

    def apply(self, step: Step) -> dict[str, Any]:
        case = step.case
        outcome = choice(Outcome, self.outcome, field="outcome", missing=_("请选择处分决定"))
        if not self.result.strip():
            raise CaseError(_("请填写处分决定内容"), field="result")
        return conclude(case, step.now, outcome=outcome, result=self.result.strip())
