"""A small world for 主体责任: two units under the commission, a supervision office that reviews
them, a liaison of unit A, the unit's 书记 with an account, and a template with duties."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from lianqing.core.models import Org, OrgKind, User
from lianqing.core.roles import Role
from lianqing.duties import services
from lianqing.duties.models import Assignment, DutyTemplate, Frequency, TemplateKind, UnitLeader
from tests.conftest import OrgTree
from tests.core.factories import OrgFactory, UserFactory

YEAR = 2026


@dataclass
class World:
    tree: OrgTree
    unit_a: Org
    unit_b: Org
    liaison: User
    liaison_b: User
    reviewer: User
    other_reviewer: User
    leader: User
    secretary: User
    secretary_leader: UnitLeader
    template: DutyTemplate
    assignment: Assignment


@pytest.fixture
def world(org_tree: OrgTree) -> World:
    commission = org_tree.commission
    unit_a = OrgFactory(org_code="JW1-U1", name="县教育局党组", kind=OrgKind.PUBLIC_BODY, parent=commission)
    unit_b = OrgFactory(org_code="JW1-U2", name="县民政局党组", kind=OrgKind.PUBLIC_BODY, parent=commission)
    other_office = OrgFactory(
        org_code="JW1-JC2", name="第二监督检查室", kind=OrgKind.DEPARTMENT, parent=commission
    )
    secretary = UserFactory(org=unit_a, roles=[], username="shuji_a")
    secretary_leader = services.leader_upsert(
        unit=unit_a, name="张书记", post="党组书记", is_secretary=True, user=secretary
    )
    template = services.template_create(
        owner=commission, name="党委（党组）主体责任清单", kind=TemplateKind.PARTY_COMMITTEE
    )
    services.item_save(
        template=template,
        fields={"title": "研究部署党风廉政建设工作", "frequency": Frequency.ONCE, "once_month": 6, "due_day": 15,
                "evidence_kinds": ["minutes"], "points": 5},
    )  # fmt: skip
    services.item_save(
        template=template,
        fields={
            "title": "国庆节前廉洁提醒",
            "frequency": Frequency.ONCE,
            "once_month": 10,
            "due_day": 1,
            "points": 2,
        },
    )
    assignment_a, _b = services.assignment_create(
        template=template, units=[unit_a, unit_b], year=YEAR, reviewer=org_tree.supervision_office,
        warning_days=10, lock_grace_days=3,
    )  # fmt: skip
    return World(
        tree=org_tree,
        unit_a=unit_a,
        unit_b=unit_b,
        liaison=UserFactory(org=unit_a, roles=[Role.LIAISON], username="lianluo_a"),
        liaison_b=UserFactory(org=unit_b, roles=[Role.LIAISON], username="lianluo_b"),
        reviewer=UserFactory(org=org_tree.supervision_office, roles=[Role.SUPERVISION], username="jiancha1"),
        other_reviewer=UserFactory(org=other_office, roles=[Role.SUPERVISION], username="jiancha2"),
        leader=UserFactory(org=commission, roles=[Role.LEADER], username="lingdao1"),
        secretary=secretary,
        secretary_leader=secretary_leader,
        template=template,
        assignment=assignment_a,
    )


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
