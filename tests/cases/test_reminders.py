"""Daily reminders: due soon to the handler, overdue to the handler and up to the department head."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from lianqing.cases.reminders import case_reminders_send
from lianqing.core.models import Notification
from lianqing.core.roles import Role
from tests.cases.factories import act, local_dt, register_case


def test_due_soon_goes_to_petition_office_and_overdue_escalates(org_tree, make_user):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    head = make_user(Role.LEADER, org=org_tree.commission)
    case = register_case(org_tree.commission, received_at=local_dt(2025, 1, 24))  # 受理 due 2025-02-20

    counts = case_reminders_send(today=dt.date(2025, 2, 17))
    assert counts == {"due_soon": 1, "overdue": 0, "escalated": 0, "quarterly": 0}
    assert Notification.objects.get(recipient=officer).title.startswith("即将到期")

    counts = case_reminders_send(today=dt.date(2025, 2, 21))
    assert counts["overdue"] == 1
    assert Notification.objects.filter(recipient=head, title__startswith="超期督办").count() == 1
    # Defect 8: the overdue notice replaced the due-soon one (one live reminder per case and kind),
    # unread again; running again the same day sends nothing new.
    assert list(Notification.objects.filter(recipient=officer).values_list("title", "read_at")) == [
        (f"已超期：{case.number} 受理（期限 2025-02-20）", None)
    ]
    case_reminders_send(today=dt.date(2025, 2, 21))
    assert Notification.objects.filter(link=f"/staff/cases/{case.pk}/").count() == 2


def test_case_management_gets_overdue_notices(org_tree, make_user):
    manager = make_user(Role.CASE_MANAGEMENT, org=org_tree.case_office)
    make_user(Role.PETITION, org=org_tree.petition_office)
    case = register_case(org_tree.commission, received_at=local_dt(2025, 1, 24))
    case_reminders_send(today=dt.date(2025, 2, 17))
    assert not Notification.objects.filter(recipient=manager).exists()  # due soon: not yet theirs
    case_reminders_send(today=dt.date(2025, 2, 21))
    assert list(Notification.objects.filter(recipient=manager).values_list("title", flat=True)) == [
        f"超期督办：{case.number} 受理（期限 2025-02-20）"
    ]


def test_a_new_deadline_replaces_the_reminder_instead_of_stacking(org_tree, make_user):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    handler = make_user(Role.SUPERVISION, org=org_tree.supervision_office)
    case = register_case(org_tree.commission, received_at=local_dt(2025, 1, 24))
    case_reminders_send(today=dt.date(2025, 2, 21))  # overdue 受理
    act(case, "accept", officer)
    act(case, "assign", officer, to_org=org_tree.supervision_office, handler=handler)
    Notification.objects.update(read_at=dt.datetime(2025, 2, 21, tzinfo=dt.UTC))
    case_reminders_send(today=case.deadline + dt.timedelta(days=1))
    # the petition office's old notice stays read; the handler has exactly one live one
    assert Notification.objects.filter(recipient=handler, dedupe_key=f"case:{case.pk}:deadline").count() == 1
    assert Notification.objects.filter(recipient=officer).count() == 1


def test_handler_gets_reminders_once_assigned(org_tree, make_user):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    handler = make_user(Role.SUPERVISION, org=org_tree.supervision_office)
    case = register_case(org_tree.commission)
    act(case, "accept", officer)
    act(case, "assign", officer, to_org=org_tree.supervision_office, handler=handler)
    case_reminders_send(today=case.deadline + dt.timedelta(days=1))
    assert Notification.objects.filter(recipient=handler, title__startswith="已超期").count() == 1


def test_closed_cases_are_not_reminded(org_tree, make_user):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    case = register_case(org_tree.commission, received_at=local_dt(2025, 1, 24))
    act(case, "reject", officer, reason="不属受理范围")
    assert case_reminders_send(today=dt.date(2025, 3, 1)) == {
        "due_soon": 0,
        "overdue": 0,
        "escalated": 0,
        "quarterly": 0,
    }


def test_command_rejects_bad_date(db):
    with pytest.raises(CommandError, match="无法识别"):
        call_command("cases_remind", date="2025-13-01")


@pytest.mark.django_db(transaction=True)
def test_enqueued_task_runs_in_worker(org_tree, make_user):
    make_user(Role.PETITION, org=org_tree.petition_office)
    register_case(org_tree.commission, received_at=local_dt(2020, 1, 6))
    call_command("cases_remind", enqueue=True)
    call_command("db_worker", batch=True, reload=False, startup_delay=False)
    assert Notification.objects.filter(title__startswith="已超期").count() == 1


def test_quarter_end_asks_handlers_for_a_progress_report(org_tree, make_user):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    handler = make_user(Role.SUPERVISION, org=org_tree.supervision_office)
    case = register_case(org_tree.commission)
    act(case, "accept", officer)
    act(case, "assign", officer, to_org=org_tree.supervision_office, handler=handler)
    act(case, "start", handler)
    assert case_reminders_send(today=dt.date(2025, 3, 20))["quarterly"] == 0
    assert case_reminders_send(today=dt.date(2025, 3, 28))["quarterly"] == 1
    case_reminders_send(today=dt.date(2025, 3, 29))
    reports = Notification.objects.filter(recipient=handler, title__startswith="季度报告")
    assert list(reports.values_list("title", flat=True)) == [
        f"季度报告：{case.number} 请于 2025-03-31 前向信访室报告办理进展"
    ]


def test_quarter_end():
    from lianqing.cases.reminders import quarter_end

    assert [quarter_end(dt.date(2025, m, 15)) for m in (1, 5, 9, 12)] == [
        dt.date(2025, 3, 31),
        dt.date(2025, 6, 30),
        dt.date(2025, 9, 30),
        dt.date(2025, 12, 31),
    ]
