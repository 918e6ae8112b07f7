"""The daily reminder run: due-soon and overdue notices, escalation, quarterly progress reports.

One live reminder per case, recipient and kind: a later run replaces the notice (new deadline,
now overdue) instead of stacking another, and reruns the same day change nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.models import Org, User
from lianqing.core.roles import Role
from lianqing.core.services import notification_replace

from .access import commission_of
from .deadlines import add_months, add_working_days
from .models import FINAL_STATUSES, Case, Kind, Status
from .notices import case_link, heads_of, users_with_role
from .time_limits import deadline_label_text, time_limits

QUARTER_REPORT_WINDOW_DAYS = 5


def _petition_staff(org: Org) -> list[User]:
    return users_with_role(commission_of(org), Role.PETITION, within=True)


def _case_managers(org: Org) -> list[User]:
    return users_with_role(commission_of(org), Role.CASE_MANAGEMENT, within=True)


def _remind(recipients: list[User], case: Case, kind: str, title: str) -> None:
    for recipient in {user.pk: user for user in recipients}.values():
        notification_replace(
            recipient=recipient, key=f"case:{case.pk}:{kind}", title=title, body=case.summary[:100],
            link=case_link(case),
        )  # fmt: skip


def case_reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """Due-soon and overdue notices for open cases; safe to run more than once a day."""
    today = today or timezone.localdate()
    limits = time_limits()
    due_soon_until = add_working_days(today, limits.due_soon_days)
    counts = {"due_soon": 0, "overdue": 0, "escalated": 0, "quarterly": 0}
    open_cases = (
        Case.objects.filter(deadline__isnull=False, deadline__lte=due_soon_until)
        .exclude(status__in=FINAL_STATUSES)
        .select_related("org", "handler")
    )
    for case in open_cases.iterator(chunk_size=500):
        if case.deadline is None:
            continue
        overdue = case.deadline < today
        values = {
            "number": case.number,
            "what": deadline_label_text(case.deadline_label),
            "date": case.deadline,
        }
        title = (_("已超期：%(number)s %(what)s（期限 %(date)s）") if overdue else
                 _("即将到期：%(number)s %(what)s（期限 %(date)s）")) % values  # fmt: skip
        # due-soon and overdue share one key: the overdue notice replaces the due-soon one.
        _remind([case.handler] if case.handler else _petition_staff(case.org), case, "deadline", title)
        counts["overdue" if overdue else "due_soon"] += 1
        if overdue:
            escalate = [*heads_of(case.org), *_case_managers(case.org)]
            _remind(escalate, case, "escalated", _("超期督办：%(number)s %(what)s（期限 %(date)s）") % values)
            counts["escalated"] += len(escalate)
    counts["quarterly"] = _quarterly_progress_reminders(today)
    return counts


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
        title = _("季度报告：%(number)s 请于 %(date)s 前向信访室报告办理进展") % {
            "number": case.number,
            "date": end,
        }
        _remind([case.handler] if case.handler else _petition_staff(case.org), case, "quarter", title)
        count += 1
    return count
