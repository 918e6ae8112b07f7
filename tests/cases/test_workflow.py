"""A petition through every path of the state machine, a lead through every disposal and outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lianqing.cases.access import case_scope
from lianqing.cases.deadlines import add_months, add_working_days
from lianqing.cases.errors import CaseError
from lianqing.cases.models import (
    FORM_OF_OUTCOME,
    Case,
    CaseEvent,
    Disposal,
    HigherLevel,
    Kind,
    Outcome,
    Status,
)
from lianqing.cases.selectors import case_allowed_actions
from lianqing.core.models import AuditEvent, OrgKind
from lianqing.core.roles import Role
from tests.cases.factories import CONCLUDED, act, register_case
from tests.core.factories import OrgFactory, UserFactory


@pytest.fixture
def people(org_tree, make_user):
    class People:
        officer = make_user(Role.PETITION, org=org_tree.petition_office, username="xinfang")
        handler = make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="jiancha")
        leader = make_user(Role.LEADER, org=org_tree.commission, username="lingdao")
        case_manager = make_user(Role.CASE_MANAGEMENT, org=org_tree.case_office, username="anguan")
        township = make_user(Role.PETITION, Role.SUPERVISION, org=org_tree.township_a, username="zhen")

    return People


def _assign_to_department(case, people, org_tree):
    return act(case, "assign", people.officer, to_org=org_tree.supervision_office, mode="supervise")


def _unchanged(case: Case) -> tuple[object, ...]:
    fresh = Case.objects.get(pk=case.pk)
    return fresh.status, fresh.version, fresh.org_id, CaseEvent.objects.filter(case=case).count()


def test_main_path_sets_each_deadline_and_records_every_step(org_tree, people):
    case = register_case(org_tree.commission, is_reporter_named=True)
    act(case, "accept", people.officer)
    assert case.deadline_label == "告知实名举报人受理情况"
    act(case, "notify", people.officer, text="已受理")
    # Defect 5: between 受理 and 分办 the case has a time limit too
    assert (case.deadline, case.deadline_label) == (add_working_days(timezone.localdate(), 15), "分办")
    _assign_to_department(case, people, org_tree)
    assert (case.status, case.org_id, case.assign_mode) == (
        Status.ASSIGNED,
        org_tree.supervision_office.pk,
        "supervise",
    )
    assert case.deadline == add_months(timezone.localdate(), 3)
    act(case, "start", people.handler)
    assert case.handler_id == people.handler.pk
    act(case, "conclude", people.handler, result="属实，诫勉", **CONCLUDED)
    assert case.deadline_label == "向举报人反馈办理结果"
    act(case, "feedback", people.officer, text="已处理")
    assert case.status == Status.FED_BACK
    assert case.deadline is None

    steps = list(CaseEvent.objects.filter(case=case).values_list("action", "actor__username"))
    assert steps == [
        ("register", None),
        ("accept", "xinfang"),
        ("notify", "xinfang"),
        ("assign", "xinfang"),
        ("start", "jiancha"),
        ("conclude", "jiancha"),
        ("feedback", "xinfang"),
    ]
    assert AuditEvent.objects.filter(object_id=str(case.pk), action="transition").count() == 6


def test_refusal_needs_a_reason_and_ends_the_case(org_tree, people):
    case = register_case(org_tree.commission)
    with pytest.raises(CaseError, match="须填写理由"):
        act(case, "reject", people.officer)
    act(case, "reject", people.officer, reason="不属于纪检监察机关受理范围")
    assert case.status == Status.REJECTED
    assert case.deadline is None


def test_report_about_level_above_is_sent_up_and_leaves_this_commission(db):
    city = OrgFactory(org_code="CITY", kind=OrgKind.COMMISSION, name="市纪委监委")
    county = OrgFactory(org_code="CTY", kind=OrgKind.COMMISSION, name="县纪委监委", parent=city)
    petition_office = OrgFactory(org_code="CTY-XF", kind=OrgKind.DEPARTMENT, parent=county)
    officer = UserFactory(org=petition_office, roles=[Role.PETITION])
    case = register_case(county, higher_level=HigherLevel.LEVEL_ABOVE, received_at=timezone.now())
    assert case.deadline_label == "报送上级纪委监委"
    with pytest.raises(CaseError, match="只能报送上级"):
        act(case, "accept", officer)
    act(case, "send_up", officer, reason="反映市管干部")
    assert (case.status, case.org_id) == (Status.SENT_UP, city.pk)
    assert not case_scope(Case.objects.all(), officer).filter(pk=case.pk).exists()


def test_report_about_own_head_goes_straight_up_and_is_never_shown_below(org_tree, people):
    case = register_case(org_tree.commission, higher_level=HigherLevel.OWN_HEAD)
    assert case.status == Status.SENT_UP
    assert not case_scope(Case.objects.all(), people.township).filter(pk=case.pk).exists()
    assert not case_scope(Case.objects.all(), people.handler).filter(pk=case.pk).exists()
    with pytest.raises(CaseError):
        act(case, "assign", people.officer, to_org=org_tree.township_a, route="lower_commission")


def test_transfer_down_gives_the_lower_commission_five_working_days(org_tree, people):
    case = register_case(org_tree.commission)
    act(case, "accept", people.officer)
    assert not case_scope(Case.objects.all(), people.township).filter(pk=case.pk).exists()
    act(case, "assign", people.officer, to_org=org_tree.township_a, route="lower_commission", mode="delegate")
    assert case.deadline_label == "下级纪委受理或转办"
    assert case_scope(Case.objects.all(), people.township).filter(pk=case.pk).exists()
    act(case, "start", people.township)
    assert case.status == Status.HANDLING
    assert case.deadline == add_months(timezone.localdate(), 3)


def test_transfer_down_to_a_department_or_outside_is_refused(org_tree, people):
    case = register_case(org_tree.commission)
    act(case, "accept", people.officer)
    before = _unchanged(case)
    with pytest.raises(CaseError, match="不是下级纪委"):
        act(case, "assign", people.officer, to_org=org_tree.supervision_office, route="lower_commission")
    with pytest.raises(CaseError, match="不是本机关的内设部门"):
        act(case, "assign", people.officer, to_org=org_tree.township_b, route="department")
    assert _unchanged(case) == before


def test_transfer_to_other_organ_needs_its_name(org_tree, people):
    case = register_case(org_tree.commission)
    act(case, "accept", people.officer)
    with pytest.raises(CaseError, match="有关机关名称"):
        act(case, "assign", people.officer, route="other_organ")
    act(case, "assign", people.officer, route="other_organ", external_org_name="县公安局", mode="supervise")
    assert (case.status, case.external_org_name) == (Status.ASSIGNED, "县公安局")


def test_duplicate_merges_into_its_original(org_tree, people):
    original = register_case(org_tree.commission)
    duplicate = register_case(org_tree.commission)
    act(duplicate, "merge", people.officer, original=original)
    assert (duplicate.status, duplicate.merged_into_id) == (Status.MERGED, original.pk)
    assert CaseEvent.objects.filter(case=original, action="merged_in").exists()


def test_merge_into_another_jurisdiction_is_refused(org_tree, people):
    other = OrgFactory(org_code="OTHER", kind=OrgKind.COMMISSION)
    foreign = register_case(other)
    duplicate = register_case(org_tree.commission)
    before = _unchanged(duplicate)
    with pytest.raises(CaseError, match="不属于本机关管辖"):
        act(duplicate, "merge", people.officer, original=foreign)
    assert _unchanged(duplicate) == before


def test_handler_returns_a_case_with_a_reason(org_tree, people):
    case = register_case(org_tree.commission)
    act(case, "accept", people.officer)
    _assign_to_department(case, people, org_tree)
    act(case, "start", people.handler)
    act(case, "return", people.handler, reason="不属本室职责")
    assert (case.status, case.org_id, case.handler_id) == (Status.ACCEPTED, org_tree.commission.pk, None)
    _assign_to_department(case, people, org_tree)
    assert case.status == Status.ASSIGNED


def test_extension_once_by_a_leader_up_to_three_months(org_tree, people):
    case = register_case(org_tree.commission)
    act(case, "accept", people.officer)
    _assign_to_department(case, people, org_tree)
    act(case, "start", people.handler)
    due = case.handling_due
    with pytest.raises(CaseError, match="角色"):
        act(case, "extend", people.handler, until=add_months(due, 1), reason="情况复杂")
    with pytest.raises(CaseError, match="超出允许范围"):
        act(case, "extend", people.leader, until=add_months(due, 3) + dt.timedelta(days=1), reason="情况复杂")
    act(case, "extend", people.leader, until=add_months(due, 3), reason="情况复杂")
    assert case.deadline == add_months(due, 3)
    with pytest.raises(CaseError, match="只能延长一次"):
        act(case, "extend", people.leader, until=add_months(due, 3), reason="再延")


def test_reopen_after_feedback_restarts_handling(org_tree, people):
    case = register_case(org_tree.commission)
    act(case, "accept", people.officer)
    _assign_to_department(case, people, org_tree)
    act(case, "start", people.handler)
    act(case, "conclude", people.handler, result="查无实据", **CONCLUDED)
    act(case, "feedback", people.officer, text="查无实据")
    act(case, "reopen", people.officer, reason="举报人提供新证据")
    assert case.status == Status.HANDLING
    assert case.deadline == add_months(timezone.localdate(), 3)


def test_reopen_a_refused_report_puts_it_back_to_accepted(org_tree, people):
    case = register_case(org_tree.commission)
    act(case, "reject", people.officer, reason="重复")
    act(case, "reopen", people.leader, reason="并非重复")
    assert case.status == Status.ACCEPTED


@pytest.mark.parametrize(
    ("action", "facts"),
    [
        pytest.param("conclude", {"result": "x"}, id="conclude-from-pending"),
        pytest.param("feedback", {"text": "x"}, id="feedback-from-pending"),
        pytest.param("dispose", {"method": "talk"}, id="lead-action-on-petition"),
        pytest.param("fly", {}, id="unknown-action"),
    ],
)
def test_action_not_allowed_from_state_changes_nothing(org_tree, people, action, facts):
    case = register_case(org_tree.commission)
    before = _unchanged(case)
    with pytest.raises(CaseError):
        act(case, action, people.officer, **facts)
    assert _unchanged(case) == before


def test_wrong_role_and_other_jurisdiction_are_refused(org_tree, people):
    case = register_case(org_tree.commission)
    before = _unchanged(case)
    with pytest.raises(CaseError, match="没有找到"):
        act(case, "accept", people.township)
    with pytest.raises(CaseError, match="角色"):
        act(case, "accept", people.case_manager)
    assert _unchanged(case) == before


def test_allowed_actions_are_what_the_user_may_do_now(org_tree, people):
    case = register_case(org_tree.commission)
    assert {a.name for a in case_allowed_actions(case, people.officer)} == {
        "accept",
        "reject",
        "send_up",
        "merge",
    }
    assert case_allowed_actions(case, people.handler) == []


def test_petition_becomes_a_lead(org_tree, people):
    case = register_case(org_tree.commission)
    act(case, "accept", people.officer)
    act(case, "to_lead", people.officer)
    lead = Case.objects.get(source_case=case)
    assert (lead.kind, lead.status) == (Kind.LEAD, Status.PENDING)
    assert list(lead.reported_persons.values_list("name", flat=True)) == ["张三"]


# --- leads ------------------------------------------------------------------------------------


def _lead(org_tree, people):
    lead = register_case(org_tree.commission, kind=Kind.LEAD, source="data_scan")
    act(lead, "assign", people.case_manager, to_org=org_tree.supervision_office, handler=people.handler)
    assert (lead.status, lead.org_id) == (Status.PENDING, org_tree.supervision_office.pk)
    return lead


@pytest.mark.parametrize("method", [Disposal.TALK, Disposal.VERIFY], ids=["talk", "verify"])
def test_lead_disposal_that_starts_handling(org_tree, people, method):
    lead = _lead(org_tree, people)
    act(lead, "dispose", people.handler, method=method)
    assert (lead.status, lead.disposal) == (Status.HANDLING, method)
    assert lead.deadline == add_months(timezone.localdate(), 3)


def test_lead_shelved_then_resumed(org_tree, people):
    lead = _lead(org_tree, people)
    act(lead, "dispose", people.handler, method=Disposal.SHELVE)
    assert (lead.status, lead.deadline) == (Status.SHELVED, add_months(timezone.localdate(), 6))
    assert lead.deadline_label == "复查暂存线索"
    act(lead, "resume", people.handler, reason="发现新情况")
    assert lead.status == Status.PENDING


def test_lead_closed_or_transferred_at_disposal(org_tree, people):
    closed = _lead(org_tree, people)
    act(closed, "dispose", people.handler, method=Disposal.CLOSE, reason="反映问题失实")
    assert (closed.status, closed.outcome, closed.form_level) == (Status.CONCLUDED, Outcome.CLOSED, 0)
    transferred = _lead(org_tree, people)
    with pytest.raises(CaseError, match="移送单位"):
        act(transferred, "dispose", people.handler, method=Disposal.TRANSFER)
    act(transferred, "dispose", people.handler, method=Disposal.TRANSFER, external_org_name="县委组织部")
    assert (transferred.status, transferred.disposal) == (Status.CONCLUDED, Disposal.TRANSFER)


@pytest.mark.parametrize("outcome", list(Outcome), ids=[o.value for o in Outcome])
def test_lead_outcome_records_its_form(org_tree, people, outcome):
    lead = _lead(org_tree, people)
    act(lead, "dispose", people.handler, method=Disposal.VERIFY)
    act(lead, "record_outcome", people.handler, outcome=outcome, result="处理完毕")
    expected_form = FORM_OF_OUTCOME.get(outcome, 0)
    assert (lead.status, lead.outcome, lead.form_level) == (Status.CONCLUDED, outcome, expected_form)
    spawned = Case.objects.filter(source_case=lead, kind=Kind.INVESTIGATION).count()
    assert spawned == (1 if outcome == Outcome.INVESTIGATION else 0)


def test_four_forms_cover_the_ten_sanctions():
    assert sorted(FORM_OF_OUTCOME.values()) == [1, 1, 1, 1, 2, 2, 3, 3, 4, 4]


def test_lead_outcome_must_be_known_and_leads_reopen(org_tree, people):
    lead = _lead(org_tree, people)
    act(lead, "dispose", people.handler, method=Disposal.TALK)
    with pytest.raises(CaseError, match="无法识别"):
        act(lead, "record_outcome", people.handler, outcome="beheading")
    act(lead, "record_outcome", people.handler, outcome=Outcome.CLEARED)
    act(lead, "reopen", people.case_manager, reason="新线索")
    assert lead.status == Status.HANDLING


def test_investigation_goes_through_trial_to_a_recorded_decision(org_tree, people, make_user):
    # Defect 12: the 审理 stage, so the 审理 role has work
    trial_office = OrgFactory(
        org_code="JW1-SL", name="案件审理室", kind=OrgKind.DEPARTMENT, parent=org_tree.commission
    )
    judge = make_user(Role.TRIAL, org=trial_office, username="shenli")
    case = register_case(org_tree.supervision_office, kind=Kind.INVESTIGATION, source="other")
    assert case.deadline_label == "开始审查调查"
    act(case, "start", people.handler)
    with pytest.raises(CaseError):
        act(case, "conclude", people.handler, result="x", **CONCLUDED)  # never concluded without 审理
    assert not case_scope(Case.objects.all(), judge).filter(pk=case.pk).exists()
    act(case, "send_to_trial", people.handler, to_org=trial_office)
    assert (case.status, case.org_id, case.deadline_label) == (
        Status.IN_TRIAL,
        trial_office.pk,
        "提出审理意见",
    )
    assert case_scope(Case.objects.all(), judge).filter(pk=case.pk).exists()
    assert {a.name for a in case_allowed_actions(case, judge)} == {"trial_opinion"}
    act(case, "trial_opinion", judge, opinion="事实清楚，证据确凿，建议给予党内严重警告处分。")
    assert (case.status, case.handler_id, case.deadline_label) == (
        Status.TRIAL_REVIEWED,
        judge.pk,
        "作出处分决定",
    )
    with pytest.raises(CaseError, match="处分决定内容"):
        act(case, "record_decision", judge, outcome=Outcome.HEAVY_SANCTION)
    act(case, "record_decision", judge, outcome=Outcome.HEAVY_SANCTION, result="给予党内严重警告处分")
    assert (case.status, case.outcome, case.form_level) == (Status.CONCLUDED, Outcome.HEAVY_SANCTION, 3)
    steps = list(case.events.values_list("action", flat=True))
    assert steps == ["register", "start", "send_to_trial", "trial_opinion", "record_decision"]


def test_stale_version_is_refused(org_tree, people):
    case = register_case(org_tree.commission)
    version = case.version
    act(case, "accept", people.officer, expected_version=version)
    with pytest.raises(CaseError, match="已被他人更新"):
        act(case, "reject", people.officer, expected_version=version, reason="x")
