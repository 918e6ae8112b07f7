"""Writes of case handling: register a case, move it through its workflow, notes, reminders.

`transition` is the one door through which a case's status changes. It locks the row (so two
handlers acting at once never lose an update), checks the action against the state machine and
the user's role and remit, applies the action's effect, records the step in the timeline and the
audit log, and sets the next deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from lianqing.core.models import AuditAction, Clearance, Org, OrgKind, User
from lianqing.core.roles import Role
from lianqing.core.services import notification_send

from . import selectors
from .access import commission_of
from .deadlines import add_months, add_working_days
from .errors import CaseError
from .events import case_event_record
from .models import (
    FORM_OF_OUTCOME,
    AssignMode,
    AssignRoute,
    Case,
    CaseAttachment,
    CaseNote,
    Disposal,
    HigherLevel,
    Kind,
    Outcome,
    ReportedPerson,
    Source,
    Status,
    TimeLimits,
)
from .tally import tally_change, tally_row
from .workflow import check_allowed

NUMBER_PREFIX = {Kind.PETITION: "XF", Kind.LEAD: "XS", Kind.INVESTIGATION: "SC"}


def time_limits() -> TimeLimits:
    return selectors.time_limits()


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def next_deadline(case: Case, limits: TimeLimits) -> tuple[dt.date | None, str]:
    """What is due next on this case, and by when, from its status and history."""
    received = timezone.localdate(case.received_at)
    status = case.status
    if status == Status.PENDING and case.kind == Kind.PETITION:
        if case.higher_level:
            return add_working_days(received, limits.send_up_days), "报送上级纪委监委"
        if case.source == Source.HIGHER_REFERRAL:
            return add_working_days(received, limits.lower_accept_days), "受理或转办"
        return add_working_days(received, limits.accept_days), "受理"
    if status == Status.ACCEPTED and case.is_reporter_named and case.acceptance_notified_at is None:
        return add_working_days(received, limits.notify_acceptance_days), "告知实名举报人受理情况"
    if status == Status.ASSIGNED:
        if case.assign_route == AssignRoute.LOWER_COMMISSION and case.assigned_at:
            return add_working_days(
                timezone.localdate(case.assigned_at), limits.lower_accept_days
            ), "下级纪委受理或转办"
        return case.handling_due, "办结"
    if status == Status.HANDLING:
        return case.handling_due, "办结"
    reporter_can_read = case.is_reporter_named or case.source == Source.ONLINE
    if status == Status.CONCLUDED and case.kind == Kind.PETITION and case.concluded_at and reporter_can_read:
        return add_working_days(
            timezone.localdate(case.concluded_at), limits.feedback_days
        ), "向举报人反馈办理结果"
    return None, ""


def _start_handling_clock(case: Case, now: dt.datetime, limits: TimeLimits) -> None:
    case.assigned_at = now
    case.handling_due = add_months(timezone.localdate(now), limits.handling_months)
    case.extension_count = 0


def _required(facts: dict[str, Any], key: str, label: str) -> Any:
    value = facts.get(key)
    if value in (None, ""):
        raise CaseError(f"请填写{label} ({key} is required)")
    return value


def _parent_commission(org: Org) -> Org | None:
    commission = commission_of(org)
    return commission_of(commission.parent) if commission.parent else None


# --- the effects of each action -------------------------------------------------------------


def _accept(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    case.status = Status.ACCEPTED
    case.accepted_at = now
    return {}


def _reject(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    case.status = Status.REJECTED
    case.concluded_at = now
    case.result = facts["reason"]
    return {}


def _send_up(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    case.status = Status.SENT_UP
    if not case.higher_level:
        case.higher_level = HigherLevel.LEVEL_ABOVE
    parent = _parent_commission(case.org)
    if parent is not None:
        case.org = parent
    return {"to_org": parent.org_code if parent else ""}


def _merge(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    original = facts.get("original")
    if original is None and facts.get("original_id"):
        original = Case.objects.select_related("org", "home_org").filter(pk=facts["original_id"]).first()
    if original is None:
        raise CaseError("请选择原件 (choose the original case)")
    from .access import case_visible_to

    if original.pk == case.pk or original.status == Status.MERGED:
        raise CaseError("不能并入自身或已并案的案件 (cannot merge into itself or into a merged case)")
    same_commission = commission_of(original.home_org).pk == commission_of(case.home_org).pk
    if not same_commission or not case_visible_to(original, user):
        raise CaseError(
            f"原件 {original} 不属于本机关管辖，不能并案 (the original belongs to another jurisdiction; cannot merge)"
        )
    if original.kind != case.kind:
        raise CaseError("只能并入同类案件 (can only merge into a case of the same kind)")
    case.status = Status.MERGED
    case.merged_into = original
    case.concluded_at = now
    case_event_record(
        case=original,
        actor=user,
        action="merged_in",
        reason=facts.get("reason", ""),
        details={"duplicate": case.number},
    )
    return {"original": original.number}


def _assign(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    route = AssignRoute(facts.get("route") or AssignRoute.DEPARTMENT)
    mode = AssignMode(facts.get("mode") or AssignMode.DELEGATE)
    to_org: Org | None = facts.get("to_org")
    handler: User | None = facts.get("handler")
    commission = commission_of(case.org)
    if route == AssignRoute.OTHER_ORGAN:
        case.external_org_name = _required(facts, "external_org_name", "有关机关名称")
        to_org = to_org or commission
    elif to_org is None:
        raise CaseError("请选择承办机构 (to_org is required)")
    elif route == AssignRoute.DEPARTMENT and not (
        to_org.kind == OrgKind.DEPARTMENT and to_org.parent_id == commission.pk
    ):
        raise CaseError(
            f"{to_org} 不是本机关的内设部门 ({to_org.org_code} is not a department of this commission)"
        )
    elif route == AssignRoute.LOWER_COMMISSION:
        if (
            to_org.pk == commission.pk
            or not to_org.is_within(commission)
            or to_org.kind == OrgKind.DEPARTMENT
        ):
            raise CaseError(f"{to_org} 不是下级纪委 ({to_org.org_code} is not a lower commission)")
        if case.higher_level:
            raise CaseError("反映上级的举报不得转下级办理 (reports about the level above never go down)")
    if case.kind == Kind.LEAD and route != AssignRoute.DEPARTMENT:
        raise CaseError("问题线索只能分给承办部门 (a lead is assigned to a department)")
    if to_org is None:  # unreachable: every route above sets or checks it
        raise CaseError("请选择承办机构 (to_org is required)")
    if handler is not None and not (handler.org and handler.org.is_within(to_org)):
        raise CaseError(f"承办人 {handler} 不在 {to_org} (the handler does not work in the org in charge)")
    case.org = to_org
    case.handler = handler
    case.assign_route = route
    case.assign_mode = mode
    if case.kind == Kind.PETITION:
        case.status = Status.ASSIGNED
        _start_handling_clock(case, now, limits)
    return {
        "route": route.value,
        "mode": mode.value,
        "to_org": to_org.org_code,
        "handler": handler.username if handler else "",
    }


def _start(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    case.status = Status.HANDLING
    if case.handler_id is None:
        case.handler = user
    if case.handling_due is None:
        _start_handling_clock(case, now, limits)
    return {}


def _return(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    case.status = Status.ACCEPTED
    case.org = case.home_org
    case.handler = None
    case.assign_route = ""
    case.assign_mode = ""
    case.handling_due = None
    case.assigned_at = None
    return {}


def _extend(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    until = facts.get("until")
    if isinstance(until, str):
        try:
            until = dt.date.fromisoformat(until)
        except ValueError as exc:
            raise CaseError(f"延期至日期无法识别：{until} (unrecognised date)") from exc
    if not isinstance(until, dt.date):
        raise CaseError("请填写延期至日期 (until is required)")
    if case.extension_count >= 1:
        raise CaseError("办理期限只能延长一次 (the time limit can be extended only once)")
    if case.handling_due is None:
        raise CaseError("该案件没有办结期限，无需延期 (the case has no handling time limit)")
    limit = add_months(case.handling_due, limits.max_extension_months)
    if until <= case.handling_due or until > limit:
        raise CaseError(
            f"延期至 {until} 超出允许范围：应晚于 {case.handling_due} 且不晚于 {limit} "
            f"(extension must end after {case.handling_due} and no later than {limit})"
        )
    previous = case.handling_due
    case.handling_due = until
    case.extension_count += 1
    return {"from": previous.isoformat(), "until": until.isoformat()}


def _conclude(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    case.result = _required(facts, "result", "办理结果")
    case.status = Status.CONCLUDED
    case.concluded_at = now
    return {}


def _notify(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    case.reporter_reply = _required(facts, "text", "告知内容")
    case.acceptance_notified_at = now
    case.replied_at = now
    return {}


def _feedback(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    case.reporter_reply = _required(facts, "text", "反馈内容")
    case.replied_at = now
    case.status = Status.FED_BACK
    return {}


def _reopen(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    if case.kind == Kind.PETITION and case.assigned_at is None:
        case.status = Status.ACCEPTED
    else:
        case.status = Status.HANDLING
        _start_handling_clock(case, now, limits)
    case.concluded_at = None
    return {}


def _to_lead(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    lead = _create_case(
        kind=Kind.LEAD,
        source=case.source,
        category=case.category,
        summary=facts.get("summary") or case.summary,
        region_code=case.region_code,
        org=commission_of(case.org),
        received_at=now,
        reported_persons=[
            {"name": p.name, "org_name": p.org_name, "position": p.position}
            for p in case.reported_persons.all()
        ],
        created_by=user,
        confidentiality=case.confidentiality,
        source_case=case,
    )
    return {"lead": lead.number}


def _dispose(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    try:
        method = Disposal(_required(facts, "method", "处置方式"))
    except ValueError as exc:
        raise CaseError(f"无法识别的处置方式 {facts.get('method')} (unknown disposal method)") from exc
    case.disposal = method
    if case.handler_id is None:
        case.handler = user
    if method in {Disposal.TALK, Disposal.VERIFY}:
        case.status = Status.HANDLING
        _start_handling_clock(case, now, limits)
    elif method == Disposal.SHELVE:
        case.status = Status.SHELVED
    elif method == Disposal.CLOSE:
        case.status = Status.CONCLUDED
        case.outcome = Outcome.CLOSED
        case.form_level = 0
        case.result = facts.get("result") or facts.get("reason", "")
        case.concluded_at = now
    else:
        case.external_org_name = _required(facts, "external_org_name", "移送单位")
        case.status = Status.CONCLUDED
        case.result = facts.get("result") or f"移送{case.external_org_name}"
        case.concluded_at = now
    return {"method": method.value}


def _resume(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    case.status = Status.PENDING
    case.disposal = ""
    return {}


def _record_outcome(
    case: Case, user: User, now: dt.datetime, limits: TimeLimits, facts: dict[str, Any]
) -> dict[str, Any]:
    try:
        outcome = Outcome(_required(facts, "outcome", "处置结果"))
    except ValueError as exc:
        raise CaseError(f"无法识别的处置结果 {facts.get('outcome')} (unknown outcome)") from exc
    case.outcome = outcome
    case.form_level = FORM_OF_OUTCOME.get(outcome, 0)
    case.result = facts.get("result", "")
    case.status = Status.CONCLUDED
    case.concluded_at = now
    details: dict[str, Any] = {"outcome": outcome.value, "form": case.form_level}
    if outcome == Outcome.INVESTIGATION:
        investigation = _create_case(
            kind=Kind.INVESTIGATION,
            source=case.source,
            category=case.category,
            summary=case.summary,
            region_code=case.region_code,
            org=case.org,
            received_at=now,
            reported_persons=[
                {"name": p.name, "org_name": p.org_name, "position": p.position}
                for p in case.reported_persons.all()
            ],
            created_by=user,
            confidentiality=case.confidentiality,
            source_case=case,
        )
        details["investigation"] = investigation.number
    return details


Effect = Callable[[Case, User, dt.datetime, TimeLimits, dict[str, Any]], dict[str, Any]]
EFFECTS: dict[str, Effect] = {
    "accept": _accept,
    "reject": _reject,
    "send_up": _send_up,
    "merge": _merge,
    "assign": _assign,
    "start": _start,
    "return": _return,
    "extend": _extend,
    "conclude": _conclude,
    "notify": _notify,
    "feedback": _feedback,
    "reopen": _reopen,
    "to_lead": _to_lead,
    "dispose": _dispose,
    "resume": _resume,
    "record_outcome": _record_outcome,
}

CHANGING_FIELDS = [
    "status", "org", "handler", "higher_level", "accepted_at", "assigned_at", "concluded_at",
    "acceptance_notified_at", "replied_at", "deadline", "deadline_label", "handling_due", "extension_count",
    "assign_route", "assign_mode", "external_org_name", "disposal", "outcome", "form_level", "result",
    "reporter_reply", "merged_into", "version", "updated_at",
]  # fmt: skip


@transaction.atomic
def transition(
    case: Case, action: str, user: User, *, expected_version: int | None = None, **facts: Any
) -> Case:
    """Take `action` on `case` as `user`; returns the updated case or raises CaseError, changing nothing."""
    # Lock the case row alone: with joins in a FOR UPDATE, PostgreSQL re-checks the join against
    # the old org row after waiting and may drop a case whose org the other handler just changed.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise CaseError(
            "案件已被他人更新，请刷新后重试 (the case was changed by someone else; reload and retry)"
        )
    spec = check_allowed(locked, action, user)
    tallied = tally_row(locked)
    reason = str(facts.get("reason") or "").strip()
    if spec.needs_reason and not reason:
        raise CaseError(f"“{spec.label}”须填写理由 ({action} needs a reason)")
    facts["reason"] = reason
    now = timezone.now()
    limits = time_limits()
    from_status = locked.status
    details = EFFECTS[action](locked, user, now, limits, facts)
    locked.deadline, locked.deadline_label = next_deadline(locked, limits)
    locked.version += 1
    locked.save(update_fields=CHANGING_FIELDS)
    tally_change(tallied, tally_row(locked))
    case_event_record(
        case=locked,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=locked.status,
        reason=reason,
        details=details,
    )
    if (
        locked.handler_id
        and locked.handler_id != user.pk
        and action in {"assign", "return", "reopen", "extend"}
    ):
        _notify_handler(locked, f"{locked.number} {spec.label}", reason or locked.summary[:80])
    # The caller's instance reflects the new state too.
    for field in [*CHANGING_FIELDS, "handler_id", "org_id", "merged_into_id"]:
        setattr(case, field, getattr(locked, field))
    return locked


def _notify_handler(case: Case, title: str, body: str) -> None:
    if case.handler is None:
        return
    notification_send(recipient=case.handler, title=title, body=body, link=f"/staff/cases/{case.pk}/")


# --- registering ----------------------------------------------------------------------------


def _create_case(
    *,
    kind: str,
    source: str,
    category: str,
    summary: str,
    region_code: str,
    org: Org,
    received_at: dt.datetime,
    reported_persons: list[dict[str, str]],
    created_by: User | None,
    confidentiality: int,
    details: dict[str, Any] | None = None,
    is_reporter_named: bool = False,
    higher_level: str = HigherLevel.NONE,
    source_case: Case | None = None,
) -> Case:
    if not summary or not summary.strip():
        raise CaseError("请填写摘要 (summary is required)")
    case = Case(
        kind=Kind(kind),
        source=Source(source),
        category=category,
        summary=summary.strip(),
        details=details or {},
        region_code=region_code or org.region_code,
        home_org=org,
        org=org,
        status=Status.PENDING,
        confidentiality=confidentiality,
        higher_level=higher_level,
        is_reporter_named=is_reporter_named,
        received_at=received_at,
        source_case=source_case,
        created_by=created_by,
    )
    case.deadline, case.deadline_label = next_deadline(case, time_limits())
    case.save()
    tally_change(None, tally_row(case))
    case.number = f"{NUMBER_PREFIX[Kind(kind)]}{timezone.localdate(received_at).year}{case.pk:07d}"
    Case.objects.filter(pk=case.pk).update(number=case.number)
    ReportedPerson.objects.bulk_create(
        ReportedPerson(
            case=case,
            name=person.get("name", "").strip(),
            org_name=person.get("org_name", "").strip(),
            position=person.get("position", "").strip(),
        )
        for person in reported_persons
        if person.get("name", "").strip()
    )
    if any(person.get("name", "").strip() for person in reported_persons):
        # The cadre registry suggests who each reported person is, in the worker after commit.
        from lianqing.dossiers.services import case_links_queue

        case_links_queue(case.pk)
    case_event_record(
        case=case,
        actor=created_by,
        action="register",
        to_status=case.status,
        details={
            "source": case.source,
            "kind": case.kind,
            "from_case": source_case.number if source_case else "",
        },
        audit_action=AuditAction.CREATE,
    )
    return case


@transaction.atomic
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
) -> Case:
    """Register a new case in 待受理. A report about this commission's own head goes straight up."""
    case = _create_case(
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
    if higher_level == HigherLevel.OWN_HEAD:
        parent = _parent_commission(org)
        from_status, tallied = case.status, tally_row(case)
        case.status = Status.SENT_UP
        case.org = parent or org
        case.deadline, case.deadline_label = None, ""
        case.save(update_fields=["status", "org", "deadline", "deadline_label"])
        tally_change(tallied, tally_row(case))
        case_event_record(
            case=case,
            actor=created_by,
            action="send_up",
            from_status=from_status,
            to_status=case.status,
            reason="反映本级纪委监委主要负责人，直接报送上级 (about this commission's head: sent straight up)",
        )
    return case


def case_feedback_to_reporter(*, case: Case, by: User, text: str) -> Case:
    """Reply to the reporter: the result once concluded (反馈), before that the acceptance notice."""
    target = case
    while target.merged_into_id is not None:
        target = Case.objects.get(pk=target.merged_into_id)
    action = "feedback" if target.status == Status.CONCLUDED else "notify"
    return transition(target, action, by, text=text)


# --- notes, attachments, bulk assign, reminders ----------------------------------------------


@transaction.atomic
def case_note_add(*, case: Case, by: User, text: str) -> CaseNote:
    if not text.strip():
        raise CaseError("备注不能为空 (the note is empty)")
    note = CaseNote.objects.create(case=case, author=by, text=text.strip())
    case_event_record(
        case=case, actor=by, action="note", details={"note_id": note.pk}, audit_action=AuditAction.UPDATE
    )
    return note


@transaction.atomic
def case_attachment_add(*, case: Case, by: User, uploaded: Any) -> CaseAttachment:
    attachment = CaseAttachment.objects.create(
        case=case, uploaded_by=by, file=uploaded, name=uploaded.name[:200]
    )
    case_event_record(
        case=case,
        actor=by,
        action="attachment",
        details={"attachment_id": attachment.pk, "name": attachment.name},
        audit_action=AuditAction.UPDATE,
    )
    return attachment


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
            transition(case, "assign", by, to_org=to_org, mode=mode, route=route, handler=handler)
            done += 1
        except CaseError as error:
            refused.append(f"{case.number}: {error}")
    return done, refused


def _department_heads(org: Org) -> list[User]:
    """Who an overdue case escalates to: leaders of the org in charge, else of its commission."""
    for candidate in (org, commission_of(org)):
        heads = [u for u in User.objects.filter(org=candidate, is_active=True) if u.has_role(Role.LEADER)]
        if heads:
            return heads
    return []


def case_reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """Due-soon and overdue notifications for open cases; safe to run more than once a day."""
    today = today or timezone.localdate()
    limits = time_limits()
    due_soon_until = add_working_days(today, limits.due_soon_days)
    counts = {"due_soon": 0, "overdue": 0, "escalated": 0, "quarterly": 0}
    open_cases = (
        Case.objects.filter(deadline__isnull=False, deadline__lte=due_soon_until)
        .exclude(status__in=[Status.REJECTED, Status.SENT_UP, Status.MERGED, Status.FED_BACK])
        .select_related("org", "handler")
    )
    for case in open_cases.iterator(chunk_size=500):
        if case.deadline is None:
            continue
        overdue = case.deadline < today
        kind = "overdue" if overdue else "due_soon"
        title = (
            f"已超期：{case.number} {case.deadline_label}（期限 {case.deadline}）"
            if overdue
            else f"即将到期：{case.number} {case.deadline_label}（期限 {case.deadline}）"
        )
        recipients = [case.handler] if case.handler else _petition_staff(case.org)
        for recipient in recipients:
            notification_send(
                recipient=recipient,
                title=title,
                body=case.summary[:100],
                link=f"/staff/cases/{case.pk}/",
                dedupe_key=f"case:{case.pk}:{kind}:{case.deadline}",
            )
        counts[kind] += 1
        if overdue:
            for head in _department_heads(case.org):
                notification_send(
                    recipient=head,
                    title=f"超期督办：{case.number} {case.deadline_label}（期限 {case.deadline}）",
                    body=case.summary[:100],
                    link=f"/staff/cases/{case.pk}/",
                    dedupe_key=f"case:{case.pk}:escalated:{case.deadline}",
                )
                counts["escalated"] += 1
    counts["quarterly"] = _quarterly_progress_reminders(today)
    return counts


QUARTER_REPORT_WINDOW_DAYS = 5


def quarter_end(day: dt.date) -> dt.date:
    return add_months(dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1), 3) - dt.timedelta(days=1)


