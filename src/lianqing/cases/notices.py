"""Who hears about a step of a case right away: the handler it was given to, or, when a
department gets it without a handler, the department's head(s) (it stays on the department's
to-do list until someone takes it with 开始办理)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianqing.core.models import Org, User
from lianqing.core.roles import Role
from lianqing.core.services import notification_send

from .access import commission_of
from .models import AssignRoute, Case, Status
from .workflow.spec import Facts

NOTIFY_HANDLER_ON = {"assign", "return", "reopen", "extend"}


def case_link(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def users_with_role(org: Org, *roles: Role, within: bool = False) -> list[User]:
    """Active users of `org` (or of its whole subtree, `within`) holding one of `roles`."""
    users = User.objects.filter(is_active=True).prefetch_related("groups")
    users = users.filter(org__path__startswith=org.path) if within else users.filter(org=org)
    return [user for user in users if user.has_role(*roles) and not user.is_superuser]


def heads_of(org: Org) -> list[User]:
    """Leaders of the org in charge, else of its commission."""
    for candidate in (org, commission_of(org)):
        heads = users_with_role(candidate, Role.LEADER)
        if heads:
            return heads
    return []


def after_transition(*, case: Case, by: User, facts: Facts) -> None:
    name = facts.spec.name
    title = f"{case.number} {facts.spec.label}"
    body = facts.reason or case.summary[:80]
    if (
        case.handler_id
        and case.handler_id != by.pk
        and name in NOTIFY_HANDLER_ON
        and case.handler is not None
    ):
        notification_send(recipient=case.handler, title=title, body=body, link=case_link(case))
        return
    unclaimed = case.handler_id is None and case.status in {Status.ASSIGNED, Status.PENDING, Status.IN_TRIAL}
    to_department = name == "send_to_trial" or (
        name == "assign" and case.assign_route == AssignRoute.DEPARTMENT
    )
    if unclaimed and to_department:
        for head in heads_of(case.org):
            if head.pk != by.pk:
                notification_send(
                    recipient=head,
                    title=_("%(number)s 已分至%(org)s，尚无承办人")
                    % {"number": case.number, "org": case.org},
                    body=body,
                    link=case_link(case),
                )
