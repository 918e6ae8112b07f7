"""Every staff URL of dossiers in one authorization matrix: anonymous, another jurisdiction (the
same role at a township's 纪委), a wrong role (信访), the right role (a 领导 of the commission);
a denied request changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lianqing.core.models import AuditAction, AuditEvent
from lianqing.core.roles import Role
from lianqing.dossiers.models import (
    MentionLink,
    OpinionItem,
    OpinionRequest,
    Record,
    RegistryImport,
    Sanction,
)
from lianqing.dossiers.opinions import opinion_create, opinion_decide, opinion_item_draft, opinion_submit
from lianqing.dossiers.services import case_links_suggest
from tests.cases.factories import register_case
from tests.leads.conftest import data_dir, owner, scanned

__all__ = ["data_dir", "owner", "scanned"]  # fixtures of the leads tests, for a registered package

RECORD = {"kind": "talk", "happened_on": "2025-03-01", "title": "谈话提醒"}
SANCTION = {"kind": "party_warning", "decided_on": "2025-03-01", "reason": "违规吃喝"}
# url name -> (method, what it is about, POST data, {who: status}); anonymous is always 302
STAFF_URLS: dict[str, tuple[str, str, dict[str, str], dict[str, int]]] = {
    "dossiers:search": ("GET", "", {}, {"other": 200, "wrong": 404, "right": 200}),
    "dossiers:cadre_detail": ("POST", "cadre", {"reason": "考察前核查"}, {"other": 404, "wrong": 404, "right": 302}),
    "dossiers:sanction_add": ("POST", "cadre", SANCTION, {"other": 404, "wrong": 404, "right": 302}),
    "dossiers:cadre_record_add": ("POST", "cadre", RECORD, {"other": 404, "wrong": 404, "right": 302}),
    "dossiers:unit_detail": ("POST", "unit", {"reason": "日常监督"}, {"other": 404, "wrong": 404, "right": 302}),
    "dossiers:unit_record_add": ("POST", "unit", RECORD, {"other": 404, "wrong": 404, "right": 302}),
    "dossiers:import_detail": ("GET", "import", {}, {"other": 404, "wrong": 404, "right": 200}),
    "dossiers:registry_import": ("POST", "package", {}, {"other": 404, "wrong": 404, "right": 302}),
    "dossiers:case_links": ("GET", "case", {}, {"other": 404, "wrong": 200, "right": 200}),
    "dossiers:link_decide": ("POST", "link", {"decision": "reject"}, {"other": 404, "wrong": 302, "right": 302}),
    "dossiers:opinion_list": ("GET", "", {}, {"other": 200, "wrong": 404, "right": 200}),
    "dossiers:opinion_create": ("GET", "", {}, {"other": 200, "wrong": 404, "right": 200}),
    "dossiers:opinion_detail": ("GET", "draft", {}, {"other": 404, "wrong": 404, "right": 200}),
    "dossiers:opinion_item_save": ("POST", "item", {}, {"other": 404, "wrong": 404, "right": 302}),
    "dossiers:opinion_print": ("GET", "approved", {}, {"other": 404, "wrong": 404, "right": 200}),
    "dossiers:opinion_export": ("GET", "approved", {}, {"other": 404, "wrong": 404, "right": 200}),
    "dossiers:opinion_act": ("POST", "submit", {}, {"other": 404, "wrong": 404, "right": 302}),
}  # fmt: skip
WHO = {"anonymous": "", "other": "other-jurisdiction", "wrong": "wrong-role", "right": "right-role"}


@pytest.fixture
def world(registry, org_tree, make_user, scanned):
    leader = make_user(Role.LEADER, org=org_tree.commission, username="lingdao")
    drafter = make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="dangfeng")
    people = {
        "right": leader,
        "other": make_user(Role.LEADER, org=org_tree.township_b, username="town_leader"),
        "wrong": make_user(Role.PETITION, org=org_tree.petition_office, username="xinfang"),
    }
    case = register_case(
        org_tree.commission, persons=[{"name": "汪局长", "org_name": "卫健局", "position": ""}]
    )
    case_links_suggest(case_id=case.pk)

    def opinion() -> OpinionRequest:
        return opinion_create(
            user=drafter, requester="县委组织部", purpose="拟提拔", lookback_years=3,
            received_on=dt.date(2025, 6, 2), cadres=[registry.wang],
        )  # fmt: skip

    draft, approved = opinion(), opinion()
    item = approved.items.get()
    opinion_item_draft(item=item, user=drafter, conclusion="no_problem", text="")
    opinion_submit(request=approved, user=drafter)
    opinion_decide(request=approved, user=leader, approve=True)
    draft_item = draft.items.get()
    run = RegistryImport.objects.create(package_id=scanned[0].pk, package_name="jan", org=org_tree.commission)
    objects = {
        "cadre": [registry.wang.pk],
        "unit": [registry.health.pk],
        "import": [run.pk],
        "package": [scanned[0].pk],
        "case": [case.pk],
        "link": [MentionLink.objects.get(case_id=case.pk).pk],
        "draft": [draft.pk],
        "item": [draft.pk, draft_item.pk],
        "approved": [approved.pk],
        "submit": [draft.pk, "submit"],
    }
    return people, objects, draft_item


def _footprint() -> tuple[object, ...]:
    return (
        Record.objects.count(),
        Sanction.objects.count(),
        RegistryImport.objects.count(),
        sorted(MentionLink.objects.values_list("pk", "status")),
        sorted(OpinionRequest.objects.values_list("pk", "status")),
        sorted(OpinionItem.objects.values_list("pk", "conclusion")),
        AuditEvent.objects.filter(action__in=[AuditAction.VIEW, AuditAction.EXPORT]).count(),
    )


@pytest.mark.parametrize("who", list(WHO))
def test_every_dossiers_staff_url_for_every_kind_of_user(world, client_for, who):
    people, objects, draft_item = world
    failures = []
    for name, (method, about, data, expected) in STAFF_URLS.items():
        http = Client() if who == "anonymous" else client_for(people[who])
        if name == "dossiers:opinion_item_save":
            data = {f"i{draft_item.pk}-conclusion": "no_problem"}
        before = _footprint()
        url = reverse(name, args=objects[about] if about else [])
        status = (http.get(url) if method == "GET" else http.post(url, data)).status_code
        wanted = 302 if who == "anonymous" else expected[who]
        if status != wanted:
            failures.append(f"{who} {method} {name}: {status}, expected {wanted}")
        denied = who == "anonymous" or wanted in {403, 404}
        if denied and _footprint() != before:
            failures.append(f"{who} {method} {name}: a denied request changed something")
    assert failures == []
