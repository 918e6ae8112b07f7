"""The demo district: an org tree of a county commission and staff accounts of every role.

The one place for the demo's place: the district (REGION, DISTRICT_NAME), its commission and
townships. The intake, cases and leads demos read these (the leads demo generates its data
package for this district), so every demo screen is about the same 示范县.

Idempotent: running it again updates what is there and creates nothing twice. Other apps
add their own demo data in a `demo.py` module with a `load(stdout)` function.
"""

from __future__ import annotations

from typing import TextIO

from lianqing.core.models import Clearance, Org, OrgKind
from lianqing.core.roles import Role
from lianqing.core.services import org_upsert, user_upsert

DEMO_PASSWORD = "Lianqing-demo-2026"  # noqa: S105  (printed for the demo on purpose)
REGION = "370124"
DISTRICT_NAME = "示范县"
COMMISSION_CODE = "JW370124"

DEPARTMENTS = [
    ("JW370124-XF", "信访室"),
    ("JW370124-AG", "案件监督管理室"),
    ("JW370124-JC1", "第一监督检查室"),
    ("JW370124-JC2", "第二监督检查室"),
    ("JW370124-SC1", "第一审查调查室"),
    ("JW370124-SL", "案件审理室"),
    ("JW370124-XX", "信息技术保障室"),
]
TOWNSHIPS = [
    ("JW370124001", "城关街道纪工委", "370124001"),
    ("JW370124100", "东阿镇纪委", "370124100"),
    ("JW370124101", "孝直镇纪委", "370124101"),
]
STATIONED = [
    ("JW370124-PZ-JY", "派驻县教育局纪检监察组"),
    ("JW370124-PZ-MZ", "派驻县民政局纪检监察组"),
]

# username, full name, org code, roles, clearance
DEMO_USERS: list[tuple[str, str, str, tuple[Role, ...], Clearance]] = [
    # 三员分立: three accounts, no superuser (production refuses one; the demo does not need one).
    ("admin", "系统管理员", COMMISSION_CODE, (Role.ADMIN,), Clearance.ORDINARY),
    ("anquan", "安全保密管理员", COMMISSION_CODE, (Role.SECURITY_ADMIN,), Clearance.ORDINARY),
    ("shenji", "安全审计员", COMMISSION_CODE, (Role.AUDITOR,), Clearance.ORDINARY),
    ("lingdao", "王书记", COMMISSION_CODE, (Role.LEADER,), Clearance.CONFIDENTIAL),
    ("xinfang", "李信访", "JW370124-XF", (Role.PETITION,), Clearance.SECRET),
    ("anguan", "赵案管", "JW370124-AG", (Role.CASE_MANAGEMENT,), Clearance.SECRET),
    ("jiancha", "钱监督", "JW370124-JC1", (Role.SUPERVISION,), Clearance.SECRET),
    ("shencha", "孙审查", "JW370124-SC1", (Role.INVESTIGATION,), Clearance.CONFIDENTIAL),
    ("shenli", "周审理", "JW370124-SL", (Role.TRIAL,), Clearance.SECRET),
    ("shuju", "吴数据", "JW370124-XX", (Role.DATA_ANALYSIS,), Clearance.SECRET),
    ("chengguan", "郑纪工委", "JW370124001", (Role.PETITION, Role.SUPERVISION), Clearance.ORDINARY),
    ("donge", "冯纪委", "JW370124100", (Role.PETITION, Role.SUPERVISION), Clearance.ORDINARY),
]


def load(stdout: TextIO) -> None:
    commission = org_upsert(
        org_code=COMMISSION_CODE, name=f"{DISTRICT_NAME}纪委监委", kind=OrgKind.COMMISSION, region_code=REGION
    )
    for code, name in DEPARTMENTS:
        org_upsert(org_code=code, name=name, kind=OrgKind.DEPARTMENT, parent=commission, region_code=REGION)
    for code, name, region in TOWNSHIPS:
        org_upsert(org_code=code, name=name, kind=OrgKind.TOWNSHIP, parent=commission, region_code=region)
    for code, name in STATIONED:
        org_upsert(org_code=code, name=name, kind=OrgKind.STATIONED, parent=commission, region_code=REGION)
    orgs = {org.org_code: org for org in Org.objects.all()}
    for username, full_name, org_code, roles, clearance in DEMO_USERS:
        user_upsert(
            username=username,
            password=DEMO_PASSWORD,
            org=orgs[org_code],
            roles=roles,
            full_name=full_name,
            clearance=clearance,
        )
    stdout.write(f"演示辖区：{commission.name}，{Org.objects.count()} 个机构，{len(DEMO_USERS)} 个演示账号\n")


def logins_table() -> str:
    lines = [f"演示账号（密码均为 {DEMO_PASSWORD}）:"]
    for username, full_name, org_code, roles, _ in DEMO_USERS:
        lines.append(f"  {username:<10} {full_name:<6} {'、'.join(str(r) for r in roles):<12} {org_code}")
    return "\n".join(lines)
