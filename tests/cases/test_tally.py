"""The tallies behind the statistics page (monthly, daily, stock) stay equal to counting the cases."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.db.models import Count, Model

from lianqing.cases.access import case_scope
from lianqing.cases.models import (
    NO_DEADLINE,
    OPEN_STATUSES,
    Case,
    CaseDayTally,
    CaseMonthTally,
    CaseStatusTally,
    CaseStockTally,
    Category,
    Disposal,
    HigherLevel,
    Kind,
    Outcome,
)
from lianqing.cases.services import case_category_correct
from lianqing.cases.statistics import (
    Period,
    PeriodRows,
    case_period_rows,
    case_stock_rows,
    stock_rows,
)
from lianqing.cases.statistics_rows import _period_rows_orm, whole_months
from lianqing.cases.tally import TABLES, tally_rebuild, tally_rebuild_all
from lianqing.core.models import Clearance
from lianqing.core.roles import Role
from tests.cases.factories import CONCLUDED, act, local_dt, register_case

# Whole months December to February come from the monthly tallies, the November and March edges
# from the daily ones.
PERIOD = Period(dt.date(2024, 11, 15), dt.date(2025, 3, 10))
# Short periods, charted by day: with a whole month inside (February) and without one.
SHORT_PERIOD = Period(dt.date(2025, 1, 20), dt.date(2025, 3, 5))
SHORT_PERIOD_IN_A_MONTH = Period(dt.date(2025, 2, 1), dt.date(2025, 2, 27))
TALLY_MODELS: tuple[type[Model], ...] = (CaseMonthTally, CaseDayTally, CaseStatusTally, CaseStockTally)


def _tallies(model: type[Model]) -> dict[tuple[Any, ...], tuple[int, ...]]:
    """A tally table as key -> amounts, leaving out rows that went back to zero."""
    table = TABLES[model.__name__]
    rows = model._default_manager.values_list(*table.key, *table.amounts)
    return {
        tuple(row[: len(table.key)]): tuple(row[len(table.key) :])
        for row in rows
        if any(row[len(table.key) :])
    }


def _all_tallies() -> dict[str, dict[tuple[Any, ...], tuple[int, ...]]]:
    return {model.__name__: _tallies(model) for model in TALLY_MODELS}


def _stock_counted() -> dict[tuple[Any, ...], tuple[int, ...]]:
    """The stock counted from the open cases themselves, without the tally code."""
    rows = (
        Case.objects.filter(status__in=OPEN_STATUSES)
        .values_list("status", "org_id", "confidentiality", "higher_level", "deadline")
        .annotate(n=Count("*"))
        .order_by()
    )
    counted: Counter[tuple[Any, ...]] = Counter()
    for status, org_id, confidentiality, higher_level, deadline, n in rows:
        counted[(status, org_id, confidentiality, higher_level or "", deadline or NO_DEADLINE)] += n
    return {key: (n,) for key, n in counted.items()}


def _comparable(rows: PeriodRows, period: Period = PERIOD) -> dict[str, Any]:
    intake: Counter[tuple[str, str]] = Counter()
    for day, source, n in rows.intake:
        intake[(day.isoformat() if period.is_daily else day.strftime("%Y-%m"), source)] += n
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
    kept = _all_tallies()

    for model in TALLY_MODELS:
        tally_rebuild(Case, model)

    assert all(kept.values())
    assert kept == _all_tallies()
    assert kept["CaseStockTally"] == _stock_counted()


def test_every_kind_of_case_change_keeps_every_tally_equal_to_a_recount(org_tree, make_user):
    officer = make_user(Role.PETITION, org=org_tree.petition_office, username="xinfang")
    handler = make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="jiancha")
    leader = make_user(Role.LEADER, org=org_tree.commission, username="lingdao")
    checked: list[str] = []

    def recounted(step: str) -> None:
        kept = _all_tallies()
        assert kept["CaseStockTally"] == _stock_counted(), step
        assert not CaseStockTally.objects.filter(cases=0).exists(), step  # emptied rows are pruned
        tally_rebuild_all()
        assert _all_tallies() == kept, step
        checked.append(step)

    case = register_case(org_tree.commission, received_at=local_dt(2025, 1, 31, 23))
    other = register_case(org_tree.commission, received_at=local_dt(2025, 2, 1, 0), category="bribery")
    recounted("register")
    for action, by, facts in [
        ("accept", officer, {}),
        ("assign", officer, {"to_org": org_tree.supervision_office, "mode": "supervise"}),
        ("start", handler, {}),
        ("extend", leader, {"until": None}),  # filled in below: a month past the handling due date
        ("conclude", handler, {"result": "属实", **CONCLUDED}),
        ("feedback", officer, {"text": "已处理"}),
        ("reopen", officer, {"reason": "举报人提供新证据"}),
    ]:
        if action == "extend":
            case.refresh_from_db()
            facts = {"until": case.handling_due + dt.timedelta(days=20), "reason": "情况复杂"}
        case = act(case, action, by, **facts)
        recounted(action)
    case_category_correct(case=case, by=officer, category=Category.BRIBERY)
    recounted("recategorise")
    act(other, "merge", officer, original=case)
    recounted("merge")
    for action, facts in [("reject", {"reason": "不属于受理范围"}), ("send_up", {"reason": "反映市管干部"})]:
        act(register_case(org_tree.commission, received_at=local_dt(2025, 2, 2)), action, officer, **facts)
        recounted(action)
    lead = act(register_case(org_tree.commission, received_at=local_dt(2025, 2, 3)), "accept", officer)
    act(lead, "to_lead", officer)
    recounted("to_lead")

    assert len(checked) == 13
    assert CaseStockTally.objects.exists()
    assert CaseDayTally.objects.filter(day=dt.date(2025, 1, 31)).exists()


@pytest.mark.parametrize(
    "period", [PERIOD, SHORT_PERIOD, SHORT_PERIOD_IN_A_MONTH], ids=["long", "short", "in-a-month"]
)
@pytest.mark.parametrize("who", ["leader", "ordinary", "officer", "township", "handler"])
def test_tallied_statistics_equal_counting_the_cases(walked, who, period):
    user = walked[who]
    scoped = case_scope(Case.objects.all(), user)
    start, end = period.bounds

    counted = _period_rows_orm(scoped.filter(received_at__gte=start, received_at__lt=end), period)
    tallied = case_period_rows(user=user, scoped=scoped, period=period)

    assert counted.received > 0
    assert _comparable(tallied, period) == _comparable(counted, period)


@pytest.mark.parametrize("who", ["leader", "ordinary", "officer", "township", "handler"])
@pytest.mark.parametrize("today", [dt.date(2025, 1, 1), dt.date(2025, 4, 1), dt.date(2030, 1, 1)])
def test_tallied_stock_equals_counting_the_open_cases(walked, who, today):
    user = walked[who]
    scoped = case_scope(Case.objects.all(), user)

    counted = stock_rows(scoped.filter(status__in=OPEN_STATUSES), today)
    tallied = case_stock_rows(user=user, scoped=scoped, today=today)

    assert sum(row["n"] for row in counted) > 0
    assert sorted(tallied, key=lambda row: row["status"]) == sorted(counted, key=lambda row: row["status"])


def test_whole_months_of_a_period():
    assert whole_months(PERIOD) == (dt.date(2024, 12, 1), dt.date(2025, 3, 1))
    assert whole_months(Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))) == (
        dt.date(2025, 1, 1),
        dt.date(2026, 1, 1),
    )
    assert whole_months(Period(dt.date(2025, 1, 2), dt.date(2025, 1, 30))) is None


def test_rebuild_command_restores_tallies_lost_outside_the_services(walked):
    from django.core.management import call_command

    kept = _all_tallies()
    for model in TALLY_MODELS:
        model._default_manager.all().delete()  # as if cases had been restored from a dump

    call_command("cases_tally_rebuild")

    assert all(kept.values())
    assert _all_tallies() == kept