def _quarterly_progress_reminders(today: dt.date) -> int:
    """In the last days of a quarter, ask whoever handles a petition to report progress to the
    petition office (检举控告工作规则: results reported back every quarter)."""
    end = quarter_end(today)
    if (end - today).days >= QUARTER_REPORT_WINDOW_DAYS:
        return 0
    count = 0
    handling = Case.objects.filter(kind=Kind.PETITION, status=Status.HANDLING).select_related(
        "org", "handler"
    )
    for case in handling.iterator(chunk_size=500):
        for recipient in [case.handler] if case.handler else _petition_staff(case.org):
            notification_send(
                recipient=recipient,
                title=f"季度报告：{case.number} 请于 {end} 前向信访室报告办理进展",
                body=case.summary[:100],
                link=f"/staff/cases/{case.pk}/",
                dedupe_key=f"case:{case.pk}:quarter:{end}",
            )
        count += 1
    return count


def _petition_staff(org: Org) -> list[User]:
    commission = commission_of(org)
    users = User.objects.filter(is_active=True, org__path__startswith=commission.path).prefetch_related(
        "groups"
    )
    return [u for u in users if u.has_role(Role.PETITION) and not u.is_superuser]


def reported_person_link(*, person_id: int, cadre_key: str) -> None:
    """Record which registry cadre a reported person is (empty: not linked). Called by dossiers."""
    ReportedPerson.objects.filter(pk=person_id).update(cadre_key=cadre_key)
