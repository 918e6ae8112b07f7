"""Who hears about a task: the responsible person and the unit's liaisons; on red, escalation
to the unit's 书记 and the reviewing office. One live notice per task, recipient and kind
(`notification_replace`): red replaces yellow, a rerun the same day adds nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from lianqing.core.models import Org, User
from lianqing.core.roles import Role
from lianqing.core.services import notification_replace

from .models import AccountabilityReport, Task, UnitLeader


def task_link(task: Task) -> str:
    return reverse("duties:task_detail", args=[task.pk])


def unit_liaisons(unit_id: int) -> list[User]:
    users = User.objects.filter(is_active=True, org_id=unit_id, groups__name=str(Role.LIAISON)).distinct()
    return list(users)


def office_reviewers(office: Org) -> list[User]:
    users = User.objects.filter(
        is_active=True, org__path__startswith=office.path, groups__name=str(Role.SUPERVISION)
    ).distinct()
    return list(users)


def unit_secretary_user(unit_id: int) -> User | None:
    leader = (
        UnitLeader.objects.filter(unit_id=unit_id, is_secretary=True, is_active=True)
        .select_related("user")
        .first()
    )
    return leader.user if leader and leader.user and leader.user.is_active else None


def notify(recipients: Iterable[User | None], task: Task, kind: str, title: str, body: str = "") -> int:
    sent = 0
    for user in {u.pk: u for u in recipients if u is not None}.values():
        sent += notification_replace(
            recipient=user, key=f"duties:{task.pk}:{kind}", title=title, body=body, link=task_link(task)
        )
    return sent


def task_title(task: Task) -> str:
    return f"{task.unit.name} · {task.item.title}"


def responsible_users(task: Task) -> list[User | None]:
    person = task.responsible.user if task.responsible_id and task.responsible else None
    return [person, *unit_liaisons(task.unit_id)]


def after_step(task: Task, action: str, reason: str = "") -> None:
    """Notices of people's steps (one live 'step' notice per task and recipient)."""
    what = task_title(task)
    if action == "submit":
        notify(
            office_reviewers(task.assignment.reviewer), task, "review", _("待审核：%(what)s") % {"what": what}
        )
        return
    titles = {
        "return": _("已退回：%(what)s"),
        "accept": _("已通过：%(what)s"),
        "reopen": _("已解锁，请尽快补报：%(what)s"),
    }
    if action in titles:
        notify(responsible_users(task), task, "step", titles[action] % {"what": what}, reason)


def report_notify(report: AccountabilityReport, *, accept: bool) -> int:
    """The author side hears of the review: the leader's own account and the unit's liaisons."""
    what = _("%(year)d 年度述责述廉报告（%(name)s）") % {"year": report.year, "name": report.leader.name}
    title = (_("已通过：%(what)s") if accept else _("已退回：%(what)s")) % {"what": what}
    leader_user = report.leader.user if report.leader.user_id else None
    link = reverse("duties:report_detail", args=[report.pk])
    sent = 0
    for user in {u.pk: u for u in [leader_user, *unit_liaisons(report.unit_id)] if u is not None}.values():
        sent += notification_replace(
            recipient=user, key=f"duties:report:{report.pk}", title=title,
            body=report.return_reason if not accept else report.comment, link=link,
        )  # fmt: skip
    return sent
