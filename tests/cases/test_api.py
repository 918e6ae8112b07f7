"""The API other apps build on: register, public status, reply to the reporter."""

from __future__ import annotations

from django.utils import timezone

from lianqing.cases.deadlines import add_working_days
from lianqing.cases.models import Case, Kind, ReportedPerson, Source, Status
from lianqing.cases.selectors import case_public_status
from lianqing.cases.services import case_feedback, case_notify
from lianqing.core.models import AuditEvent
from lianqing.core.roles import Role
from tests.cases.factories import CONCLUDED, act, register_case


def test_register_creates_pending_case_with_people_timeline_and_audit(org_tree):
    # When the intake app registers an online report without a user
    case = register_case(
        org_tree.commission, persons=[{"name": "李四", "org_name": "甲镇", "position": "镇长"}]
    )

    # Then it waits for acceptance, with a number, a deadline and a first timeline step
    case.refresh_from_db()
    assert case.status == Status.PENDING
    assert case.number.startswith("XF")
    assert case.deadline is not None
    assert case.deadline_label == "受理"
    assert list(ReportedPerson.objects.filter(case=case).values_list("name", "position")) == [
        ("李四", "镇长")
    ]
    assert list(case.events.values_list("action", flat=True)) == ["register"]
    assert AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action="create"
    ).exists()


def test_lead_from_scan_registers_as_lead(org_tree):
    case = register_case(org_tree.commission, kind=Kind.LEAD, source=Source.DATA_SCAN)
    assert case.number.startswith("XS")
    assert case.status == Status.PENDING
    # Defect 5: a lead converted from a 疑点 has its time limit from the start (提出处置意见)
    assert case.deadline == add_working_days(timezone.localdate(case.received_at), 15)
    assert case.deadline_label == "提出处置意见"


def test_public_status_follows_the_case_and_shows_the_reply(org_tree, make_user):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    handler = make_user(Role.SUPERVISION, org=org_tree.supervision_office)
    case = register_case(org_tree.commission)
    assert case_public_status(case) == ("已收到", "")

    act(case, "accept", officer)
    assert case_public_status(case) == ("已受理", "")
    case_notify(case=case, by=officer, text="您的举报已受理。")
    assert case_public_status(case) == ("已受理", "您的举报已受理。")

    act(case, "assign", officer, to_org=org_tree.supervision_office, mode="delegate", route="department")
    act(case, "start", handler)
    assert case_public_status(case)[0] == "办理中"
    act(case, "conclude", handler, result="经查属实，已给予诫勉。", **CONCLUDED)
    case_feedback(case=case, by=officer, text="经查属实，相关人员已受到处理。")

    case = Case.objects.get(pk=case.pk)
    assert case.status == Status.FED_BACK
    assert case_public_status(case) == ("已办结", "经查属实，相关人员已受到处理。")


def test_duplicate_shows_the_status_of_its_original(org_tree, make_user):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    original = register_case(org_tree.commission)
    duplicate = register_case(org_tree.commission)
    act(original, "accept", officer)
    act(duplicate, "merge", officer, original=original)
    case_notify(case=original, by=officer, text="已受理，与同一问题的其他举报一并办理。")
    assert case_public_status(Case.objects.get(pk=duplicate.pk)) == (
        "已受理",
        "已受理，与同一问题的其他举报一并办理。",
    )


def test_demo_loads_once(db):
    import io

    from lianqing.cases import demo as cases_demo
    from lianqing.core import demo as core_demo

    core_demo.load(io.StringIO())
    cases_demo.load(io.StringIO())
    first = Case.objects.count()
    cases_demo.load(io.StringIO())
    assert first == 8
    assert Case.objects.count() == first
    assert Case.objects.filter(status=Status.FED_BACK).count() == 1
    # the 审理 role has work in the demo: an investigation with the trial department
    in_trial = Case.objects.get(status=Status.IN_TRIAL)
    assert in_trial.org.org_code == "JW370124-SL"
