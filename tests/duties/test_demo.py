from __future__ import annotations

import io

import pytest

from lianqing.core import demo as core_demo
from lianqing.core.models import User
from lianqing.core.roles import Role
from lianqing.duties import demo
from lianqing.duties.models import Light, Task, TaskStatus


@pytest.mark.django_db
def test_demo_year_has_every_light_and_a_liaison() -> None:
    out = io.StringIO()
    core_demo.load(out)
    demo.load(out)
    demo.load(out)  # idempotent
    assert "已存在" in out.getvalue()
    tasks = Task.objects.all()
    assert tasks.filter(light=Light.GREEN, status=TaskStatus.ACCEPTED).exists()
    assert tasks.filter(light=Light.RED).exists()
    assert tasks.filter(status=TaskStatus.LOCKED).exists()
    assert tasks.filter(status=TaskStatus.REOPENED).exists()
    assert tasks.filter(light=Light.BLUE).exists() or tasks.filter(light=Light.YELLOW).exists()
    liaison = User.objects.get(username=demo.LIAISON_USERNAME)
    assert liaison.has_role(Role.LIAISON)
    assert liaison.org is not None
    assert liaison.org.name == demo.UNITS[0][1]


@pytest.mark.django_db
def test_demo_has_accountability_reports_in_their_own_flow() -> None:
    from lianqing.duties.models import AccountabilityReport, ReportStatus

    out = io.StringIO()
    core_demo.load(out)
    demo.load(out)
    statuses = set(AccountabilityReport.objects.values_list("status", flat=True))
    assert statuses == {ReportStatus.ACCEPTED, ReportStatus.RETURNED}
    assert not Task.objects.filter(item__title__contains="述责述廉").exists()
