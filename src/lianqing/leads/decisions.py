"""Decisions on hits: 排除 with a reason, or 转为问题线索 (a case with the evidence and the people)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.cases.errors import CaseError
from lianqing.cases.models import Case, Kind, Source
from lianqing.cases.services import case_attachment_add, case_register
from lianqing.core.models import Org, OrgKind, User
from lianqing.leads import events
from lianqing.leads.categories import rule_category
from lianqing.leads.errors import LeadsError
from lianqing.leads.evidence import DatasetRecords, hit_people, hit_records
from lianqing.leads.export import hit_evidence_xlsx
from lianqing.leads.models import Hit, HitStatus
from lianqing.leads.tally import tally_move

MAX_REASON = 2000
MAX_CASE_RECORDS = 50


def _locked_pending(hit: Hit) -> Hit:
    locked = Hit.objects.select_for_update(of=("self",)).select_related("run__package", "org").get(pk=hit.pk)
    if locked.status != HitStatus.PENDING:
        raise LeadsError(
            _("该疑点已%(get_status_display)s，不能再处理")
            % {"get_status_display": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def hit_exclude(*, hit: Hit, user: User, reason: str) -> Hit:
    """排除: the hit was checked and is not a problem. The reason is required."""
    reason = reason.strip()
    if not reason:
        raise LeadsError(_("请填写排除理由"))
    if len(reason) > MAX_REASON:
        raise LeadsError(_("排除理由不能超过 %(MAX_REASON)s 字") % {"MAX_REASON": MAX_REASON})
    locked = _locked_pending(hit)
    tally_move(locked, to_status=HitStatus.EXCLUDED)
    Hit.objects.filter(pk=locked.pk).update(
        status=HitStatus.EXCLUDED, decision_reason=reason, decided_by=user, decided_at=timezone.now()
    )
    locked.refresh_from_db()
    events.hit_decided_event(hit=locked, user=user, details={"reason": reason})
    return locked


def _case_org(org: Org) -> Org:
    """The commission that takes the lead: the hit org's own commission (or the org itself)."""
    node: Org | None = org
    while node is not None and node.kind == OrgKind.DEPARTMENT:
        node = node.parent
    return node or org


def _case_details(hit: Hit, records: list[DatasetRecords]) -> dict[str, Any]:
    return {
        "leads_hit_id": hit.pk,
        "evidence_url": reverse("leads:hit_detail", args=[hit.pk]),
        "rule_id": hit.rule_id,
        "rule_name": hit.rule_name,
        "severity": hit.severity,
        "subject_id": hit.subject_id,
        "subject_name": hit.subject_name,
        "amount": f"{hit.amount:.2f}" if hit.amount is not None else "",
        "explanation": hit.explanation,
        "record_ids": hit.record_keys,
        "package": hit.run.package.name,
        "scan_run_id": hit.run_id,
        "records": {group.name: group.rows[:MAX_CASE_RECORDS] for group in records},
    }


def _lead_register(locked: Hit, records: list[DatasetRecords], user: User) -> Case:
    people = hit_people(locked)
    case = case_register(
        kind=Kind.LEAD,
        source=Source.DATA_SCAN,
        category=rule_category(locked.rule_id),
        summary=f"【{locked.rule_id} {locked.rule_name}】{locked.explanation}",
        region_code=locked.region_code,
        org=_case_org(locked.org),
        received_at=timezone.now(),
        reported_persons=people,
        created_by=user,
        details=_case_details(locked, records),
    )
    case_attachment_add(
        case=case,
        by=user,
        uploaded=ContentFile(
            hit_evidence_xlsx(locked, records), name=f"疑点证据_{locked.rule_id}_{locked.pk}.xlsx"
        ),
    )
    return case


@transaction.atomic
def hit_convert(*, hit: Hit, user: User) -> Case:
    """转为问题线索: register a 问题线索 from 数据碰撞 with the evidence and the people, and link it."""
    locked = _locked_pending(hit)
    records = hit_records(locked)
    try:
        case = _lead_register(locked, records, user)
    except CaseError as error:
        raise LeadsError(str(error)) from error
    tally_move(locked, to_status=HitStatus.CONVERTED)
    Hit.objects.filter(pk=locked.pk).update(
        status=HitStatus.CONVERTED, case=case, decided_by=user, decided_at=timezone.now()
    )
    locked.refresh_from_db()
    events.hit_decided_event(hit=locked, user=user, details={"case_id": case.pk})
    return case
