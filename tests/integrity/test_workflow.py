"""预警 → 核实 → 整改 → 销号: one transition function, its checks, its record, the owner's reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from lianqing.core.models import AuditEvent, Notification
from lianqing.core.roles import Role
from lianqing.integrity.models import WarningEvent, WarningStatus
from lianqing.integrity.services import (
    Assign,
    Close,
    Rectify,
    TransitionRefusedError,
    Verify,
    allowed_actions,
    warning_reminders_send,
    warning_transition,
)


def test_a_warning_is_verified_rectified_and_closed_with_a_record(refreshed, rise_warning):
    leader, supervisor = refreshed.leader, refreshed.supervisor
    warning_transition(warning_id=rise_warning.pk, action=Assign(owner=supervisor), by=leader)
    warning_transition(warning_id=rise_warning.pk, action=Verify(note="派员核实"), by=supervisor)
    warning_transition(warning_id=rise_warning.pk, action=Rectify(measures="属实，责令整改"), by=supervisor)
    closed = warning_transition(warning_id=rise_warning.pk, action=Close(reason="整改到位"), by=leader)
    assert closed.status == WarningStatus.CLOSED
    assert closed.closed_at is not None
    assert closed.owner == supervisor
    steps = list(WarningEvent.objects.filter(warning=closed).values_list("action", "to_status", "reason"))
    assert steps == [
        ("assign", "warned", str(supervisor)),
        ("verify", "verifying", "派员核实"),
        ("rectify", "rectifying", "属实，责令整改"),
        ("close", "closed", "整改到位"),
    ]
    assert AuditEvent.objects.filter(action="transition", object_id=str(closed.pk)).count() == 4
    assert Notification.objects.filter(recipient=supervisor, link__contains=f"/{closed.pk}/").exists()
    assert allowed_actions(closed, leader) == []


def test_closing_needs_a_reason(refreshed, rise_warning):
    warning_transition(warning_id=rise_warning.pk, action=Verify(), by=refreshed.leader)
    with pytest.raises(TransitionRefusedError, match="销号须填写理由"):
        warning_transition(warning_id=rise_warning.pk, action=Close(reason="  "), by=refreshed.leader)
    rise_warning.refresh_from_db()
    assert rise_warning.status == WarningStatus.VERIFYING


@pytest.mark.parametrize(
    ("action", "message"),
    [(Close(reason="误报"), "不能执行此操作"), (Rectify(measures="整改"), "不能执行此操作")],
    ids=["close-before-verifying", "rectify-before-verifying"],
)
def test_steps_out_of_order_are_refused(refreshed, rise_warning, action, message):
    with pytest.raises(TransitionRefusedError, match=message):
        warning_transition(warning_id=rise_warning.pk, action=action, by=refreshed.leader)
    rise_warning.refresh_from_db()
    assert rise_warning.status == WarningStatus.WARNED
    assert not WarningEvent.objects.exists()


def test_a_role_that_may_not_dispose_is_refused(refreshed, rise_warning, make_user, org_tree):
    manager = make_user(Role.CASE_MANAGEMENT, org=org_tree.case_office, username="manager")
    with pytest.raises(TransitionRefusedError):
        warning_transition(warning_id=rise_warning.pk, action=Verify(), by=manager)
    outsider = make_user(Role.LEADER, org=org_tree.township_b, username="outsider")
    with pytest.raises(Http404):
        warning_transition(warning_id=rise_warning.pk, action=Verify(), by=outsider)
    assert not WarningEvent.objects.exists()


def test_a_stale_form_is_refused(refreshed, rise_warning):
    warning_transition(warning_id=rise_warning.pk, action=Verify(), by=refreshed.leader)
    with pytest.raises(TransitionRefusedError, match="已被他人处理"):
        warning_transition(
            warning_id=rise_warning.pk, action=Rectify(measures="x"), by=refreshed.leader, expected_version=0
        )


def test_owners_are_reminded_weekly_until_closed(refreshed, rise_warning):
    supervisor = refreshed.supervisor
    warning_transition(warning_id=rise_warning.pk, action=Assign(owner=supervisor), by=refreshed.leader)
    monday = dt.date(2026, 11, 2)
    assert warning_reminders_send(today=monday) == 1
    assert warning_reminders_send(today=monday + dt.timedelta(days=2)) == 0  # same week
    assert warning_reminders_send(today=monday + dt.timedelta(days=7)) == 1
    warning_transition(warning_id=rise_warning.pk, action=Verify(), by=supervisor)
    warning_transition(warning_id=rise_warning.pk, action=Close(reason="误报"), by=supervisor)
    assert warning_reminders_send(today=monday + dt.timedelta(days=14)) == 0
