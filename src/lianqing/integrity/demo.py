"""Demo data of 廉情分析: two years of reports about the demo district's units, with a sudden rise
(苗头性), a sustained rise (倾向性) and a burst on one cadre (集中) planted in the last months, a few
sanctions and unrectified findings so the units' colours differ, then one run of the daily job.

Reports go through the cases services (registered and linked to the registry's cadres as the
resolver would), sanctions and findings through the dossiers services. Dates are relative to today,
so the warnings are always in the last complete months. Idempotent: planted once, refreshed always.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from django.utils import timezone

from lianqing.cases.selectors import reported_person_list
from lianqing.cases.services import case_register, reported_person_link
from lianqing.core.demo import COMMISSION_CODE, REGION, TOWNSHIPS
from lianqing.core.models import Org, User
from lianqing.dossiers.models import RecordKind, SanctionKind
from lianqing.dossiers.selectors import cadre_search, unit_search
from lianqing.dossiers.services import dossier_roles_grant, record_create, sanction_create

from .models import RefreshRun
from .refresh import integrity_refresh

MARKER = "demo-planted"
MONTHS = 26
BACKGROUND_RATE = 0.35  # reports per unit, category and month
# unit code -> (region, the categories its reports are about)
UNITS: dict[str, tuple[str, tuple[str, ...]]] = {
    "DEMO-WJ": (REGION, ("sifeng_dining", "bribery")),
    "DEMO-MZ": (REGION, ("public_interest", "sifeng_gifts")),
    "DEMO-DE": (TOWNSHIPS[1][2], ("sifeng_gifts", "dereliction")),
    "DEMO-CZ": (REGION, ("sifeng_allowance", "abuse_of_power")),
    "DEMO-JY": (REGION, ("sifeng_dining", "sifeng_formalism")),
    "DEMO-ZJ": (REGION, ("abuse_of_power", "bribery")),
    "DEMO-NY": (REGION, ("public_interest", "dereliction")),
    "DEMO-XZ": (TOWNSHIPS[2][2], ("public_interest", "sifeng_dining")),
}
RISE = ("DEMO-MZ", "public_interest", 9)  # nine reports in the last complete month
TREND = ("DEMO-WJ", "sifeng_dining", (2, 2, 2, 2, 2))  # two a month over the last five months
BURST = ("DEMO-DE", "sifeng_gifts", 7)  # seven in three days, two months ago, about one cadre
SANCTIONS = {"DEMO-MZ": 4, "DEMO-DE": 3, "DEMO-WJ": 1}  # cadres in a sanction's 影响期
FINDINGS = {"DEMO-MZ": 5, "DEMO-DE": 3, "DEMO-WJ": 2}  # unrectified 巡察/审计 findings of the unit
SUMMARIES = {
    "sifeng_dining": "反映{unit}{name}工作日中午接受管理服务对象宴请并饮酒。",
    "sifeng_gifts": "反映{unit}{name}节日期间收受管理服务对象礼品礼金和微信红包。",
    "public_interest": "反映{unit}{name}在低保和惠民资金发放中优亲厚友。",
    "bribery": "反映{unit}{name}在项目审批中收受好处。",
    "dereliction": "反映{unit}{name}对群众反映的问题长期不处理。",
    "sifeng_allowance": "反映{unit}{name}违规发放津补贴。",
    "abuse_of_power": "反映{unit}{name}违规插手工程项目。",
    "sifeng_formalism": "反映{unit}{name}检查考核过多过滥、层层加码。",
}


def _month_start(today: dt.date, back: int) -> dt.date:
    total = today.year * 12 + today.month - 1 - back
    return dt.date(total // 12, total % 12 + 1, 1)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _report(
    *, when: dt.datetime, category: str, region: str, cadre: Any, unit_name: str, org: Org, officer: User
) -> None:
    case = case_register(
        kind="petition",
        source="online" if when.day % 2 else "letter",
        category=category,
        summary=SUMMARIES[category].format(unit=unit_name, name=cadre.name),
        region_code=region,
        org=org,
        received_at=when,
        reported_persons=[{"name": cadre.name, "org_name": unit_name, "position": cadre.position}],
        created_by=officer,
        details={"demo": "integrity"},
    )
    for person in reported_person_list(case_ids=[case.pk]):
        reported_person_link(person_id=person["pk"], cadre_key=str(cadre.pk))


def _plant(commission: Org, leader: User, officer: User, today: dt.date) -> int:
    rng = random.Random(20261201)  # noqa: S311 - demo data, not secrets
    planted = 0
    for code, (region, categories) in UNITS.items():
        unit = unit_search(user=leader, query=code).first()
        if unit is None:
            continue
        cadres = [cadre for cadre in cadre_search(user=leader, query=unit.name) if cadre.unit_id == unit.pk][
            :6
        ]
        if not cadres:
            continue
        for category in categories:
            for back in range(MONTHS, 0, -1):
                start = _month_start(today, back)
                count = sum(1 for _ in range(6) if rng.random() < BACKGROUND_RATE / 6)
                planted_here = 0
                if (code, category) == RISE[:2] and back == 1:
                    count = RISE[2]
                if (code, category) == TREND[:2] and back <= len(TREND[2]):
                    count = TREND[2][len(TREND[2]) - back]
                for n in range(count):
                    day = start + dt.timedelta(days=(3 + 7 * n + back) % 27)
                    cadre = cadres[(n + back) % len(cadres)]
                    _report(when=_at(day), category=category, region=region, cadre=cadre,
                            unit_name=unit.name, org=commission, officer=officer)  # fmt: skip
                    planted_here += 1
                if (code, category) == BURST[:2] and back == 2:
                    for n in range(BURST[2]):
                        day = start + dt.timedelta(days=10 + n % 3)
                        _report(when=_at(day, 9 + n), category=category, region=region, cadre=cadres[0],
                                unit_name=unit.name, org=commission, officer=officer)  # fmt: skip
                        planted_here += 1
                planted += planted_here
        for cadre in cadres[: SANCTIONS.get(code, 0)]:
            sanction_create(
                cadre=cadre, user=leader, kind=SanctionKind.PARTY_WARNING, decided_on=today - dt.timedelta(days=90),
                decided_by="示范县纪委", document_number=f"示纪处〔{today.year}〕{cadre.pk}号", reason="违反廉洁纪律",
            )  # fmt: skip
        for n in range(FINDINGS.get(code, 0)):
            record_create(
                user=leader, cadre=None, unit=unit, kind=RecordKind.INSPECTION_FINDING,
                happened_on=today - dt.timedelta(days=150 + 10 * n), title=f"巡察发现问题（第 {n + 1} 项）尚未整改",
                is_resolved=False,
            )  # fmt: skip
    return planted


def load(stdout: TextIO) -> None:
    commission = Org.objects.filter(org_code=COMMISSION_CODE).first()
    leader = User.objects.filter(username="lingdao").first()
    officer = User.objects.filter(username="xinfang").first()
    if commission is None or leader is None or officer is None:
        return
    today = timezone.localdate()
    dossier_roles_grant()  # the registry's reads below are the leader's (as after the dossiers demo)
    if not RefreshRun.objects.filter(version=MARKER).exists():
        planted = _plant(commission, leader, officer, today)
        RefreshRun.objects.create(
            as_of=today, version=MARKER, started_at=timezone.now(), summary={"reports": planted}
        )
        stdout.write(f"廉情分析演示：埋设举报 {planted} 件\n")
    run = integrity_refresh(as_of=today)
    stdout.write(
        f"廉情分析演示：{run.summary.get('scores', 0)} 个指数，{run.summary.get('warnings', 0)} 条预警\n"
    )
