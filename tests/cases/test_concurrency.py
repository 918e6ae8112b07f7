"""Two handlers acting on the same case at once: the row lock serialises them, nothing is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from lianqing.cases.errors import CaseError
from lianqing.cases.models import Case, CaseEvent, Status
from lianqing.core.roles import Role
from tests.cases.factories import act, register_case

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def test_second_handler_waits_for_the_first_and_is_refused_on_fresh_state(org_tree, make_user):
    # Given an accepted case and two petition officers
    first = make_user(Role.PETITION, org=org_tree.petition_office, username="first")
    second = make_user(Role.PETITION, org=org_tree.petition_office, username="second")
    case = register_case(org_tree.commission)
    act(case, "accept", first)
    first_holds_lock, second_started = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first_assigns() -> None:
        try:
            with transaction.atomic():
                act(Case.objects.get(pk=case.pk), "assign", first, to_org=org_tree.supervision_office)
                first_holds_lock.set()
                second_started.wait(5)
                # Keep the row locked a moment so the second really waits on it.
                threading.Event().wait(0.5)
            outcome["first"] = "ok"
        finally:
            connection.close()

    def second_merges() -> None:
        try:
            first_holds_lock.wait(5)
            second_started.set()
            try:
                act(Case.objects.get(pk=case.pk), "merge", second, original=case)
                outcome["second"] = "ok"
            except CaseError as error:
                outcome["second"] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_assigns), threading.Thread(target=second_merges)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    # Then the second saw the first's committed state and was refused; the first's update stands
    assert outcome["first"] == "ok"
    assert "已分办" in str(outcome["second"])
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.org_id, fresh.version) == (Status.ASSIGNED, org_tree.supervision_office.pk, 3)
    assert list(CaseEvent.objects.filter(case=case).values_list("action", flat=True)) == [
        "register",
        "accept",
        "assign",
    ]


def test_two_handlers_with_the_same_version_one_wins(org_tree, make_user):
    handler_a = make_user(Role.PETITION, org=org_tree.petition_office, username="a")
    handler_b = make_user(Role.PETITION, org=org_tree.petition_office, username="b")
    case = register_case(org_tree.commission)
    version = case.version
    barrier = threading.Barrier(2)
    results: list[str] = []

    def take(user, action, facts):
        try:
            barrier.wait(5)
            act(Case.objects.get(pk=case.pk), action, user, expected_version=version, **facts)
            results.append(f"{action}:ok")
        except CaseError:
            results.append(f"{action}:refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=take, args=(handler_a, "accept", {})),
        threading.Thread(target=take, args=(handler_b, "reject", {"reason": "不属受理范围"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert sorted(r.split(":")[1] for r in results) == ["ok", "refused"]
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.version == version + 1
    winner = next(r.split(":")[0] for r in results if r.endswith(":ok"))
    assert fresh.status == {"accept": Status.ACCEPTED, "reject": Status.REJECTED}[winner]
