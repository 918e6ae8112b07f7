"""Cadre and unit files: who may open which (authorization matrix), the typed reason, the audit,
and every information category on one page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lianqing.cases.models import Kind
from lianqing.core.models import AuditAction, AuditEvent
from lianqing.core.roles import Role
from lianqing.dossiers.models import Record, RecordKind, Sanction, SanctionKind
from lianqing.dossiers.services import case_links_suggest, mention_link_decide, record_create, sanction_create
from tests.cases.factories import register_case
from tests.conftest import verified_client


def _views() -> int:
    return AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="dossiers.cadre").count()


@pytest.mark.parametrize(
    ("role", "org_name", "expected"),
    [
        pytest.param(None, "", 302, id="anonymous"),
        pytest.param(Role.PETITION, "petition_office", 404, id="wrong-role"),
        pytest.param(Role.DATA_ANALYSIS, "case_office", 404, id="data-analyst"),
        pytest.param(Role.SUPERVISION, "township_b", 404, id="other-jurisdiction"),
        pytest.param(Role.SUPERVISION, "supervision_office", 200, id="supervision-of-the-commission"),
        pytest.param(Role.LEADER, "commission", 200, id="leader"),
    ],
)
def test_cadre_file_authorization_matrix(registry, org_tree, make_user, role, org_name, expected):
    client = Client() if role is None else verified_client(make_user(role, org=getattr(org_tree, org_name)))
    url = reverse("dossiers:cadre_detail", args=[registry.wang.pk])
    response = client.post(url, {"reason": "拟提拔考察前核查"})
    assert response.status_code == (302 if expected == 200 else expected)
    if expected == 200:
        assert client.get(url).status_code == 200
        assert _views() == 1
    else:
        assert _views() == 0  # denied: nothing opened, nothing audited


def test_missing_and_forbidden_files_look_the_same(registry, org_tree, make_user):
    client = verified_client(make_user(Role.SUPERVISION, org=org_tree.township_b))
    forbidden = client.get(reverse("dossiers:cadre_detail", args=[registry.wang.pk]))
    missing = client.get(reverse("dossiers:cadre_detail", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404


def test_township_supervisor_opens_only_the_township_file(registry, org_tree, make_user):
    client = verified_client(make_user(Role.SUPERVISION, org=org_tree.township_a))
    client.post(reverse("dossiers:cadre_detail", args=[registry.town_cadre.pk]), {"reason": "日常监督查阅"})
    assert client.get(reverse("dossiers:cadre_detail", args=[registry.town_cadre.pk])).status_code == 200
    assert client.get(reverse("dossiers:cadre_detail", args=[registry.wang.pk])).status_code == 404
    search = client.get(reverse("dossiers:search"), {"q": ""}).content.decode()
    assert "陈立" in search
    assert "王建国" not in search


def test_the_file_asks_for_a_reason_first_and_remembers_it_for_the_session(registry, org_tree, make_user):
    client = verified_client(make_user(Role.LEADER, org=org_tree.commission))
    url = reverse("dossiers:cadre_detail", args=[registry.wang.pk])
    first = client.get(url).content.decode()
    assert 'id="reason-form"' in first
    assert "局长" not in first
    assert _views() == 0
    assert "至少" in client.post(url, {"reason": "查"}).content.decode()  # too short: asked again
    client.post(url, {"reason": "拟提拔考察前核查"})
    client.get(url)
    page = client.get(url).content.decode()
    assert 'id="reason-form"' not in page
    assert "拟提拔考察前核查" in page
    events = AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="dossiers.cadre")
    assert [e.details["reason"] for e in events] == ["拟提拔考察前核查"] * 2  # each opening audited
    # another file asks again
    other = client.get(reverse("dossiers:cadre_detail", args=[registry.liu.pk])).content.decode()
    assert 'id="reason-form"' in other


def test_the_file_shows_every_category_with_its_source(registry, org_tree, make_user):
    leader = make_user(Role.LEADER, org=org_tree.commission)
    handler = make_user(Role.PETITION, org=org_tree.petition_office)
    case = register_case(
        org_tree.commission, persons=[{"name": "汪局长", "org_name": "卫健局", "position": ""}]
    )
    case_links_suggest(case_id=case.pk)
    link = case.reported_persons.get().pk
    from lianqing.dossiers.models import MentionLink

    mention_link_decide(link_id=MentionLink.objects.get(mention_id=link).pk, user=handler, confirm=True)
    lead = register_case(org_tree.commission, kind=Kind.LEAD, persons=[])
    sanction_create(
        cadre=registry.wang,
        user=leader,
        kind=SanctionKind.GOV_DEMERIT,
        decided_on=dt.date.today(),
        reason="违规吃喝",
    )
    record_create(
        user=leader,
        cadre=registry.wang,
        unit=None,
        kind=RecordKind.INQUIRY,
        happened_on=dt.date(2024, 5, 1),
        title="函询：反映收受礼金",
        result="如实说明",
    )
    record_create(
        user=leader,
        cadre=registry.wang,
        unit=registry.health,
        kind=RecordKind.AUDIT_FINDING,
        happened_on=dt.date(2024, 6, 1),
        title="审计发现超标准接待",
        is_resolved=False,
    )
    record_create(
        user=leader,
        cadre=registry.wang,
        unit=None,
        kind=RecordKind.ASSESSMENT,
        happened_on=dt.date(2024, 12, 1),
        title="2024 年度考核",
        result="优秀",
    )
    record_create(
        user=leader,
        cadre=registry.wang,
        unit=None,
        kind=RecordKind.ACCOUNTABILITY_REPORT,
        happened_on=dt.date(2025, 1, 10),
        title="2024 年度述责述廉",
    )
    client = verified_client(leader)
    url = reverse("dossiers:cadre_detail", args=[registry.wang.pk])
    client.post(url, {"reason": "日常监督查阅"})
    page = client.get(url).content.decode()
    for section in (
        "basic",
        "declarations",
        "relatives",
        "petitions",
        "leads",
        "talks",
        "investigations",
        "sanctions",
        "findings",
        "hits",
        "integrity",
        "assessments",
    ):
        assert f'id="{section}"' in page
    assert reverse("cases:detail", args=[case.pk]) in page  # the report links to its source
    assert reverse("cases:detail", args=[lead.pk]) not in page  # a lead naming someone else does not
    assert "记过" in page
    assert "影响期内" in page
    assert "函询：反映收受礼金" in page
    assert "优秀" in page
    assert "2024 年度述责述廉" in page
    assert "审计发现超标准接待" in page
    assert "未整改" in page
    assert registry.wang.person_id not in page
    assert registry.wang.masked_id in page


def test_unit_file_lists_cadres_findings_and_reports(registry, org_tree, make_user):
    leader = make_user(Role.LEADER, org=org_tree.commission)
    record_create(
        user=leader,
        cadre=None,
        unit=registry.health,
        kind=RecordKind.INSPECTION_FINDING,
        happened_on=dt.date(2025, 3, 1),
        title="巡察发现：药品采购程序不规范",
        is_resolved=False,
    )
    client = verified_client(leader)
    url = reverse("dossiers:unit_detail", args=[registry.health.pk])
    client.post(url, {"reason": "巡察前了解情况"})
    page = client.get(url).content.decode()
    assert "王建国" in page
    assert "巡察发现：药品采购程序不规范" in page


def test_sanction_form_records_and_bad_input_is_named(registry, org_tree, make_user):
    client = verified_client(make_user(Role.SUPERVISION, org=org_tree.supervision_office))
    url = reverse("dossiers:sanction_add", args=[registry.liu.pk])
    client.post(url, {"kind": "gov_warning", "decided_on": "2025-13-40"})
    assert not Sanction.objects.exists()
    client.post(url, {"kind": "gov_warning", "decided_on": "2025-02-01", "reason": "违规发放津补贴"})
    sanction = Sanction.objects.get()
    assert sanction.cadre == registry.liu
    assert sanction.impact_until == dt.date(2025, 8, 1)
    client.post(
        reverse("dossiers:cadre_record_add", args=[registry.liu.pk]),
        {"kind": "talk", "happened_on": "2025-03-01", "title": "谈话提醒"},
    )
    assert Record.objects.get().title == "谈话提醒"


def _hit(org, *, rule_id: str, subject_id: str, subject_org_code: str = "", record_ids: str = "x:1"):  # type: ignore[no-untyped-def]
    from lianqing.leads.models import DataPackage, Hit, ScanRun

    package = DataPackage.objects.create(
        name="数据包", org=org, source="folder", path=f"packages/p{rule_id}{subject_id}"
    )
    run = ScanRun.objects.create(package=package, org=org, status="succeeded")
    return Hit.objects.create(
        run=run, org=org, rule_id=rule_id, rule_name="个人有关事项漏报房产", severity="中", subject_id=subject_id,
        subject_org_code=subject_org_code, record_ids=record_ids, explanation="申报与不动产登记不一致",
        fingerprint=f"{rule_id}{subject_id}",
    )  # fmt: skip


def test_d_rule_hits_naming_the_cadre_show_in_the_file(registry, org_tree, make_user):
    mine = _hit(org_tree.commission, rule_id="D01", subject_id=f"{registry.wang.person_id}|2024")
    evidence = _hit(
        org_tree.commission, rule_id="B05", subject_id="X1", record_ids=f"officials:{registry.wang.person_id}"
    )
    other = _hit(org_tree.commission, rule_id="D02", subject_id=f"{registry.liu.person_id}|2024")
    unit_hit = _hit(
        org_tree.commission, rule_id="C01", subject_id="ORG", subject_org_code=registry.health.code
    )
    client = verified_client(make_user(Role.LEADER, org=org_tree.commission))
    url = reverse("dossiers:cadre_detail", args=[registry.wang.pk])
    client.post(url, {"reason": "日常监督查阅"})
    section = client.get(url).content.decode().split('id="hits"', 1)[1].split("</section>", 1)[0]
    assert reverse("leads:hit_detail", args=[mine.pk]) in section
    assert reverse("leads:hit_detail", args=[evidence.pk]) in section
    assert reverse("leads:hit_detail", args=[other.pk]) not in section
    unit_url = reverse("dossiers:unit_detail", args=[registry.health.pk])
    client.post(unit_url, {"reason": "日常监督查阅"})
    assert reverse("leads:hit_detail", args=[unit_hit.pk]) in client.get(unit_url).content.decode()


def test_search_masks_ids_and_costs_the_same_queries_for_any_number_of_rows(registry, org_tree, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(make_user(Role.LEADER, org=org_tree.commission))
    client.get(reverse("dossiers:search"), {"q": "王建国"})  # warm the session and permissions
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("dossiers:search"), {"q": "王建国"}).content.decode()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("dossiers:search"), {"q": "县"})  # every unit: fifty rows
    assert len(one) == len(many)
    assert registry.wang.masked_id in page
    assert registry.wang.person_id not in page
    by_id = client.get(reverse("dossiers:search"), {"q": registry.wang.person_id}).content.decode()
    assert reverse("dossiers:cadre_detail", args=[registry.wang.pk]) in by_id
