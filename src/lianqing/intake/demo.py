"""Demo data of the intake app: the recipients' own keys (with a printed demo passphrase) and
two reports.

Idempotent: keys are made once; the sample reports are added only when there are none.
"""

from __future__ import annotations

from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile

from lianqing.core.demo import REGION
from lianqing.core.models import User
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.models import Report
from lianqing.intake.recipients import live_key, staff_key_create
from lianqing.intake.services import ReportDraft, ReporterIdentity, report_submit

DEMO_PASSPHRASE = "lianqing-demo-passphrase-2026"  # noqa: S105 (printed by the demo on purpose)
DEMO_RECIPIENTS = ("xinfang", "lingdao")  # the 信访室 and the 领导 of the receiving commission


def _demo_image() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 60)).save(out, format="JPEG")
    return out.getvalue()


def _submit(draft: ReportDraft, uploads: list[SimpleUploadedFile]) -> str:
    challenge = challenge_issue()
    result = report_submit(
        draft=draft,
        uploads=uploads,
        token=challenge.token,
        proof=proof_solve(challenge.token, challenge.bits),
        client="demo",
    )
    return result.receipt_code


def load(stdout: TextIO) -> None:
    for user in User.objects.filter(username__in=DEMO_RECIPIENTS):
        if live_key(user) is None:
            staff_key_create(user=user, passphrase=DEMO_PASSPHRASE)
    stdout.write(
        f"网络举报接收人 {'、'.join(DEMO_RECIPIENTS)} 的个人解密口令（演示）：{DEMO_PASSPHRASE}\n"
        "  其他接收人（信访、领导）首次使用时在 /staff/reports/my-key/ 设置自己的口令，"
        "再由已是接收人的同事在同一页面为其授权已有举报。\n"
        "  查看实名举报人身份：在举报页面写明理由申请，由另一位领导在 /staff/reports/identity-requests/ 审批。\n"
    )
    if Report.objects.exists():
        return
    anonymous = _submit(
        ReportDraft(
            category="sifeng_dining",
            region_code=REGION,
            description="某镇政府办公室主任上周五晚在县城某酒店用公款宴请，约十二人，饮用高档白酒。",
            persons=[{"name": "张某某", "org_name": "东阿镇人民政府", "position": "办公室主任"}],
        ),
        [SimpleUploadedFile("发票.jpg", _demo_image(), content_type="image/jpeg")],
    )
    named = _submit(
        ReportDraft(
            category="public_interest",
            region_code=REGION,
            description="村里的低保名额给了村干部的亲属，真正困难的几户没有评上，希望组织上查一查。",
            persons=[{"name": "李某某", "org_name": "孝直镇某村村委会", "position": "村委会主任"}],
            identity=ReporterIdentity(name="王演示", id_number="11010519491231002X", phone="13800000000"),
        ),
        [],
    )
    stdout.write(f"演示举报回执码：{anonymous}（匿名）、{named}（实名）\n")
