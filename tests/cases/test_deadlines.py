"""Time limits in working days across the 2025 Spring Festival (休 1.28–2.4, 调休上班 1.26 周日 and 2.8 周六)."""

from __future__ import annotations

import datetime as dt

import pytest

from lianqing.cases.deadlines import add_months, add_working_days, is_working_day, working_days_between
from lianqing.cases.models import HigherLevel, Source, Status, TimeLimits
from lianqing.cases.time_limits import next_deadline
from tests.cases.factories import local_dt, register_case

FRIDAY_BEFORE_FESTIVAL = dt.date(2025, 1, 24)


def test_make_up_sunday_counts_and_festival_days_do_not():
    assert is_working_day(dt.date(2025, 1, 26))  # Sunday, 调休
    assert not is_working_day(dt.date(2025, 1, 29))  # 春节
    assert is_working_day(dt.date(2025, 2, 8))  # Saturday, 调休


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        pytest.param(1, dt.date(2025, 1, 26), id="1-make-up-sunday"),
        pytest.param(3, dt.date(2025, 2, 5), id="3-after-festival"),
        pytest.param(5, dt.date(2025, 2, 7), id="5-send-up"),
        pytest.param(6, dt.date(2025, 2, 8), id="6-make-up-saturday"),
        pytest.param(15, dt.date(2025, 2, 20), id="15-accept"),
    ],
)
def test_add_working_days_across_spring_festival(days, expected):
    assert add_working_days(FRIDAY_BEFORE_FESTIVAL, days) == expected
    assert working_days_between(FRIDAY_BEFORE_FESTIVAL, expected) == days


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)


def test_registration_deadlines_across_the_festival(org_tree):
    received = local_dt(2025, 1, 24)
    ordinary = register_case(org_tree.commission, received_at=received)
    above = register_case(org_tree.commission, received_at=received, higher_level=HigherLevel.LEVEL_ABOVE)
    sent_down = register_case(org_tree.township_a, received_at=received, source=Source.HIGHER_REFERRAL)
    assert (ordinary.deadline, ordinary.deadline_label) == (dt.date(2025, 2, 20), "受理")
    assert (above.deadline, above.deadline_label) == (dt.date(2025, 2, 7), "报送上级纪委监委")
    assert (sent_down.deadline, sent_down.deadline_label) == (dt.date(2025, 2, 7), "受理或转办")


def test_feedback_due_fifteen_working_days_after_result(org_tree):
    case = register_case(org_tree.commission, received_at=local_dt(2024, 12, 1), is_reporter_named=True)
    case.status = Status.CONCLUDED
    case.concluded_at = local_dt(2025, 1, 24)
    assert next_deadline(case, TimeLimits()) == (dt.date(2025, 2, 20), "向举报人反馈办理结果")


def test_limits_configured_in_admin_apply(org_tree):
    TimeLimits.objects.update_or_create(pk=1, defaults={"accept_days": 10})
    case = register_case(org_tree.commission, received_at=local_dt(2025, 1, 24))
    assert case.deadline == dt.date(2025, 2, 13)


def test_time_limits_are_edited_in_the_admin(org_tree, make_user, client_for):
    admin_user = make_user(org=org_tree.commission, username="root", is_superuser=True, is_staff=True)
    client = client_for(admin_user)
    TimeLimits.objects.get_or_create(pk=1)
    page = client.get("/admin/cases/timelimits/1/change/")
    assert page.status_code == 200
    response = client.post(
        "/admin/cases/timelimits/1/change/",
        {
            "send_up_days": 5,
            "lower_accept_days": 5,
            "accept_days": 12,
            "notify_acceptance_days": 15,
            "handling_months": 3,
            "max_extension_months": 3,
            "feedback_days": 15,
            "due_soon_days": 3,
            "assign_days": 15,
            "lead_dispose_days": 15,
            "shelved_review_months": 6,
            "trial_months": 1,
        },
    )
    assert response.status_code == 302
    assert TimeLimits.objects.get(pk=1).accept_days == 12


def test_case_deadlines_use_the_one_analytics_calendar():
    from lianqing.analytics import workdays
    from lianqing.cases import deadlines

    assert deadlines.add_working_days is workdays.add_working_days
    assert deadlines.is_working_day is workdays.is_working_day
