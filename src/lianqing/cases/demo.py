"""Demo data of the cases app: letters, visits, calls and a lead, at different steps of the workflow.

Idempotent: the sample cases are added only when there are none yet.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.demo import COMMISSION_CODE, REGION
from lianqing.core.models import Org, User

from . import services
from .models import AssignMode, AssignRoute, Case, Disposal, Kind, Outcome
from .services import case_register

SAMPLES = [
    ("letter", "sifeng_dining", "来信反映东阿镇某站所负责人多次在工作日中午饮酒。", "陈某", "东阿镇农业综合服务中心", "主任"),
    ("visit", "public_interest", "来访反映孝直镇某村低保评定优亲厚友，村干部亲属享受低保。", "刘某", "孝直镇某村", "党支部书记"),
    ("phone", "sifeng_gifts", "电话反映县某局干部春节期间收受管理服务对象微信红包。", "黄某", "县某局", "副局长"),
    ("higher_referral", "abuse_of_power", "上级转办：反映城关街道某干部违规插手工程项目。", "周某", "城关街道办事处", "副主任"),
    ("letter", "business", "来信反映某局干部违规经商办企业。", "吴某", "县某局", "科长"),
]  # fmt: skip


def load(stdout: TextIO) -> None:
    if Case.objects.filter(details__demo=True).exists():
        stdout.write(_("案件演示数据已存在") + "\n")
        return
    commission = Org.objects.get(org_code=COMMISSION_CODE)
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
            region_code=REGION,
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
    services.case_accept(case=cases[0], by=officer)
    services.case_assign(
        case=cases[0], by=officer, to_org=orgs["JW370124-JC1"], handler=handler, mode=AssignMode.SUPERVISE
    )
    services.case_start(case=cases[0], by=handler)
    services.case_conclude(
        case=cases[0], by=handler, disposal=Disposal.VERIFY, outcome=Outcome.ADMONITION,
        result="经核实，反映问题基本属实，已对陈某诫勉谈话。",
    )  # fmt: skip
    services.case_feedback(
        case=cases[0], by=officer, text="您反映的问题经核实基本属实，已对相关人员作出处理。"
    )
    services.case_accept(case=cases[1], by=officer)
    services.case_assign(case=cases[1], by=officer, to_org=orgs["JW370124-JC1"], handler=handler)
    services.case_start(case=cases[1], by=handler)
    services.case_to_lead(case=cases[1], by=handler)
    services.case_accept(case=cases[2], by=officer)
    services.case_assign(
        case=cases[2], by=officer, to_org=orgs["JW370124001"], route=AssignRoute.LOWER_COMMISSION
    )
    services.case_accept(case=cases[3], by=officer)
    lead = Case.objects.get(source_case=cases[1])
    services.case_assign(case=lead, by=manager, to_org=orgs["JW370124-JC1"], handler=handler)
    services.case_dispose(case=lead, by=handler, method=Disposal.TALK)
    services.case_record_outcome(case=lead, by=handler, outcome=Outcome.REMINDER_TALK, result="已谈话提醒。")
    _investigation_in_trial(cases[4], officer, manager, orgs)
    stdout.write(_("案件演示数据：%(n)d 件") % {"n": Case.objects.count()} + "\n")


def _investigation_in_trial(case: Case, officer: User, manager: User, orgs: dict[str, Org]) -> None:
    """A letter that became a lead, then an investigation now with the trial department (审理 has work)."""
    investigator = User.objects.get(username="shencha")
    services.case_accept(case=case, by=officer)
    services.case_to_lead(case=case, by=officer)
    lead = Case.objects.get(source_case=case)
    services.case_assign(case=lead, by=manager, to_org=orgs["JW370124-SC1"], handler=investigator)
    services.case_dispose(case=lead, by=investigator, method=Disposal.VERIFY)
    services.case_record_outcome(
        case=lead, by=investigator, outcome=Outcome.INVESTIGATION, result="初核属实，立案审查调查。"
    )
    investigation = Case.objects.get(source_case=lead)
    services.case_start(case=investigation, by=investigator)
    services.case_send_to_trial(case=investigation, by=investigator, to_org=orgs["JW370124-SL"])
