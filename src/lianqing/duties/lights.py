"""The daily light-and-reminder job: set-based SQL over the tasks that can still change.

1. 黄: owed tasks whose `warn_on` has come (and the deadline not passed);
2. 红: owed tasks past their deadline (the lateness is kept: `was_late`);
3. 已锁定: owed tasks past `lock_on` (the deadline plus the grace working days).
Each step first writes the timeline rows (INSERT … SELECT) and then updates the tasks (one
UPDATE), all stamped with the run's time; reminders then go to the tasks stamped by this run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import DateTimeField, F, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.models import Org, User

from .models import Light, Task, TaskEvent, TaskStatus
from .tally import tally_rebuild
from .workflow import LIGHT_STEPS


@dataclass
class LightRun:
    at: dt.datetime
    changed: dict[str, int] = field(default_factory=dict)
    notices: int = 0


def _due(today: dt.date) -> dict[str, tuple[Q, dict[str, object]]]:
    return {
        "warn": (
            Q(light=Light.BLUE, warn_on__lte=today, deadline__gte=today),
            {"light": Light.YELLOW},
        ),
        "overdue": (
            Q(light__in=[Light.BLUE, Light.YELLOW], deadline__lt=today),
            {"light": Light.RED, "was_late": True, "red_at": today},
        ),
        "lock": (Q(lock_on__lt=today), {"status": TaskStatus.LOCKED}),
    }


def _events_insert(
    tasks: QuerySet[Task], at: dt.datetime, action: str, to_status: object, light: object
) -> None:
    rows = tasks.order_by().annotate(
        _at=Value(at, output_field=DateTimeField()), _action=Value(action), _from=F("status"),
        _to=to_status, _light=light, _reason=Value(""),
    ).values_list("pk", "_at", "_action", "_from", "_to", "_light", "_reason")  # fmt: skip
    sql, params = rows.query.sql_with_params()
    table = TaskEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (task_id, at, action, from_status, to_status, light, reason) {sql}",
            params,
        )


@transaction.atomic
def lights_apply(
    *, today: dt.date, units: QuerySet[Org] | None = None, at: dt.datetime | None = None
) -> LightRun:
    run = LightRun(at=at or timezone.now())
    for name, (condition, changes) in _due(today).items():
        tasks = Task.objects.filter(condition, status__in=LIGHT_STEPS[name])
        if units is not None:
            tasks = tasks.filter(unit__in=units)
        to_status = Value(str(changes["status"])) if "status" in changes else F("status")
        light = Value(str(changes["light"])) if "light" in changes else F("light")
        _events_insert(tasks, run.at, name, to_status, light)
        update = dict(changes)
        if name == "lock":
            update["locked_at"] = run.at
        run.changed[name] = tasks.update(**update, version=F("version") + 1)
    return run


TITLES = {
    "warn": _("即将到期（%(date)s）：%(what)s"),
    "overdue": _("已逾期（期限 %(date)s）：%(what)s"),
    "lock": _("已逾期锁定，须审核部门解锁后补报：%(what)s"),
}


def _pieces(template: str) -> tuple[str, str, str]:
    """A translated title split around its date and subject: (before, between, after)."""
    marked = template % {"date": "\x00", "what": "\x01"}
    before, rest = marked.split("\x00") if "\x00" in marked else (marked, "")
    if "\x01" in before:  # a language that names the subject first: the date goes with it
        before, tail = before.split("\x01")
        return before, tail, rest
    between, after = rest.split("\x01") if "\x01" in rest else (rest, "")
    return before, between, after


def _wanted_sql(run: LightRun) -> tuple[str, list[Any]]:
    """SELECT recipient_id, dedupe_key, title, link of every reminder this run owes, in SQL:
    the responsible person and the unit's liaisons ('due', or 'locked' on lock); on red and lock
    also the unit's 书记 and the reviewing office's 监督检查 staff ('escalated')."""
    from django.contrib.auth.models import Group

    from lianqing.core.roles import Role

    from .models import Assignment, DutyItem, UnitLeader

    t = {
        m.__name__: m._meta.db_table
        for m in (Task, TaskEvent, Assignment, DutyItem, UnitLeader, Org, User, Group)
    }
    member_of = User.groups.through._meta.db_table
    link_of_zero = reverse("duties:task_detail", args=[0])
    link_before, link_after = link_of_zero.rsplit("/0/", 1)
    cases: list[str] = []
    params: list[Any] = []
    for action, template in TITLES.items():
        before, between, after = _pieces(str(template))
        date_first = template.find("%(date)s") < template.find("%(what)s") or "%(what)s" not in template
        if date_first:
            cases.append(
                "WHEN %s THEN %s || CAST(t.deadline AS TEXT) || %s || u.name || ' · ' || i.title || %s"
            )
        else:
            cases.append(
                "WHEN %s THEN %s || u.name || ' · ' || i.title || %s || CAST(t.deadline AS TEXT) || %s"
            )
        params += [action, before, between, after]
    title_sql = f"SUBSTR(CASE e.action {' '.join(cases)} END, 1, 200)"
    # red and locked in one run (a catch-up): one escalation, the lock's
    escalate = (
        "(ev.action = 'lock' OR (ev.action = 'overdue' AND NOT EXISTS"
        " (SELECT 1 FROM ev e2 WHERE e2.task_id = ev.task_id AND e2.action = 'lock')))"
    )
    sql = f"""
        WITH ev AS (
            SELECT e.task_id, e.action, t.unit_id, a.reviewer_id, t.responsible_id, {title_sql} AS title,
                   CASE WHEN e.action = 'lock' THEN 'locked' ELSE 'due' END AS kind
            FROM {t["TaskEvent"]} e JOIN {t["Task"]} t ON t.id = e.task_id
            JOIN {t["Assignment"]} a ON a.id = t.assignment_id
            JOIN {t["Org"]} u ON u.id = t.unit_id JOIN {t["DutyItem"]} i ON i.id = t.item_id
            WHERE e.at = %s AND e.actor_id IS NULL
        ),
        people AS (
            SELECT ev.task_id, l.user_id, ev.kind, ev.title FROM ev
            JOIN {t["UnitLeader"]} l ON l.id = ev.responsible_id
            WHERE l.user_id IS NOT NULL
            UNION
            SELECT ev.task_id, m.user_id, ev.kind, ev.title FROM ev
            JOIN {t["User"]} p ON p.org_id = ev.unit_id JOIN {member_of} m ON m.user_id = p.id
            JOIN {t["Group"]} g ON g.id = m.group_id AND g.name = %s
            WHERE p.is_active
            UNION
            SELECT ev.task_id, l.user_id, 'escalated', ev.title FROM ev
            JOIN {t["UnitLeader"]} l ON l.unit_id = ev.unit_id AND l.is_secretary AND l.is_active
            WHERE {escalate} AND l.user_id IS NOT NULL
            UNION
            SELECT ev.task_id, office.user_id, 'escalated', ev.title FROM ev
            JOIN (
                SELECT r.id AS office_id, p.id AS user_id FROM {t["Org"]} r
                JOIN {t["Org"]} po ON po.path LIKE r.path || '%%'
                JOIN {t["User"]} p ON p.org_id = po.id AND p.is_active
                JOIN {member_of} m ON m.user_id = p.id
                JOIN {t["Group"]} g ON g.id = m.group_id AND g.name = %s
                WHERE r.id IN (SELECT DISTINCT reviewer_id FROM ev)
            ) office ON office.office_id = ev.reviewer_id
            WHERE {escalate}
        )
        SELECT DISTINCT people.user_id AS recipient_id,
               'duties:' || CAST(people.task_id AS TEXT) || ':' || people.kind AS dedupe_key,
               people.title AS title,
               %s || '/' || CAST(people.task_id AS TEXT) || '/' || %s AS link
        FROM people JOIN {t["User"]} r ON r.id = people.user_id WHERE r.is_active
    """
    params += [
        connection.ops.adapt_datetimefield_value(run.at),
        str(Role.LIAISON),
        str(Role.SUPERVISION),
        link_before,
        link_after,
    ]
    return sql, params


def reminders_send(run: LightRun) -> int:
    """Reminders for the tasks this run changed, set-based: the wanted notices are selected in
    SQL into a temporary table; a live notice with another title (yellow → red) is replaced (it
    shows as new and unread), one with the same title is left alone (a rerun adds nothing).
    Returns how many notices were written."""
    from lianqing.core.models import Notification

    notices = Notification._meta.db_table
    wanted_sql, params = _wanted_sql(run)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS duties_wanted_notice")
        cursor.execute(f"CREATE TEMPORARY TABLE duties_wanted_notice AS {wanted_sql}", params)
        cursor.execute(
            "CREATE INDEX duties_wanted_notice_key ON duties_wanted_notice (recipient_id, dedupe_key)"
        )
        cursor.execute(
            f"DELETE FROM {notices} WHERE dedupe_key LIKE 'duties:%%' AND EXISTS (SELECT 1 FROM duties_wanted_notice w"
            f" WHERE w.recipient_id = {notices}.recipient_id AND w.dedupe_key = {notices}.dedupe_key"
            f" AND w.title <> {notices}.title)"
        )
        cursor.execute(
            f"INSERT INTO {notices} (recipient_id, created_at, title, body, link, read_at, dedupe_key)"
            " SELECT w.recipient_id, %s, w.title, '', w.link, NULL, w.dedupe_key FROM duties_wanted_notice w"
            f" WHERE NOT EXISTS (SELECT 1 FROM {notices} n WHERE n.recipient_id = w.recipient_id"
            " AND n.dedupe_key = w.dedupe_key)",
            [connection.ops.adapt_datetimefield_value(run.at)],
        )
        sent = cursor.rowcount
        cursor.execute("DROP TABLE duties_wanted_notice")
    return sent


def lights_refresh(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily job: lights, reminders, and the dashboard rollups of the years touched."""
    today = today or timezone.localdate()
    run = lights_apply(today=today)
    run.notices = reminders_send(run)
    for year in sorted({today.year - 1, today.year}):
        if Task.objects.filter(year=year).exists():
            tally_rebuild(year=year)
    return {**run.changed, "notices": run.notices}
