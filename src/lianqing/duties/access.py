"""Who may see and do what in 主体责任.

- A 履责联络员 (liaison) is a person of a unit, not commission staff: they see the tasks of their
  own unit only (their org exactly, not its subtree) and nothing else of the platform
  (`middleware.LiaisonConfinementMiddleware`).
- Reviewers are the 监督检查室 or 派驻机构 an assignment names: users of that office holding 监督检查.
- The commission's leaders and supervision staff keep the templates, assign them, record talks
  and read the dashboard over the commission's jurisdiction; 案管 reads the dashboard.
Missing and forbidden objects raise the same 404.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from lianqing.core.access import commission_of
from lianqing.core.models import Org, OrgKind, User
from lianqing.core.roles import Role

from .models import DutyTemplate, Task

MANAGER_ROLES = (Role.LEADER, Role.SUPERVISION)
DASHBOARD_ROLES = (Role.LEADER, Role.SUPERVISION, Role.CASE_MANAGEMENT)
UNIT_KINDS = (
    OrgKind.PUBLIC_BODY,
    OrgKind.INSTITUTION,
    OrgKind.STATE_ENTERPRISE,
    OrgKind.VILLAGE,
    OrgKind.OTHER,
)
REVIEWER_KINDS = (OrgKind.DEPARTMENT, OrgKind.STATIONED)


def is_liaison(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_role(Role.LIAISON)  # type: ignore[union-attr]


def managed_root(user: User | AnonymousUser) -> Org | None:
    """The commission whose checklists the user keeps, or None."""
    if not user.is_authenticated or is_liaison(user) or user.org is None:  # type: ignore[union-attr]
        return None
    if not user.has_role(*MANAGER_ROLES):  # type: ignore[union-attr]
        return None
    return commission_of(user.org)  # type: ignore[union-attr]


def dashboard_root(user: User | AnonymousUser) -> Org | None:
    if not user.is_authenticated or is_liaison(user) or user.org is None:  # type: ignore[union-attr]
        return None
    if not user.has_role(*DASHBOARD_ROLES):  # type: ignore[union-attr]
        return None
    return commission_of(user.org)  # type: ignore[union-attr]


def can_see_duties(user: User | AnonymousUser) -> bool:
    return is_liaison(user) or dashboard_root(user) is not None


def tasks_visible(user: User | AnonymousUser) -> QuerySet[Task]:
    """The one place task querysets are scoped."""
    tasks = Task.objects.all()
    if not user.is_authenticated or user.org is None:  # type: ignore[union-attr]
        return tasks.none()
    if is_liaison(user):
        return tasks.filter(unit_id=user.org_id)  # type: ignore[union-attr]
    root = dashboard_root(user)
    if root is None:
        return tasks.none()
    if user.has_role(Role.LEADER, Role.CASE_MANAGEMENT) or user.org.kind == OrgKind.COMMISSION:  # type: ignore[union-attr]
        return tasks.filter(unit__path__startswith=root.path)
    # supervision staff of an office: the units their office reviews
    return tasks.filter(assignment__reviewer__path__startswith=user.org.path)  # type: ignore[union-attr]


def access_task_by_id(user: User | AnonymousUser, task_id: int) -> Task:
    task = (
        tasks_visible(user)
        .select_related("unit", "item", "assignment__reviewer", "responsible")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise Http404("没有找到该任务")
    return task


def is_unit_liaison(user: User, task: Task) -> bool:
    return is_liaison(user) and user.org_id == task.unit_id


def is_reviewer(user: User, task: Task) -> bool:
    if is_liaison(user) or user.org is None:
        return False
    reviewer = task.assignment.reviewer
    if user.has_role(Role.SUPERVISION) and user.org.path.startswith(reviewer.path):
        return True
    return user.has_role(Role.LEADER) and task.unit.path.startswith(commission_of(user.org).path)


def access_template_by_id(user: User | AnonymousUser, template_id: int) -> DutyTemplate:
    root = managed_root(user)
    template = None if root is None else DutyTemplate.objects.filter(pk=template_id, owner=root).first()
    if template is None:
        raise Http404("没有找到该责任清单")
    return template


def access_unit_by_id(user: User | AnonymousUser, unit_id: int) -> Org:
    """A unit the user may read duties of: a liaison's own; a dashboard user's within the commission."""
    if is_liaison(user):
        if user.org_id == unit_id:  # type: ignore[union-attr]
            return user.org  # type: ignore[union-attr,return-value]
        raise Http404("没有找到该单位")
    root = dashboard_root(user)
    unit = None if root is None else Org.objects.filter(pk=unit_id, path__startswith=root.path).first()
    if unit is None:
        raise Http404("没有找到该单位")
    return unit


def unit_filter(root: Org) -> Q:
    return Q(path__startswith=root.path, kind__in=UNIT_KINDS)
