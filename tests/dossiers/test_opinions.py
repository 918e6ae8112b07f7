"""党风廉政意见回复: request, per-cadre record in the window with highlights, draft, approve,
print, export; time limit and reminders; access and audit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqing.core.models import AuditAction, AuditEvent, Notification
from lianqing.core.roles import Role
from lianqing.dossiers.errors import DossierError
from lianqing.dossiers.models import OpinionRequest, OpinionSettings, OpinionStatus, RecordKind, SanctionKind
from lianqing.dossiers.opinions import opinion_create, opinion_reminders_send
from lianqing.dossiers.services import record_create, sanction_create
from tests.conftest import verified_client


@pytest.fixture
def people(org_tree, make_user):  # type: ignore[no-untyped-def]
    return {
        "drafter": make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="dangfeng"),
        "leader": make_user(Role.LEADER, org=org_tree.commission, username="lingdao"),
    }


def _create(client: Client, names: str) -> OpinionRequest | None:
    client.post(
        reverse("dossiers:opinion_create"),
        {
            "requester": "县委组织部",
            "letter_number": "组函〔2025〕12号",
            "purpose": "拟提拔使用",
            "lookback_years": "3",
            "received_on": "2025-06-02",
            "cadres": names,
        },
    )
    return OpinionRequest.objects.first()


def test_request_drafted_approved_printed_and_exported(registry, org_tree, people):
    sanction_create(
        cadre=registry.liu, user=people["leader"], kind=SanctionKind.GOV_MAJOR_DEMERIT,
        decided_on=dt.date.today() - dt.timedelta(days=30), reason="违规发放津补贴",
    )  # fmt: skip
    record_create(
        user=people["leader"], cadre=registry.wang, unit=None, kind=RecordKind.TALK,
        happened_on=dt.date(2018, 1, 1), title="很早以前的谈话",
    )  # fmt: skip
    drafter = verified_client(people["drafter"])
    opinion = _create(drafter, "王建国\n刘芳")
    assert opinion is not None
    assert opinion.items.count() == 2
    assert opinion.due_on == dt.date(2025, 6, 16)  # 10 working days (端午节 2025-05-31..06-02)
    page = drafter.get(reverse("dossiers:opinion_detail", args=[opinion.pk])).content.decode()
    assert "1 项处分或组织处理仍在影响期内" in page  # 刘芳's 记大过, 18 months from a month ago
    assert "很早以前的谈话" not in page  # before the 3-year window
    items = list(opinion.items.order_by("order"))
    for item, conclusion in zip(items, ["no_problem", "postpone"], strict=True):
        drafter.post(
            reverse("dossiers:opinion_item_save", args=[opinion.pk, item.pk]),
            {
                f"i{item.pk}-conclusion": conclusion,
                f"i{item.pk}-text": "处分影响期内" if conclusion == "postpone" else "",
            },
        )
    drafter.post(reverse("dossiers:opinion_act", args=[opinion.pk, "submit"]))
    # the drafter cannot approve
    drafter.post(reverse("dossiers:opinion_act", args=[opinion.pk, "approve"]))
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.SUBMITTED
    leader = verified_client(people["leader"])
    leader.post(reverse("dossiers:opinion_act", args=[opinion.pk, "approve"]))
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.APPROVED
    assert opinion.approved_by == people["leader"]
    printed = leader.get(reverse("dossiers:opinion_print", args=[opinion.pk])).content.decode()
    assert "关于征求党风廉政意见的回复" in printed
    assert "组函〔2025〕12号" in printed
    assert "暂缓" in printed
    export = leader.get(reverse("dossiers:opinion_export", args=[opinion.pk]))
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[2][1:5] == ("王建国", "县卫生健康局", "局长", "未发现问题")
    assert rows[3][4] == "暂缓"
    looks = AuditEvent.objects.filter(object_type="dossiers.opinionrequest")
    assert {e.action for e in looks} >= {AuditAction.VIEW, AuditAction.EXPORT, AuditAction.TRANSITION}


def test_a_name_the_registry_has_twice_or_not_at_all_is_named(registry, org_tree, people):
    from tests.dossiers.factories import cadre_in_post

    cadre_in_post(org=org_tree.commission, name="刘芳", unit=registry.health, position="科员", serial=31)
    response = verified_client(people["drafter"]).post(
        reverse("dossiers:opinion_create"),
        {"requester": "县委组织部", "purpose": "拟提拔", "lookback_years": "5", "received_on": "2025-06-02",
         "cadres": "刘芳\n张无名"},
    )  # fmt: skip
    page = response.content.decode()
    assert "第 1 行「刘芳」：有同名干部" in page
    assert "第 2 行「张无名」：名册中没有此人" in page
    assert not OpinionRequest.objects.exists()


def test_submit_needs_every_reply_and_print_needs_approval(registry, org_tree, people):
    opinion = opinion_create(
        user=people["drafter"], requester="县委组织部", purpose="拟提拔", lookback_years=3,
        received_on=dt.date(2025, 6, 2), cadres=[registry.wang],
    )  # fmt: skip
    client = verified_client(people["drafter"])
    client.post(reverse("dossiers:opinion_act", args=[opinion.pk, "submit"]))
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.DRAFTING
    assert client.get(reverse("dossiers:opinion_print", args=[opinion.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "org_name"),
    [
        (Role.PETITION, "petition_office"),
        (Role.CASE_MANAGEMENT, "case_office"),
        (Role.SUPERVISION, "township_b"),
    ],
    ids=["petition", "case-management", "other-jurisdiction"],
)
def test_others_cannot_see_or_act_on_a_request(registry, org_tree, people, make_user, role, org_name):
    opinion = opinion_create(
        user=people["drafter"], requester="县委组织部", purpose="拟提拔", lookback_years=3,
        received_on=dt.date(2025, 6, 2), cadres=[registry.wang],
    )  # fmt: skip
    client = verified_client(make_user(role, org=getattr(org_tree, org_name)))
    assert client.get(reverse("dossiers:opinion_detail", args=[opinion.pk])).status_code == 404
    item = opinion.items.get()
    client.post(
        reverse("dossiers:opinion_item_save", args=[opinion.pk, item.pk]),
        {f"i{item.pk}-conclusion": "no_problem"},
    )
    item.refresh_from_db()
    assert item.conclusion == ""
    assert Client().get(reverse("dossiers:opinion_list")).status_code == 302


def test_time_limit_from_the_admin_and_reminders_once(registry, org_tree, people):
    OpinionSettings.objects.update_or_create(pk=1, defaults={"reply_days": 5, "due_soon_days": 2})
    opinion = opinion_create(
        user=people["drafter"], requester="县委组织部", purpose="拟提拔", lookback_years=3,
        received_on=dt.date(2025, 6, 2), cadres=[registry.wang],
    )  # fmt: skip
    assert opinion.due_on == dt.date(2025, 6, 9)
    assert opinion_reminders_send(today=dt.date(2025, 6, 3)) == 0
    assert opinion_reminders_send(today=dt.date(2025, 6, 5)) == 1
    assert opinion_reminders_send(today=dt.date(2025, 6, 6)) == 0  # deduplicated
    assert opinion_reminders_send(today=dt.date(2025, 6, 10)) == 1
    titles = list(Notification.objects.filter(recipient=people["drafter"]).values_list("title", flat=True))
    assert any(t.startswith("已超期") for t in titles)
    assert any(t.startswith("临期") for t in titles)


def test_bad_requests_are_refused_with_a_message(registry, people):
    with pytest.raises(DossierError, match="至少选择一名干部"):
        opinion_create(user=people["drafter"], requester="组织部", purpose="提拔", lookback_years=3,
                       received_on=dt.date(2025, 6, 2), cadres=[])  # fmt: skip
