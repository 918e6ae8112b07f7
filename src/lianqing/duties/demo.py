"""Demo data of 主体责任: the demo district's party organisations, a year of checklists with a
realistic mix of green, yellow, red, locked and reopened tasks, and a 履责联络员 account.

Idempotent: nothing is added when the demo template exists already.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from lianqing.analytics.workdays import is_known_year, known_years
from lianqing.core.demo import COMMISSION_CODE, DEMO_PASSWORD, REGION
from lianqing.core.models import Org, OrgKind, User
from lianqing.core.roles import Role
from lianqing.core.services import org_upsert, user_upsert

from . import reports, services
from .lights import lights_refresh
from .models import DutyTemplate, Frequency, Grade, Light, Task, TaskStatus, TemplateKind
from .workflow import Reopen, transition

TEMPLATE_NAME = "党委（党组）落实全面从严治党主体责任清单"
LIAISON_USERNAME = "lianluo"

UNITS = [
    ("JW370124-DW-JY", "县教育局党组", OrgKind.PUBLIC_BODY, "JW370124-PZ-JY", ("刘建国", "王红梅")),
    ("JW370124-DW-MZ", "县民政局党组", OrgKind.PUBLIC_BODY, "JW370124-PZ-MZ", ("陈志强", "赵丽")),
    ("JW370124-DW-JT", "县交通运输局党组", OrgKind.PUBLIC_BODY, "JW370124-JC1", ("孙海涛", "周敏")),
    ("JW370124-DW-CG", "城关街道党工委", OrgKind.PUBLIC_BODY, "JW370124-JC1", ("李文华", "吴静")),
    ("JW370124-DW-DE", "东阿镇党委", OrgKind.PUBLIC_BODY, "JW370124-JC2", ("郑晓东", "冯雪")),
    ("JW370124-DW-YY", "县人民医院党委", OrgKind.INSTITUTION, "JW370124-JC2", ("韩立新", "杨帆")),
    ("JW370124-DW-CT", "县城投集团党委", OrgKind.STATE_ENTERPRISE, "JW370124-JC2", ("马骏", "许婷")),
    ("JW370124-DW-NJ", "东阿镇南街村党支部", OrgKind.VILLAGE, "JW370124-JC2", ("何军", "高燕")),
]

# title, frequency, once_month, due_month_offset, due_day, evidence, points, responsible
ITEMS = [
    (
        "召开党委（党组）会议专题研究党风廉政建设",
        Frequency.QUARTERLY,
        12,
        0,
        25,
        ["minutes"],
        "4",
        "secretary",
    ),
    (
        "书记与班子成员、下级“一把手”开展廉政谈话",
        Frequency.ANNUAL,
        6,
        0,
        30,
        ["document", "signed_report"],
        "5",
        "secretary",
    ),
    ("班子成员落实“一岗双责”情况报告", Frequency.QUARTERLY, 12, 1, 10, ["signed_report"], "3", "member"),
    ("开展廉政警示教育", Frequency.QUARTERLY, 12, 0, 20, ["photo", "document"], "3", "member"),
    ("节日期间纠治“四风”廉洁提醒", Frequency.ONCE, 9, 0, 30, ["document"], "2", "member"),
    ("报送党风廉政建设工作月度台账", Frequency.MONTHLY, 12, 1, 5, ["document"], "1", "member"),
    ("制定年度党风廉政建设工作要点", Frequency.ONCE, 3, 0, 15, ["document"], "4", "secretary"),
]


def _year() -> int:
    year = timezone.localdate().year
    return year if is_known_year(year) else known_years().stop - 1


def load(stdout: TextIO) -> None:
    if DutyTemplate.objects.filter(name=TEMPLATE_NAME).exists():
        stdout.write("主体责任演示数据已存在\n")
        return
    commission = Org.objects.get(org_code=COMMISSION_CODE)
    offices = {org.org_code: org for org in Org.objects.filter(path__startswith=commission.path)}
    template = services.template_create(
        owner=commission, name=TEMPLATE_NAME, kind=TemplateKind.PARTY_COMMITTEE
    )
    for title, frequency, once_month, offset, due_day, evidence, points, responsible in ITEMS:
        services.item_save(
            template=template,
            fields={"title": title, "frequency": frequency, "once_month": once_month, "due_month_offset": offset,
                    "due_day": due_day, "evidence_kinds": evidence, "points": Decimal(points), "responsible": responsible},
        )  # fmt: skip
    year = _year()
    by_reviewer: dict[str, list[tuple[Org, object]]] = {}
    for code, name, kind, reviewer, (secretary, member) in UNITS:
        unit = org_upsert(org_code=code, name=name, kind=kind, parent=commission, region_code=REGION)
        services.leader_upsert(unit=unit, name=secretary, post="书记", is_secretary=True)
        by_reviewer.setdefault(reviewer, []).append(
            (unit, services.leader_upsert(unit=unit, name=member, post="班子成员（纪检）"))
        )
    for reviewer, pairs in by_reviewer.items():
        services.assignment_create(
            template=template, units=[unit for unit, _m in pairs], year=year, reviewer=offices[reviewer],
            members={unit.pk: member for unit, member in pairs},  # type: ignore[misc]
        )  # fmt: skip
    liaison = user_upsert(
        username=LIAISON_USERNAME, password=DEMO_PASSWORD, org=Org.objects.get(org_code=UNITS[0][0]),
        roles=(Role.LIAISON,), full_name="孟联络",
    )  # fmt: skip
    _history(year)
    stdout.write(
        f"主体责任：{len(UNITS)} 个单位 {Task.objects.filter(year=year).count()} 项 {year} 年度任务；"
        f"履责联络员账号 {liaison.username}（{UNITS[0][1]}，密码同上）\n"
    )


def _history(year: int) -> None:
    """What the year would look like: most past tasks done on time, some late, some locked,
    some waiting for review; then the light job of today, and a few locked tasks reopened."""
    today = timezone.localdate()
    past = Task.objects.filter(year=year, deadline__lt=today)
    weak = {UNITS[4][0], UNITS[7][0]}  # two units that fall behind
    for task in past.select_related("unit").iterator():
        roll = (task.pk * 7 + task.unit_id) % 10
        if task.unit.org_code in weak:
            roll = min(roll + 3, 9)
        if roll <= 6:
            late = roll == 6
            Task.objects.filter(pk=task.pk).update(
                status=TaskStatus.ACCEPTED, light=Light.GREEN, was_late=late,
                grade=[Grade.EXCELLENT, Grade.GOOD, Grade.GOOD, Grade.FAIR][task.pk % 4],
                account="已按要求完成，材料见附件。",
                submitted_at=timezone.make_aware(dt.datetime.combine(task.deadline - dt.timedelta(days=3 - 5 * late), dt.time(10))),
                reviewed_at=timezone.make_aware(dt.datetime.combine(task.deadline + dt.timedelta(days=2 + 5 * late), dt.time(15))),
            )  # fmt: skip
        elif roll == 7 and task.deadline >= today - dt.timedelta(days=30):
            Task.objects.filter(pk=task.pk).update(
                status=TaskStatus.SUBMITTED, account="已完成，请审核。",
                submitted_at=timezone.make_aware(dt.datetime.combine(task.deadline, dt.time(9))),
            )  # fmt: skip
    lights_refresh(today=today)
    reviewer = User.objects.filter(username="jiancha").first()
    if reviewer is None:
        return
    reopen = Task.objects.filter(year=year, status=TaskStatus.LOCKED, unit__org_code=UNITS[2][0])
    for task in reopen.select_related("unit", "item", "assignment__reviewer")[:3]:
        transition(task=task, by=reviewer, action=Reopen(reason="单位说明因人员调整延误，准予补报"))
    _reports(year)


def _reports(year: int) -> None:
    """述责述廉 (its own flow, not a duty item): the liaison's unit has one accepted and one returned."""
    liaison = User.objects.filter(username=LIAISON_USERNAME).first()
    reviewer = User.objects.filter(username="lingdao").first()  # the commission's leader reviews them
    unit = Org.objects.filter(org_code=UNITS[0][0]).first()
    if liaison is None or reviewer is None or unit is None or not reports.may_review(reviewer, unit, year):
        return
    secretary, member = services.leaders_of(unit).order_by("-is_secretary", "pk")[:2]
    accepted = reports.report_submit(leader=secretary, year=year, content=(
        "一年来，我认真履行党风廉政建设第一责任人职责，主持召开党组会议专题研究党风廉政建设4次，"
        "带头讲廉政党课1次，对班子成员开展提醒谈话6人次；严格遵守中央八项规定精神，未发现违规问题。"
    ), by=liaison)  # fmt: skip
    reports.report_review(
        report=accepted,
        by=reviewer,
        accept=True,
        grade=Grade.GOOD,
        comment="履职情况较好，问题查摆还可更具体。",
    )
    returned = reports.report_submit(leader=member, year=year, content=(
        "本人认真落实“一岗双责”，分管领域未发生违纪违法问题，按要求参加廉政教育。"
    ), by=liaison)  # fmt: skip
    reports.report_review(
        report=returned,
        by=reviewer,
        accept=False,
        reason="未对照年初责任清单逐项报告，请补充分管领域监督检查情况。",
    )
