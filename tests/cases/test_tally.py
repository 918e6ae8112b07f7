"""The monthly tallies behind the statistics page stay equal to counting the cases themselves."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from lianqing.cases.access import case_scope
from lianqing.cases.models import Case, CaseMonthTally, Disposal, HigherLevel, Kind, Outcome
from lianqing.cases.statistics import Period, PeriodRows, case_period_rows, whole_months
from lianqing.cases.statistics_rows import _period_rows_orm
from lianqing.cases.tally import tally_rebuild
from lianqing.core.models import Clearance
from lianqing.core.roles import Role
from tests.cases.factories import CONCLUDED, act, local_dt, register_case

# Whole months December to February come from the tallies, the November and March edges live.
PERIOD = Period(dt.date(2024, 11, 15), dt.date(2025, 3, 10))


def _tallies() -> dict[tuple[Any, ...], tuple[int, int, int]]:
    return {
        (t.dimension, t.month, t.org_id, t.confidentiality, t.higher_level, t.value): (
            t.cases,
            t.concluded,
            t.handling_microseconds,
        )
        for t in CaseMonthTally.objects.all()
        if t.cases
    }


def _comparable(rows: PeriodRows) -> dict[str, Any]:
    intake: Counter[tuple[str, str]] = Counter()
    for day, source, n in rows.intake:
        intake[(day.strftime("%Y-%m"), source)] += n
    return {
        "intake": dict(intake),
        "category": {r["category"]: r["n"] for r in rows.category},
        "region": {r["region_code"]: r["n"] for r in rows.region},
        "org": {r["org_id"]: r["n"] for r in rows.org},
        "disposal": {r["disposal"]: r["n"] for r in rows.disposal},
        "forms": {r["form_level"]: r["n"] for r in rows.forms},
        "totals": (rows.received, rows.concluded, rows.leads),
        "average_seconds": round(rows.average.total_seconds()) if rows.average else None,
    }


@pytest.fixture
def walked(org_tree, make_user):
    """Cases around and inside PERIOD taken through the workflow: assigned, concluded, reopened,
    merged, turned into leads, disposed, with a form, secret, about the commission's head."""
    officer = make_user(Role.PETITION, org=org_tree.petition_office, username="xinfang")
    handler = make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="jiancha")
    manager = make_user(Role.CASE_MANAGEMENT, org=org_tree.case_office, username="anguan")
    township = make_user(Role.PETITION, Role.SUPERVISION, org=org_tree.township_a, username="zhen")
    days = [local_dt(2024, 11, 10), local_dt(2024, 11, 20), local_dt(2024, 12, 5), local_dt(2025, 1, 6)]
    days += [local_dt(2025, 2, 28, 23), local_dt(2025, 3, 1, 0), local_dt(2025, 3, 5), local_dt(2025, 3, 20)]
    cases = [
        register_case(org_tree.commission, received_at=day, source=source, category=category)
        for day, source, category in zip(
            days,
            ["online", "letter", "visit", "online", "letter", "online", "visit", "online"],
            [
                "sifeng_dining",
                "bribery",
                "bribery",
                "sifeng_dining",
                "bribery",
                "bribery",
                "bribery",
                "bribery",
            ],
            strict=True,
        )
    ]
    register_case(org_tree.commission, received_at=local_dt(2025, 1, 8), confidentiality=Clearance.SECRET)
    register_case(org_tree.commission, received_at=local_dt(2025, 1, 9), higher_level=HigherLevel.OWN_HEAD)
    concluded, assigned_down, merged, to_lead, reopened = cases[1], cases[2], cases[3], cases[4], cases[6]
    for case in (concluded, reopened):
        act(case, "accept", officer)
        act(case, "assign", officer, to_org=org_tree.supervision_office, mode="supervise")
        act(case, "start", handler)
        act(case, "conclude", handler, result="属实", **CONCLUDED)
    act(reopened, "feedback", officer, text="已处理")
    act(reopened, "reopen", officer, reason="举报人提供新证据")
    act(assigned_down, "accept", officer)
    act(assigned_down, "assign", officer, to_org=org_tree.township_a, route="lower_commission")
    act(merged, "merge", officer, original=cases[0])
    act(to_lead, "accept", officer)
    act(to_lead, "to_lead", officer)
    lead = register_case(
        org_tree.commission, kind=Kind.LEAD, source="data_scan", received_at=local_dt(2025, 2, 2)
    )
    act(lead, "assign", manager, to_org=org_tree.supervision_office, handler=handler)
    act(lead, "dispose", handler, method=Disposal.VERIFY)
    act(lead, "record_outcome", handler, outcome=Outcome.ADMONITION, result="处理完毕")
    # A case the township officer handles outside the township (handler is not tallied).
    elsewhere = register_case(org_tree.commission, received_at=local_dt(2025, 2, 10), source="phone")
    Case.objects.filter(pk=elsewhere.pk).update(handler=township)
    return {
        "leader": make_user(Role.LEADER, org=org_tree.commission, username="lingdao"),
        "ordinary": make_user(
            Role.LEADER, org=org_tree.commission, username="putong", clearance=Clearance.ORDINARY
        ),
        "officer": officer,
        "township": township,
        "handler": handler,
    }


def test_tallies_equal_a_recount_after_the_workflow(walked):
    kept = _tallies()

    tally_rebuild(Case, CaseMonthTally)

    assert kept
    assert kept == _tallies()


@pytest.mark.parametrize("who", ["leader", "ordinary", "officer", "township", "handler"])
def test_tallied_statistics_equal_counting_the_cases(walked, who):
    user = walked[who]
    scoped = case_scope(Case.objects.all(), user)
    start, end = PERIOD.bounds

    counted = _period_rows_orm(scoped.filter(received_at__gte=start, received_at__lt=end), PERIOD)
    tallied = case_period_rows(user=user, scoped=scoped, period=PERIOD)

    assert counted.received > 0
    assert _comparable(tallied) == _comparable(counted)


def test_whole_months_of_a_period():
    assert whole_months(PERIOD) == (dt.date(2024, 12, 1), dt.date(2025, 3, 1))
    assert whole_months(Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))) == (
        dt.date(2025, 1, 1),
        dt.date(2026, 1, 1),
    )
    assert whole_months(Period(dt.date(2025, 1, 2), dt.date(2025, 1, 30))) is None


def test_rebuild_command_restores_tallies_lost_outside_the_services(walked):
    from django.core.management import call_command

    kept = _tallies()
    CaseMonthTally.objects.all().delete()  # as if cases had been restored from a dump

    call_command("cases_tally_rebuild")

    assert kept
    assert _tallies() == kept
