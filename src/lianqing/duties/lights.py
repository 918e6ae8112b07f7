"""The daily light-and-reminder job: set-based SQL over the tasks that can still change.

1. 黄: owed tasks whose `warn_on` has come (and the deadline not passed);
2. 红: owed tasks past their deadline (the lateness is kept: `was_late`);
3. 已锁定: owed tasks past `lock_on` (the deadline plus the grace working days).
Each step first writes the timeline rows (INSERT … SELECT) and then updates the tasks (one
UPDATE), all stamped with the run's time; reminders then go to the tasks stamped by this run.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import DateTimeField, F, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.models import Org, User
from lianqing.core.services import notifications_replace_many

from .models import Light, Task, TaskEvent, TaskStatus
from .notices import office_reviewers, task_title, unit_liaisons, unit_secretary_user
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


def reminders_send(run: LightRun) -> int:
    """Reminders for the tasks this run changed: the responsible person and the liaisons on
    yellow and red (one 'due' notice: red replaces yellow); on red and lock, also the unit's
    书记 and the reviewing office ('escalated'). Written in bulk (`notifications_replace_many`)."""
    events = TaskEvent.objects.filter(at=run.at, actor__isnull=True).select_related(
        "task__unit", "task__item", "task__responsible__user", "task__assignment__reviewer"
    )
    liaisons: dict[int, list[User]] = {}
    secretaries: dict[int, User | None] = {}
    offices: dict[int, list[User]] = defaultdict(list)
    batch: list[tuple[int, str, str, str, str]] = []
    sent = 0
    link_of_zero = reverse("duties:task_detail", args=[0])
    for event in events.iterator(chunk_size=2000):
        task = event.task
        unit_id, office = task.unit_id, task.assignment.reviewer
        if unit_id not in liaisons:
            liaisons[unit_id], secretaries[unit_id] = unit_liaisons(unit_id), unit_secretary_user(unit_id)
        if office.pk not in offices:
            offices[office.pk] = office_reviewers(office)
        person = task.responsible.user if task.responsible and task.responsible.user else None
        title = TITLES[event.action] % {"date": task.deadline.isoformat(), "what": task_title(task)}
        link = link_of_zero.replace("/0/", f"/{task.pk}/")
        kind = "locked" if event.action == "lock" else "due"
        recipients = [(user, kind) for user in [person, *liaisons[unit_id]] if user is not None]
        if event.action in {"overdue", "lock"}:
            escalate = [secretaries[unit_id], *offices[office.pk]]
            recipients += [(user, "escalated") for user in escalate if user is not None]
        batch.extend((user.pk, f"duties:{task.pk}:{what}", title, "", link) for user, what in recipients)
        if len(batch) >= 5000:
            sent += notifications_replace_many(batch)
            batch = []
    return sent + notifications_replace_many(batch)


def lights_refresh(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily job: lights, reminders, and the dashboard rollups of the years touched."""
    today = today or timezone.localdate()
    run = lights_apply(today=today)
    run.notices = reminders_send(run)
    for year in sorted({today.year - 1, today.year}):
        if Task.objects.filter(year=year).exists():
            tally_rebuild(year=year)
    return {**run.changed, "notices": run.notices}
