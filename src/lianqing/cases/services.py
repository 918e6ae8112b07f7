"""Writes of case handling: register a case, one typed entry point per workflow action, notes,
attachments, bulk assign, and the audited reads (export, print, attachment download).

Every status change goes through `workflow.transition`; the entry points here only build the
action's typed facts.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.files.base import File
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianqing.core.models import Clearance, Org, User

from . import workflow as wf
from .errors import CaseError
from .events import (
    case_attachment_added_event,
    case_attachment_opened_event,
    case_note_added_event,
    case_printed_event,
    case_recategorised_event,
    cases_exported_event,
)
from .export import cases_to_xlsx
from .models import AssignMode, AssignRoute, Case, CaseAttachment, CaseNote, Category, HigherLevel
from .registration import case_create
from .selectors import CaseFilters, case_list
from .tally import tally_change, tally_row

if TYPE_CHECKING:
    from lianqing.intake.services import ReporterIdentity

OWN_HEAD_REASON = gettext_noop("反映本级纪委监委主要负责人，直接报送上级")


def case_register(
    *,
    kind: str,
    source: str,
    category: str,
    summary: str,
    region_code: str,
    org: Org,
    received_at: dt.datetime,
    reported_persons: list[dict[str, str]],
    created_by: User | None = None,
    confidentiality: int = Clearance.ORDINARY,
    details: dict[str, Any] | None = None,
    is_reporter_named: bool = False,
    higher_level: str = HigherLevel.NONE,
    reporter: ReporterIdentity | None = None,
    savepoint: bool = True,
) -> Case:
    """Register a new case in 待受理. A report about this commission's own head goes straight up
    (检举控告工作规则 第十四条): a rule of registration, so no user's role is checked, but the step
    is the state machine's 报送上级 all the same. `reporter`: a named reporter's identity (登记
    实名), sealed by the intake app as a portal reporter's is, never stored in the case.

    `savepoint=False`: inside a caller's transaction, no savepoint of its own (two statements
    fewer); only for a caller that lets any failure here roll back its whole transaction (the
    portal's submission), never one that catches CaseError and carries on (the register page).
    """
    with transaction.atomic(savepoint=savepoint):
        is_reporter_named = is_reporter_named or reporter is not None
        case = case_create(
            kind=kind,
            source=source,
            category=category,
            summary=summary,
            region_code=region_code,
            org=org,
            received_at=received_at,
            reported_persons=reported_persons,
            created_by=created_by,
            confidentiality=confidentiality,
            details=details,
            is_reporter_named=is_reporter_named,
            higher_level=higher_level,
        )
        if reporter is not None:
            from lianqing.intake.errors import IntakeError
            from lianqing.intake.services import registered_identity_seal

            try:
                registered_identity_seal(case=case, identity=reporter, by=created_by)
            except IntakeError as error:
                raise CaseError(error.message, field=error.field or "") from None
        if higher_level == HigherLevel.OWN_HEAD:
            refused = wf.state_refusal(case, wf.SendUp.spec)
            if refused:  # pragma: no cover - a new petition is always pending
                raise CaseError(refused)
            wf.apply_step(case, wf.SendUp(reason=OWN_HEAD_REASON), created_by)
        return case


# --- one typed entry point per action --------------------------------------------------------


def case_accept(*, case: Case, by: User, expected_version: int | None = None) -> Case:
    return wf.transition(case=case, by=by, facts=wf.Accept(), expected_version=expected_version)


def case_reject(*, case: Case, by: User, reason: str) -> Case:
    return wf.transition(case=case, by=by, facts=wf.Reject(reason=reason))


def case_send_up(*, case: Case, by: User, reason: str) -> Case:
    return wf.transition(case=case, by=by, facts=wf.SendUp(reason=reason))


def case_merge(*, case: Case, by: User, original: Case, reason: str = "") -> Case:
    return wf.transition(case=case, by=by, facts=wf.Merge(original=original, reason=reason))


def case_assign(
    *,
    case: Case,
    by: User,
    to_org: Org | None,
    route: str = AssignRoute.DEPARTMENT,
    mode: str = AssignMode.DELEGATE,
    handler: User | None = None,
    external_org_name: str = "",
) -> Case:
    facts = wf.Assign(
        to_org=to_org, route=route, mode=mode, handler=handler, external_org_name=external_org_name
    )
    return wf.transition(case=case, by=by, facts=facts)


def case_start(*, case: Case, by: User) -> Case:
    return wf.transition(case=case, by=by, facts=wf.Start())


def case_return(*, case: Case, by: User, reason: str) -> Case:
    return wf.transition(case=case, by=by, facts=wf.Return(reason=reason))


def case_extend(*, case: Case, by: User, until: dt.date, reason: str) -> Case:
    return wf.transition(case=case, by=by, facts=wf.Extend(until=until, reason=reason))


def case_conclude(*, case: Case, by: User, disposal: str, outcome: str, result: str) -> Case:
    return wf.transition(
        case=case, by=by, facts=wf.Conclude(disposal=disposal, outcome=outcome, result=result)
    )


def case_notify(*, case: Case, by: User, text: str) -> Case:
    return wf.transition(case=case, by=by, facts=wf.Notify(text=text))


def case_feedback(*, case: Case, by: User, text: str) -> Case:
    return wf.transition(case=case, by=by, facts=wf.Feedback(text=text))


def case_reopen(*, case: Case, by: User, reason: str) -> Case:
    return wf.transition(case=case, by=by, facts=wf.Reopen(reason=reason))


def case_to_lead(*, case: Case, by: User) -> Case:
    return wf.transition(case=case, by=by, facts=wf.ToLead())


def case_dispose(
    *, case: Case, by: User, method: str, external_org_name: str = "", result: str = "", reason: str = ""
) -> Case:
    facts = wf.Dispose(method=method, external_org_name=external_org_name, result=result, reason=reason)
    return wf.transition(case=case, by=by, facts=facts)


def case_resume(*, case: Case, by: User, reason: str) -> Case:
    return wf.transition(case=case, by=by, facts=wf.Resume(reason=reason))


def case_record_outcome(*, case: Case, by: User, outcome: str, result: str = "") -> Case:
    return wf.transition(case=case, by=by, facts=wf.RecordOutcome(outcome=outcome, result=result))


def case_send_to_trial(*, case: Case, by: User, to_org: Org) -> Case:
    return wf.transition(case=case, by=by, facts=wf.SendToTrial(to_org=to_org))


def case_trial_opinion(*, case: Case, by: User, opinion: str) -> Case:
    return wf.transition(case=case, by=by, facts=wf.TrialOpinion(opinion=opinion))


def case_record_decision(*, case: Case, by: User, outcome: str, result: str) -> Case:
    return wf.transition(case=case, by=by, facts=wf.RecordDecision(outcome=outcome, result=result))


# --- notes, attachments, bulk assign, audited reads ------------------------------------------


@transaction.atomic
def case_note_add(*, case: Case, by: User, text: str) -> CaseNote:
    if not text.strip():
        raise CaseError(_("备注不能为空"), field="text")
    note = CaseNote.objects.create(case=case, author=by, text=text.strip())
    case_note_added_event(case=case, by=by, note=note)
    return note


@transaction.atomic
def case_category_correct(*, case: Case, by: User, category: str) -> Case:
    """A handler's correction of the problem category (e.g. taking the first reading's suggestion):
    the statistics move with it and the timeline says who changed it from what."""
    if category not in Category.values:
        raise CaseError(_("请选择正确的问题类别"), field="category")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.category == category:
        return locked
    before, previous = tally_row(locked), locked.category
    locked.category = category
    locked.version += 1  # a form opened before the change is refused as stale, like a transition's
    locked.save(update_fields=["category", "version", "updated_at"])
    tally_change(before, tally_row(locked))
    case_recategorised_event(case=locked, by=by, previous=previous)
    case.category = locked.category
    return locked


@transaction.atomic
def case_attachment_add(*, case: Case, by: User, uploaded: File[Any]) -> CaseAttachment:
    name = (uploaded.name or "")[:200]
    attachment = CaseAttachment.objects.create(case=case, uploaded_by=by, file=uploaded, name=name)
    case_attachment_added_event(case=case, by=by, attachment=attachment)
    return attachment


def case_attachment_open(
    *, case: Case, by: User, attachment_id: int, request: HttpRequest | None = None
) -> CaseAttachment | None:
    """The attachment of this case (None: no such attachment here), its download audited."""
    item = CaseAttachment.objects.filter(case=case, pk=attachment_id).first()
    if item is not None:
        case_attachment_opened_event(case=case, by=by, attachment=item, request=request)
    return item


def case_print_open(*, case: Case, by: User, request: HttpRequest | None = None) -> None:
    case_printed_event(case=case, by=by, request=request)


def cases_export(
    *, user: User, filters: CaseFilters, query: str, request: HttpRequest | None = None
) -> bytes:
    """The inbox as .xlsx; reports about the level above are never copied (检举控告工作规则 第十四条)."""
    content = cases_to_xlsx(case_list(user=user, filters=filters).filter(higher_level=HigherLevel.NONE))
    cases_exported_event(by=user, query=query, request=request)
    return content


def case_bulk_assign(
    *,
    cases: list[Case],
    by: User,
    to_org: Org,
    mode: str,
    route: str = AssignRoute.DEPARTMENT,
    handler: User | None = None,
) -> tuple[int, list[str]]:
    """Assign each case in its own transaction; returns (done, messages of the refused ones)."""
    done, refused = 0, []
    for case in cases:
        try:
            case_assign(case=case, by=by, to_org=to_org, mode=mode, route=route, handler=handler)
            done += 1
        except CaseError as error:
            refused.append(f"{case.number}：{error}")
    return done, refused


def reported_person_link(*, person_id: int, cadre_key: str) -> None:
    """Record which registry cadre a reported person is (empty: not linked). Called by dossiers."""
    from .models import ReportedPerson

    ReportedPerson.objects.filter(pk=person_id).update(cadre_key=cadre_key)
