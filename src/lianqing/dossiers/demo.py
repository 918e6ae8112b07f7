"""Demo data of the registry: the demo package's officials, a few cadres of the demo district with
sanctions, talks and findings, and an online report naming "汪局长 卫健局" for the resolver.

Idempotent: the package is taken into the registry once; the hand-made rows are upserted; the
report is submitted once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

from django.utils import timezone

from lianqing.cases.access import commission_of
from lianqing.cases.models import Case
from lianqing.core.models import Org, User
from lianqing.leads.demo import DEMO_NAME
from lianqing.leads.models import DataPackage

from .models import Cadre, Record, RecordKind, RegistryImport, Sanction, SanctionKind, Unit
from .registry_import import registry_import_run
from .services import cadre_upsert, case_links_suggest, dossier_roles_grant, record_create, sanction_create

SOURCE = "演示数据"
# unit code, name; person_id, name, position, start date
UNITS = [
    ("DEMO-WJ", "县卫生健康局"),
    ("DEMO-MZ", "县民政局"),
    ("DEMO-DE", "东阿镇人民政府"),
    ("DEMO-CZ", "县财政局"),
    ("DEMO-JY", "县教育和体育局"),
    ("DEMO-ZJ", "县住房和城乡建设局"),
    ("DEMO-NY", "县农业农村局"),
    ("DEMO-XZ", "孝直镇人民政府"),
]
STAFF_PER_UNIT = 30
STAFF_POSITIONS = ["局长", "副局长", "副局长", "科长", "办公室主任", "副科长"]  # then 科员
CADRES = [
    ("37012419720315001X", "王建华", "DEMO-WJ", "局长", dt.date(2021, 3, 1)),
    ("370124197811020024", "刘晓梅", "DEMO-MZ", "副局长", dt.date(2019, 6, 1)),
    ("370124198005060034", "张立新", "DEMO-DE", "办公室主任", dt.date(2020, 9, 1)),
]
REPORT_TEXT = "反映县卫健局汪局长在医疗设备采购中指定供应商，并多次接受供应商宴请。"


def _registry_from_package(commission: Org, stdout: TextIO) -> None:
    package = DataPackage.objects.filter(name=DEMO_NAME).first()
    if package is None or RegistryImport.objects.filter(package_id=package.pk, status="done").exists():
        return
    run = RegistryImport.objects.create(package_id=package.pk, package_name=package.name, org=commission)
    run = registry_import_run(run=run, folder=Path(package.path), as_of=package.as_of)
    stdout.write(f"廉政档案演示：从「{package.name}」导入干部 {run.counts.get('cadres_created', 0)} 人\n")


def _district_staff(commission: Org, units: dict[str, Unit]) -> None:
    """Thirty people a unit, so the demo registry has the size and shape of a county's: the
    resolver weighs names and titles by how common they are. Names from Faker zh_CN, seeded."""
    if Cadre.objects.filter(posts__source=SOURCE).count() > len(CADRES):
        return
    from faker import Faker
    from stdnum.cn import ric

    fake = Faker("zh_CN")
    fake.seed_instance(20251201)
    for u, (code, name) in enumerate(UNITS):
        town = name.endswith("镇人民政府")
        for j in range(1, STAFF_PER_UNIT):
            position = STAFF_POSITIONS[j] if j < len(STAFF_POSITIONS) else "科员"
            if town:
                position = position.replace("局长", "镇长")
            body = f"370124{1965 + (u * 7 + j) % 30}{1 + j % 12:02d}{1 + (u + j) % 28:02d}{u}{j:02d}"
            person_id = body + ric.calc_check_digit(body + "0")
            full_name = fake.name()
            while full_name[0] in "王汪":  # the demo's 汪局长 is meant to be 王建华 alone
                full_name = fake.name()
            cadre_upsert(
                org=commission, person_id=person_id, name=full_name, unit=units[code], position=position,
                start_date=dt.date(2015 + j % 9, 1 + j % 12, 1), source=SOURCE,
            )  # fmt: skip


def _hand_made(commission: Org, leader: User | None) -> list[Cadre]:
    units = {
        code: Unit.objects.update_or_create(code=code, defaults={"name": name, "org": commission})[0]
        for code, name in UNITS
    }
    _district_staff(commission, units)
    cadres = [
        cadre_upsert(
            org=commission,
            person_id=pid,
            name=name,
            unit=units[code],
            position=pos,
            start_date=start,
            source=SOURCE,
        )
        for pid, name, code, pos, start in CADRES
    ]
    if leader is not None and not Sanction.objects.filter(cadre__in=cadres).exists():
        today = timezone.localdate()
        sanction_create(
            cadre=cadres[1], user=leader, kind=SanctionKind.GOV_DEMERIT, decided_on=today - dt.timedelta(days=120),
            decided_by="示范县监委", document_number="示监处〔2025〕3号", reason="违规发放津补贴",
        )  # fmt: skip
        record_create(
            user=leader, cadre=cadres[2], unit=None, kind=RecordKind.TALK, happened_on=today - dt.timedelta(days=60),
            title="谈话提醒：工作日中午饮酒", result="已作检讨",
        )  # fmt: skip
        record_create(
            user=leader, cadre=cadres[0], unit=units["DEMO-WJ"], kind=RecordKind.ASSESSMENT,
            happened_on=dt.date(today.year - 1, 12, 31), title=f"{today.year - 1} 年度考核", result="称职",
        )  # fmt: skip
        record_create(
            user=leader, cadre=None, unit=units["DEMO-WJ"], kind=RecordKind.INSPECTION_FINDING,
            happened_on=today - dt.timedelta(days=200), title="巡察发现：医疗设备采购论证不充分", is_resolved=False,
        )  # fmt: skip
    return cadres


def _report_naming_wang(stdout: TextIO) -> None:
    from lianqing.intake.demo import _submit
    from lianqing.intake.services import ReportDraft

    if Case.objects.filter(summary=REPORT_TEXT).exists():
        return
    receipt = _submit(
        ReportDraft(
            category="bribery",
            region_code="370124",
            description=REPORT_TEXT,
            persons=[{"name": "汪局长", "org_name": "卫健局", "position": ""}],
        ),
        [],
    )
    stdout.write(f"廉政档案演示：举报「汪局长 卫健局」回执码 {receipt}\n")


def load(stdout: TextIO) -> None:
    dossier_roles_grant()
    commission = Org.objects.filter(org_code="JW370124").first()
    if commission is None:
        return
    commission = commission_of(commission)
    _registry_from_package(commission, stdout)
    _hand_made(commission, User.objects.filter(username="lingdao").first())
    _report_naming_wang(stdout)
    for case_id in (
        Case.objects.filter(reported_persons__isnull=False).values_list("pk", flat=True).distinct()
    ):
        case_links_suggest(case_id=case_id)
    stdout.write(f"廉政档案演示：{Cadre.objects.count()} 名干部，{Record.objects.count()} 条记录\n")
