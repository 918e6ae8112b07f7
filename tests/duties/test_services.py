"""Templates, versions and assignments: an edit after assignment makes a new version and never
changes assigned tasks until the commission applies it; bad input gets a clear message."""

from __future__ import annotations

import datetime as dt

import pytest

from lianqing.duties import selectors, services
from lianqing.duties.errors import DutyError
from lianqing.duties.lights import lights_refresh
from lianqing.duties.models import Assignment, Frequency, Task, TaskStatus
from lianqing.duties.workflow import Accept, Submit, transition

from .conftest import World


def test_edit_after_assignment_makes_a_new_version_and_changes_nothing(world: World) -> None:
    before = list(Task.objects.filter(unit=world.unit_a).values_list("pk", "item__title", "deadline"))
    first = services.version_latest(world.template)
    services.item_save(
        template=world.template,
        fields={
            "title": "每季度听取班子成员履责汇报",
            "frequency": Frequency.QUARTERLY,
            "due_day": 20,
            "points": 3,
        },
    )
    latest = services.version_latest(world.template)
    assert latest.number == first.number + 1
    assert latest.items.count() == first.items.count() + 1
    assert list(Task.objects.filter(unit=world.unit_a).values_list("pk", "item__title", "deadline")) == before
    assert Assignment.objects.get(pk=world.assignment.pk).version_id == first.pk


def test_applying_the_new_version_keeps_work_already_done(world: World) -> None:
    done = Task.objects.get(unit=world.unit_a, item__title="国庆节前廉洁提醒")
    transition(task=done, by=world.liaison, action=Submit(account="已发廉洁提醒"))
    transition(task=done, by=world.reviewer, action=Accept(grade="A"))
    lineage = done.lineage
    services.item_save(
        template=world.template,
        lineage=lineage,
        fields={"title": "节前廉洁提醒（修订）", "frequency": Frequency.ONCE, "once_month": 9, "due_day": 28},
    )
    services.item_save(
        template=world.template,
        fields={"title": "每季度听取班子成员履责汇报", "frequency": Frequency.QUARTERLY, "due_day": 20},
    )
    result = services.assignment_apply_version(assignment=world.assignment, by=world.leader)
    tasks = Task.objects.filter(assignment=world.assignment)
    assert tasks.get(pk=done.pk).status == TaskStatus.ACCEPTED  # kept, with its old wording
    assert not tasks.filter(item__title="节前廉洁提醒（修订）").exists()  # the done occurrence is not redone
    assert tasks.filter(item__title="每季度听取班子成员履责汇报").count() == 4
    assert result == {"removed": 1, "added": 5}
    with pytest.raises(DutyError, match="最新版本"):
        services.assignment_apply_version(assignment=world.assignment, by=world.leader)
    # the other unit did not choose to apply it
    assert not Task.objects.filter(unit=world.unit_b, item__title="每季度听取班子成员履责汇报").exists()


def test_bad_input_gets_a_message_naming_the_field(world: World) -> None:
    with pytest.raises(DutyError) as error:
        services.item_save(template=world.template, fields={"title": "x", "frequency": "weekly"})
    assert error.value.field == "frequency"
    with pytest.raises(DutyError, match="已分派过"):
        services.assignment_create(
            template=world.template, units=[world.unit_a], year=2026, reviewer=world.tree.supervision_office
        )
    with pytest.raises(DutyError, match="2031"):
        services.assignment_create(
            template=world.template, units=[world.unit_a], year=2031, reviewer=world.tree.supervision_office
        )
    with pytest.raises(DutyError, match="不是可分派的单位"):
        services.assignment_create(
            template=world.template,
            units=[world.tree.township_a],
            year=2025,
            reviewer=world.tree.supervision_office,
        )


def test_dashboard_ranking_and_talk_prompts(world: World) -> None:
    lights_refresh(today=dt.date(2026, 12, 1))
    dashboard = selectors.dashboard_get(root=world.tree.commission, year=2026)
    assert dashboard.totals["total"] == 4
    assert dashboard.totals["locked"] == 4
    assert {row["name"] for row in dashboard.by_unit} == {"县教育局党组", "县民政局党组"}
    assert [row["month"] for row in dashboard.by_month] == [6, 10]
    scores = selectors.unit_scores(root=world.tree.commission, year=2026)
    assert [s.rank for s in scores] == [1, 2]
    prompts = selectors.talk_prompts(root=world.tree.commission, year=2026)
    # each unit has 2 late tasks (below 3 for the unit), both of its 书记 (2 for a person: a talk)
    assert [(p.unit.name, p.leader) for p in prompts] == [("县教育局党组", world.secretary_leader)]
    services.talk_record(
        unit=world.unit_a, year=2026, talked_on=dt.date(2026, 11, 30), talked_by="王书记", talked_to="张书记",
        points_raised="两项工作逾期", leader=world.secretary_leader, by=world.leader,
    )  # fmt: skip
    assert selectors.talk_prompts(root=world.tree.commission, year=2026) == []
    assert selectors.unit_duty_signals(unit_id=world.unit_a.pk, year=2026)["late"] == 2
