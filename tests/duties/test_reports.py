"""述责述廉 as its own flow: a unit leader's annual report submitted (by themselves or the unit's
liaison), returned with a reason, revised, accepted with a rating and comment, and filed in the
cadre's 廉政档案 under 述责述廉 — read back through the dossiers app's own cadre file."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from lianqing.core.models import Notification, User
from lianqing.dossiers.models import Record, RecordKind
from lianqing.dossiers.selectors import cadre_file
from lianqing.dossiers.services import dossier_roles_grant
from lianqing.duties import reports
from lianqing.duties.errors import DutyError
from lianqing.duties.models import ReportStatus
from tests.core.factories import UserFactory
from tests.dossiers.factories import UnitFactory, cadre_in_post

from .conftest import YEAR, World

TEXT = "一年来，认真履行党风廉政建设第一责任人职责，主持召开党组会议专题研究党风廉政建设工作4次。"


@pytest.fixture
def cadre(world: World):  # type: ignore[no-untyped-def]
    dossier_roles_grant()
    unit = UnitFactory(code="EDU01", name="县教育局", org=world.tree.commission, tree_org=world.unit_a)
    return cadre_in_post(org=world.tree.commission, name="张书记", unit=unit, position="党组书记", serial=7)


def test_report_walks_submit_return_resubmit_accept_into_the_dossier(
    world: World,
    cadre,
    client_for: Callable[[User], Client],  # type: ignore[no-untyped-def]
) -> None:
    # the 书记 submits with their own account (no role: they reach their reports only)
    author = client_for(world.secretary)
    assert author.get("/staff/duties/").url == "/staff/duties/reports/"
    assert author.get("/staff/duties/dashboard/").status_code == 404
    short = author.post(
        f"/staff/duties/reports/?year={YEAR}", {"leader": world.secretary_leader.pk, "content": "已履职"}
    )
    assert short.status_code == 400
    assert "至少 20 个字" in short.content.decode()
    response = author.post(
        f"/staff/duties/reports/?year={YEAR}", {"leader": world.secretary_leader.pk, "content": TEXT}
    )
    assert response.status_code == 302
    report = reports.reports_visible(world.secretary).get()
    assert (report.status, report.year, report.unit) == (ReportStatus.SUBMITTED, YEAR, world.unit_a)
    again = author.post(
        f"/staff/duties/reports/?year={YEAR}", {"leader": world.secretary_leader.pk, "content": TEXT}
    )
    assert "不能重复提交" in again.content.decode()

    # the other office cannot review; the reviewing office returns it with a reason
    outsider = client_for(world.other_reviewer)
    assert (
        outsider.post(
            f"/staff/duties/reports/{report.pk}/review/", {"decision": "return", "reason": "x"}
        ).status_code
        == 404
    )
    reviewer = client_for(world.reviewer)
    page = reviewer.get(f"/staff/duties/reports/{report.pk}/").content.decode()
    assert "审核结论" in page
    no_reason = reviewer.post(f"/staff/duties/reports/{report.pk}/review/", {"decision": "return"})
    assert no_reason.status_code == 400
    assert "请填写退回理由" in no_reason.content.decode()
    reviewer.post(
        f"/staff/duties/reports/{report.pk}/review/", {"decision": "return", "reason": "未对照问题清单查摆"}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert Notification.objects.filter(recipient=world.liaison, title__startswith="已退回").exists()
    assert "未对照问题清单查摆" in author.get(f"/staff/duties/reports/{report.pk}/").content.decode()

    # the liaison resubmits the revised text for the 书记
    liaison = client_for(world.liaison)
    revised = TEXT + "对照问题清单查摆问题3条，均已整改。"
    assert (
        liaison.post(f"/staff/duties/reports/{report.pk}/resubmit/", {"content": revised}).status_code == 302
    )
    report.refresh_from_db()
    assert (report.status, report.content) == (ReportStatus.SUBMITTED, revised)

    # accepted with a rating and comment: filed in the cadre's 廉政档案 under 述责述廉
    reviewer.post(
        f"/staff/duties/reports/{report.pk}/review/",
        {"decision": "accept", "grade": "A", "comment": "履职到位"},
    )
    report.refresh_from_db()
    assert (report.status, report.grade, report.comment) == (ReportStatus.ACCEPTED, "A", "履职到位")
    record = Record.objects.get(pk=report.dossier_record_id)
    assert (record.kind, record.cadre, record.result) == (RecordKind.ACCOUNTABILITY_REPORT, cadre, "优秀")
    filed = cadre_file(user=world.leader, cadre=cadre)
    assert [r.title for r in filed.records["integrity"]] == [f"{YEAR} 年度述责述廉：张书记（党组书记）"]
    detail = reviewer.get(f"/staff/duties/reports/{report.pk}/").content.decode()
    assert f"/staff/dossiers/cadres/{cadre.pk}/" in detail
    with pytest.raises(DutyError, match="不能审核"):
        reports.report_review(report=report, by=world.reviewer, accept=False, reason="again")


def test_scoping_of_reports(world: World, client_for: Callable[[User], Client]) -> None:
    report = reports.report_submit(leader=world.secretary_leader, year=YEAR, content=TEXT, by=world.liaison)
    assert client_for(world.liaison_b).get(f"/staff/duties/reports/{report.pk}/").status_code == 404
    assert client_for(world.other_reviewer).get(f"/staff/duties/reports/{report.pk}/").status_code == 404
    assert client_for(world.leader).get(f"/staff/duties/reports/{report.pk}/").status_code == 200
    stranger = UserFactory(org=world.unit_b, roles=[], username="nobody")
    assert client_for(stranger).get("/staff/duties/reports/").status_code == 404
    with pytest.raises(DutyError):
        reports.report_submit(leader=world.secretary_leader, year=YEAR + 1, content=TEXT, by=world.liaison_b)


def test_accepted_without_a_dossier_entry_says_so(world: World, client_for: Callable[[User], Client]) -> None:
    report = reports.report_submit(leader=world.secretary_leader, year=YEAR, content=TEXT, by=world.secretary)
    reports.report_review(report=report, by=world.leader, accept=True, grade="B")
    report.refresh_from_db()
    assert report.dossier_record is None
    page = client_for(world.leader).get(f"/staff/duties/reports/{report.pk}/").content.decode()
    assert "未归档" in page
