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


def _title_sql() -> tuple[str, list[Any]]:
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
    return f"SUBSTR(CASE e.action {' '.join(cases)} END, 1, 200)", params


def _temp(cursor: Any, name: str, select: str, params: list[Any]) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {select}", params)
    if connection.vendor == "postgresql":  # the planner must know how big the run was
        cursor.execute(f"ANALYZE {name}")


def reminders_send(run: LightRun) -> int:
    """Reminders for the tasks this run changed, set-based in three temporary tables: the run's
    events with their titles (`duties_light_ev`), the reviewing offices' 监督检查 staff
    (`duties_light_office`, a few rows), and the wanted notices: the responsible person and the
    unit's liaisons ('due', or 'locked' on lock); on red and lock also the unit's 书记 and the
    office ('escalated', once when a catch-up turns a task red and locks it). A live notice with
    another title (yellow → red) is replaced and shows as new; one with the same title is left
    alone (a rerun adds nothing). Returns how many notices were written."""
    from django.contrib.auth.models import Group

    from lianqing.core.models import Notification
    from lianqing.core.roles import Role

    from .models import Assignment, DutyItem, UnitLeader
    from .notices import office_reviewers

    t = {
        m.__name__: m._meta.db_table
        for m in (Task, TaskEvent, Assignment, DutyItem, UnitLeader, Org, User, Group)
    }
    member_of = User.groups.through._meta.db_table
    notices = Notification._meta.db_table
    at = connection.ops.adapt_datetimefield_value(run.at)
    title_sql, title_params = _title_sql()
    link_before, link_after = reverse("duties:task_detail", args=[0]).rsplit("/0/", 1)
    with connection.cursor() as cursor:
        _temp(cursor, "duties_light_ev", f"""
            SELECT e.task_id, t.unit_id, a.reviewer_id, t.responsible_id, {title_sql} AS title,
                   CASE WHEN e.action = 'lock' THEN 'locked' ELSE 'due' END AS kind,
                   CASE WHEN e.action = 'lock' OR (e.action = 'overdue' AND NOT EXISTS (
                       SELECT 1 FROM {t["TaskEvent"]} l WHERE l.task_id = e.task_id AND l.at = e.at
                       AND l.action = 'lock')) THEN 1 ELSE 0 END AS escalate
            FROM {t["TaskEvent"]} e JOIN {t["Task"]} t ON t.id = e.task_id
            JOIN {t["Assignment"]} a ON a.id = t.assignment_id
            JOIN {t["Org"]} u ON u.id = t.unit_id JOIN {t["DutyItem"]} i ON i.id = t.item_id
            WHERE e.at = %s AND e.actor_id IS NULL""", [*title_params, at])  # fmt: skip
        cursor.execute("SELECT DISTINCT reviewer_id FROM duties_light_ev")
        offices = [row[0] for row in cursor.fetchall()]
        pairs = [
            (org.pk, user.pk) for org in Org.objects.filter(pk__in=offices) for user in office_reviewers(org)
        ]
        _temp(cursor, "duties_light_office", "SELECT 0 AS office_id, 0 AS user_id WHERE 1 = 0", [])
        if pairs:
            cursor.executemany("INSERT INTO duties_light_office (office_id, user_id) VALUES (%s, %s)", pairs)
        _temp(cursor, "duties_light_wanted", f"""
            WITH people AS (
                SELECT ev.task_id, l.user_id, ev.kind, ev.title FROM duties_light_ev ev
                JOIN {t["UnitLeader"]} l ON l.id = ev.responsible_id WHERE l.user_id IS NOT NULL
                UNION
                SELECT ev.task_id, m.user_id, ev.kind, ev.title FROM duties_light_ev ev
                JOIN {t["User"]} p ON p.org_id = ev.unit_id JOIN {member_of} m ON m.user_id = p.id
                JOIN {t["Group"]} g ON g.id = m.group_id AND g.name = %s
                UNION
                SELECT ev.task_id, l.user_id, 'escalated', ev.title FROM duties_light_ev ev
                JOIN {t["UnitLeader"]} l ON l.unit_id = ev.unit_id AND l.is_secretary AND l.is_active
                WHERE ev.escalate = 1 AND l.user_id IS NOT NULL
                UNION
                SELECT ev.task_id, o.user_id, 'escalated', ev.title FROM duties_light_ev ev
                JOIN duties_light_office o ON o.office_id = ev.reviewer_id WHERE ev.escalate = 1
            )
            SELECT DISTINCT people.user_id AS recipient_id,
                   'duties:' || CAST(people.task_id AS TEXT) || ':' || people.kind AS dedupe_key,
                   people.title AS title, %s || '/' || CAST(people.task_id AS TEXT) || '/' || %s AS link
            FROM people JOIN {t["User"]} r ON r.id = people.user_id WHERE r.is_active""",
            [str(Role.LIAISON), link_before, link_after])  # fmt: skip
        # one notice per recipient and key: a changed title replaces the live one; the same
        # title again leaves it alone. Decided against the notices before any insert (a NOT EXISTS
        # over the table being inserted into rescans it for every row).
        cursor.execute(
            f"DELETE FROM {notices} WHERE dedupe_key LIKE 'duties:%%' AND EXISTS (SELECT 1 FROM duties_light_wanted w"
            f" WHERE w.recipient_id = {notices}.recipient_id AND w.dedupe_key = {notices}.dedupe_key"
            f" AND w.title <> {notices}.title)"
        )
        cursor.execute(
            f"DELETE FROM duties_light_wanted WHERE EXISTS (SELECT 1 FROM {notices} n"
            " WHERE n.recipient_id = duties_light_wanted.recipient_id AND n.dedupe_key = duties_light_wanted.dedupe_key)"
        )
        cursor.execute(
            f"INSERT INTO {notices} (recipient_id, created_at, title, body, link, read_at, dedupe_key)"
            " SELECT w.recipient_id, %s, w.title, '', w.link, NULL, w.dedupe_key FROM duties_light_wanted w",
            [at],
        )
        sent = cursor.rowcount
        for name in ("duties_light_ev", "duties_light_office", "duties_light_wanted"):
            cursor.execute(f"DROP TABLE {name}")
    return sent


def lights_refresh(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily job: lights, reminders, and the dashboard rollups of the years touched."""
    today = today or timezone.localdate()
    run = lights_apply(today=today)
    run.notices = reminders_send(run)
    for year in sorted({today.year - 1, today.year}):
        if Task.objects.filter(year=year).exists():
            tally_rebuild(year=year)
    statistics_refresh()
    return {**run.changed, "notices": run.notices}


def statistics_refresh() -> None:
    """The lights move a few percent of the tasks a day, under autovacuum's analyze threshold
    (10 % of the table) for weeks: without fresh statistics PostgreSQL believes there are no red
    tasks and plans the red drill-down as a nested loop over all of them. A sampled ANALYZE of
    the one table takes seconds."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Task._meta.db_table}")
