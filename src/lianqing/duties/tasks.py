"""Background tasks of 主体责任 (run by `lianqing worker`)."""

from __future__ import annotations

from django_tasks import task

from .lights import lights_refresh


@task()
def duty_lights_task() -> dict[str, int]:
    """Daily: lights (蓝/黄/红/锁定), reminders and escalation, dashboard rollups. Idempotent."""
    return lights_refresh()
