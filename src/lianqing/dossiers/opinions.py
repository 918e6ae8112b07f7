"""党风廉政意见回复: the organisation department asks about a list of cadres; 党风政风监督室 drafts a
reply per cadre from everything on file within the look-back window; a 领导 approves; the reply
prints as the commission's 回复函 and exports to .xlsx. Time limit in working days (admin)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.cases.deadlines import add_working_days, working_days_between
from lianqing.core.models import AuditAction, User
from lianqing.core.services import notification_send

from . import events
from .errors import DossierError
from .models import Cadre, OpinionItem, OpinionRequest, OpinionSettings, OpinionStatus, add_months

MAX_CADRES = 200


def opinion_settings() -> OpinionSettings:
    settings, _ = OpinionSettings.objects.get_or_create(pk=1)
    return settings


def window_start(request: OpinionRequest) -> dt.date:
    return add_months(request.received_on, -12 * request.lookback_years)


@transaction.atomic
def opinion_create(
    *,
    user: User,
    requester: str,
    purpose: str,
    lookback_years: int,
    received_on: dt.date,
    cadres: list[Cadre],
    letter_number: str = "",
) -> OpinionRequest:
    if user.org is None:
        raise DossierError(_("您的账号没有所属机构"))
    if not cadres:
        raise DossierError(_("请至少选择一名干部"))
    if len(cadres) > MAX_CADRES:
        raise DossierError(_("一次最多 %(count)s 名干部") % {"count": MAX_CADRES})
    if not 1 <= lookback_years <= 10:
        raise DossierError(_("回溯年限应为 1 至 10 年"))
    request = OpinionRequest.objects.create(
        requester=requester.strip(),
        letter_number=letter_number.strip(),
        purpose=purpose.strip(),
        lookback_years=lookback_years,
        received_on=received_on,
        due_on=add_working_days(received_on, opinion_settings().reply_days),
        org=user.org,
        created_by=user,
    )
    request.number = f"YJ{received_on.year}{request.pk:05d}"
    request.save(update_fields=["number"])
    OpinionItem.objects.bulk_create(
        OpinionItem(request=request, cadre=cadre, order=index) for index, cadre in enumerate(cadres)
    )
    events.opinion_event(user=user, obj=request, what="create", action=AuditAction.CREATE)
    return request


def _locked(request: OpinionRequest, *expected: str) -> OpinionRequest:
    locked = OpinionRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status not in expected:
        raise DossierError(_("该意见回复当前状态不允许此操作"))
    return locked


@transaction.atomic
def opinion_item_draft(*, item: OpinionItem, user: User, conclusion: str, text: str) -> OpinionItem:
    _locked(item.request, OpinionStatus.DRAFTING)
    item.conclusion, item.text = conclusion, text.strip()
    item.save(update_fields=["conclusion", "text"])
    events.opinion_event(user=user, obj=item.request, what=f"draft {item.cadre_id}: {conclusion}")
    return item


@transaction.atomic
def opinion_submit(*, request: OpinionRequest, user: User) -> OpinionRequest:
    request = _locked(request, OpinionStatus.DRAFTING)
    if request.items.filter(conclusion="").exists():
        raise DossierError(_("还有干部没有拟写回复意见"))
    request.status = OpinionStatus.SUBMITTED
    request.save(update_fields=["status"])
    events.opinion_event(user=user, obj=request, what="submit", action=AuditAction.TRANSITION)
    return request


@transaction.atomic
def opinion_decide(*, request: OpinionRequest, user: User, approve: bool) -> OpinionRequest:
    """A 领导 approves the reply, or sends it back to drafting."""
    request = _locked(request, OpinionStatus.SUBMITTED)
    if approve:
        request.status, request.approved_by, request.approved_at = (
            OpinionStatus.APPROVED,
            user,
            timezone.now(),
        )
    else:
        request.status = OpinionStatus.DRAFTING
    request.save(update_fields=["status", "approved_by", "approved_at"])
    events.opinion_event(
        user=user, obj=request, what="approve" if approve else "return", action=AuditAction.TRANSITION
    )
    return request


def opinion_reminders_send(*, today: dt.date | None = None) -> int:
    """Due-soon and overdue notices to whoever registered an unanswered request (deduplicated)."""
    today = today or timezone.localdate()
    soon = opinion_settings().due_soon_days
    sent = 0
    open_requests = OpinionRequest.objects.exclude(status=OpinionStatus.APPROVED).select_related("created_by")
    for request in open_requests:
        if request.created_by is None:
            continue
        if today > request.due_on:
            title, key = f"已超期：党风廉政意见回复 {request.number}", f"opinion-overdue-{request.pk}"
        elif working_days_between(today, request.due_on) <= soon:
            title, key = (
                f"临期：党风廉政意见回复 {request.number} 应于 {request.due_on:%Y-%m-%d} 前回复",
                f"opinion-soon-{request.pk}",
            )
        else:
            continue
        link = reverse("dossiers:opinion_detail", args=[request.pk])
        sent += notification_send(recipient=request.created_by, title=title, link=link, dedupe_key=key)
    return sent
