"""Typed events of 主体责任: each writes one timeline row of the task and, for people's steps, an
audit record. The daily light job writes its timeline rows in bulk (`lights.py`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, User

from .models import Assignment, DutyTemplate, Evidence, Talk, Task, TaskEvent, TemplateVersion, UnitLeader


def task_transitioned_event(
    *, task: Task, by: User | None, action: str, from_status: str, reason: str = ""
) -> TaskEvent:
    event = TaskEvent.objects.create(
        task=task, at=timezone.now(), actor=by, action=action, from_status=from_status,
        to_status=task.status, light=task.light, reason=reason,
    )  # fmt: skip
    audit_record(
        action=AuditAction.TRANSITION,
        actor=by,
        obj=task,
        details={
            "action": action,
            "from": from_status,
            "to": task.status,
            "light": task.light,
            "reason": reason,
        },
    )
    return event


def evidence_added_event(*, evidence: Evidence, by: User) -> None:
    audit_record(
        action=AuditAction.CREATE,
        actor=by,
        obj=evidence,
        details={
            "task": evidence.task_id,
            "name": evidence.name,
            "kind": evidence.kind,
            "size": evidence.size,
        },
    )


def evidence_removed_event(*, task: Task, name: str, by: User) -> None:
    audit_record(action=AuditAction.DELETE, actor=by, obj=task, details={"evidence_removed": name})


def template_changed_event(
    *, template: DutyTemplate, version: TemplateVersion, by: User | None, details: dict[str, Any]
) -> None:
    audit_record(
        action=AuditAction.UPDATE, actor=by, obj=template, details={"version": version.number, **details}
    )


def assignment_created_event(*, assignment: Assignment, by: User | None, tasks: int) -> None:
    audit_record(
        action=AuditAction.CREATE,
        actor=by,
        obj=assignment,
        details={
            "unit": assignment.unit_id,
            "year": assignment.year,
            "version": assignment.version_id,
            "tasks": tasks,
        },
    )


def version_applied_event(*, assignment: Assignment, by: User | None, details: dict[str, Any]) -> None:
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        obj=assignment,
        details={"applied_version": assignment.version_id, **details},
    )


def talk_recorded_event(*, talk: Talk, by: User) -> None:
    audit_record(
        action=AuditAction.CREATE,
        actor=by,
        obj=talk,
        details={"unit": talk.unit_id, "on": str(talk.talked_on)},
    )


def leader_changed_event(*, leader: UnitLeader, by: User | None, details: dict[str, Any]) -> None:
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        obj=leader,
        details={"unit": leader.unit_id, "name": leader.name, **details},
    )
