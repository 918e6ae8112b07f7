"""Demo data of the cases app: letters, visits, calls and a lead, at different steps of the workflow.

Idempotent: the sample cases are added only when there are none yet.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.utils import timezone

from lianqing.core.models import Org, User

from .models import Case, Disposal, Kind, Outcome
from .services import case_register, transition

SAMPLES = [
    ("letter", "sifeng_dining", "来信反映东阿镇某站所负责人多次在工作日中午饮酒。", "陈某", "东阿镇农业综合服务中心", "主任"),
    ("visit", "public_interest", "来访反映孝直镇某村低保评定优亲厚友，村干部亲属享受低保。", "刘某", "孝直镇某村", "党支部书记"),
    ("phone", "sifeng_gifts", "电话反映县某局干部春节期间收受管理服务对象微信红包。", "黄某", "县某局", "副局长"),
    ("higher_referral", "abuse_of_power", "上级转办：反映城关街道某干部违规插手工程项目。", "周某", "城关街道办事处", "副主任"),
    ("letter", "business", "来信反映某局干部违规经商办企业。", "吴某", "县某局", "科长"),
]  # fmt: skip


def load(stdout: TextIO) -> None:
    if Case.objects.filter(details__demo=True).exists():
        stdout.write("案件演示数据已存在 (demo cases exist)\n")
        return
    commission = Org.objects.get(org_code="JW370124")
    orgs = {org.org_code: org for org in Org.objects.filter(path__startswith=commission.path)}
    users = {
        user.username: user
        for user in User.objects.filter(username__in=["xinfang", "jiancha", "anguan", "lingdao"])
    }
    now = timezone.now()
    cases = [
        case_register(
            kind=Kind.PETITION,
            source=source,
            category=category,
            summary=summary,
            region_code="370124",
            org=commission,
            received_at=now - dt.timedelta(days=40 - 8 * i),
            reported_persons=[{"name": name, "org_name": org_name, "position": position}],
            created_by=users["xinfang"],
            details={"demo": True},
            is_reporter_named=i % 2 == 0,
        )
        for i, (source, category, summary, name, org_name, position) in enumerate(SAMPLES)
    ]
    officer, handler, manager = users["xinfang"], users["jiancha"], users["anguan"]
    # One concluded and answered, one being handled, one sent down, one accepted, one waiting.
    transition(cases[0], "accept", officer)
    transition(cases[0], "assign", officer, to_org=orgs["JW370124-JC1"], handler=handler, mode="supervise")
    transition(cases[0], "start", handler)
    transition(cases[0], "conclude", handler, result="经核实，反映问题基本属实，已对陈某诫勉谈话。")
    transition(cases[0], "feedback", officer, text="您反映的问题经核实基本属实，已对相关人员作出处理。")
    transition(cases[1], "accept", officer)
    transition(cases[1], "assign", officer, to_org=orgs["JW370124-JC1"], handler=handler)
    transition(cases[1], "start", handler)
    transition(cases[1], "to_lead", handler)
    transition(cases[2], "accept", officer)
    transition(
        cases[2], "assign", officer, to_org=orgs["JW370124001"], route="lower_commission", mode="delegate"
    )
    transition(cases[3], "accept", officer)
    lead = Case.objects.get(source_case=cases[1])
    transition(lead, "assign", manager, to_org=orgs["JW370124-JC1"], handler=handler)
    transition(lead, "dispose", handler, method=Disposal.TALK)
    transition(lead, "record_outcome", handler, outcome=Outcome.REMINDER_TALK, result="已谈话提醒。")
    stdout.write(f"案件演示数据：{len(cases) + 1} 件 (demo cases loaded)\n")
