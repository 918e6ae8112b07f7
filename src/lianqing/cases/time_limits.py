"""What is due next on a case, and by when: one answer for every open status.

The label is stored as its Chinese msgid (gettext_noop) and translated where it is shown
(`deadline_label_text`), so a case registered in one language reads right in the other.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from lianqing.core.generations import Generation, KeyedCache

from .deadlines import add_months, add_working_days, working_days_between
from .models import AssignRoute, Case, Kind, Source, Status, TimeLimits

SEND_UP = gettext_noop("报送上级纪委监委")
ACCEPT_OR_PASS_ON = gettext_noop("受理或转办")
ACCEPT = gettext_noop("受理")
NOTIFY = gettext_noop("告知实名举报人受理情况")
ASSIGN = gettext_noop("分办")
LOWER_ACCEPT = gettext_noop("下级纪委受理或转办")
CONCLUDE = gettext_noop("办结")
FEEDBACK = gettext_noop("向举报人反馈办理结果")
DISPOSE = gettext_noop("提出处置意见")
START_INVESTIGATION = gettext_noop("开始审查调查")
REVIEW_SHELVED = gettext_noop("复查暂存线索")
TRIAL_OPINION = gettext_noop("提出审理意见")
DECISION = gettext_noop("作出处分决定")


TIME_LIMITS = Generation("time-limits")  # saved in /admin/ (audited), a few times a year at most


def _time_limits_load(_key: object) -> TimeLimits:
    limits, _ = TimeLimits.objects.get_or_create(pk=1)
    return limits


_time_limits: KeyedCache[TimeLimits] = KeyedCache(TIME_LIMITS, _time_limits_load)


def time_limits() -> TimeLimits:
    """The time limits in force (read only: cached per process until they are saved again)."""
    return _time_limits.get()


def time_limits_changed(**_kwargs: object) -> None:
    TIME_LIMITS.changed()


def _local(moment: dt.datetime | None, fallback: dt.datetime) -> dt.date:
    return timezone.localdate(moment or fallback)


def next_deadline(case: Case, limits: TimeLimits) -> tuple[dt.date | None, str]:
    """What is due next on this case, and by when, from its status and history."""
    received = timezone.localdate(case.received_at)
    status = case.status
    if status == Status.PENDING:
        if case.kind == Kind.LEAD:
            return add_working_days(received, limits.lead_dispose_days), DISPOSE
        if case.kind == Kind.INVESTIGATION:
            return add_working_days(received, limits.accept_days), START_INVESTIGATION
        if case.higher_level:
            return add_working_days(received, limits.send_up_days), SEND_UP
        if case.source == Source.HIGHER_REFERRAL:
            return add_working_days(received, limits.lower_accept_days), ACCEPT_OR_PASS_ON
        return add_working_days(received, limits.accept_days), ACCEPT
    if status == Status.ACCEPTED:
        accepted = _local(case.accepted_at, case.received_at)
        if case.is_reporter_named and case.acceptance_notified_at is None:
            return add_working_days(received, limits.notify_acceptance_days), NOTIFY
        return add_working_days(accepted, limits.assign_days), ASSIGN
    if status == Status.ASSIGNED and case.assign_route == AssignRoute.LOWER_COMMISSION and case.assigned_at:
        return add_working_days(timezone.localdate(case.assigned_at), limits.lower_accept_days), LOWER_ACCEPT
    if status in {Status.ASSIGNED, Status.HANDLING}:
        return case.handling_due, CONCLUDE
    if status == Status.SHELVED:
        return case.handling_due, REVIEW_SHELVED
    if status == Status.IN_TRIAL:
        return case.handling_due, TRIAL_OPINION
    if status == Status.TRIAL_REVIEWED:
        return case.handling_due, DECISION
    reporter_can_read = case.is_reporter_named or case.source == Source.ONLINE
    if status == Status.CONCLUDED and case.kind == Kind.PETITION and case.concluded_at and reporter_can_read:
        return add_working_days(timezone.localdate(case.concluded_at), limits.feedback_days), FEEDBACK
    return None, ""


def start_clock(case: Case, now: dt.datetime, *, months: int) -> None:
    """Start the handling clock of a stage that lasts `months` (办理, 审理, 暂存复查)."""
    case.handling_due = add_months(timezone.localdate(now), months)


def countdown(deadline: dt.date | None, today: dt.date) -> int | None:
    """Working days left until the deadline (negative: overdue by that many working days)."""
    if deadline is None:
        return None
    return working_days_between(today, deadline)


def countdown_text(days: int | None) -> str:
    if days is None:
        return ""
    if days < 0:
        return ngettext("超期 %(days)d 个工作日", "超期 %(days)d 个工作日", -days) % {"days": -days}
    if days == 0:
        return gettext("今日到期")
    return ngettext("剩 %(days)d 个工作日", "剩 %(days)d 个工作日", days) % {"days": days}


def deadline_label_text(label: str) -> str:
    return gettext(label) if label else ""
