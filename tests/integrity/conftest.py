"""A small jurisdiction with two units, three cadres and two years of reports, one planted rise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from lianqing.cases.models import Case, Category
from lianqing.cases.selectors import reported_person_list
from lianqing.cases.services import reported_person_link
from lianqing.core.models import User
from lianqing.core.roles import Role
from lianqing.dossiers.models import Cadre, Unit
from lianqing.integrity.models import Warning
from lianqing.integrity.refresh import integrity_refresh
from tests.cases.factories import local_dt, register_case
from tests.dossiers.factories import UnitFactory, cadre_in_post

AS_OF = dt.date(2026, 10, 31)
RISE_MONTH = dt.date(2026, 10, 1)


@dataclass
class World:
    units: list[Unit]
    cadres: list[Cadre]
    rise_cases: list[Case]
    leader: User
    supervisor: User


def report(org, cadre: Cadre, when: dt.datetime, category: str = Category.SIFENG_DINING) -> Case:  # type: ignore[no-untyped-def]
    case = register_case(
        org,
        category=category,
        received_at=when,
        persons=[{"name": cadre.name, "org_name": "", "position": ""}],
    )
    for person in reported_person_list(case_ids=[case.pk]):
        reported_person_link(person_id=person["pk"], cadre_key=str(cadre.pk))
    return case


@pytest.fixture(autouse=True)
def _fresh_cockpit_cache() -> None:
    # The cockpit keeps its unit figures in the (per-process) cache; each test's data is new.
    cache.clear()


@pytest.fixture
def world(org_tree, make_user) -> World:  # type: ignore[no-untyped-def]
    org = org_tree.township_a
    units = [
        UnitFactory(code="U-A", name="甲镇人民政府", org=org, region_code=org.region_code),
        UnitFactory(code="U-B", name="甲镇财政所", org=org, region_code=org.region_code),
    ]
    cadres = [
        cadre_in_post(org=org, name="张立新", unit=units[0], position="镇长", serial=1),
        cadre_in_post(org=org, name="李红", unit=units[0], position="副镇长", serial=2),
        cadre_in_post(org=org, name="王强", unit=units[1], position="所长", serial=3),
    ]
    # One report a month about 甲镇 for twenty months, then eight in October 2026.
    for month in range(1, 21):
        year, number = (2025, month) if month <= 12 else (2026, month - 12)
        report(org, cadres[month % 2], local_dt(year, number, 10))
    rise = [report(org, cadres[0], local_dt(2026, 10, 3 + 3 * n)) for n in range(8)]
    leader = make_user(Role.LEADER, org=org_tree.commission, username="leader")
    supervisor = make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="supervisor")
    return World(units=units, cadres=cadres, rise_cases=rise, leader=leader, supervisor=supervisor)


@pytest.fixture
def refreshed(world) -> World:  # type: ignore[no-untyped-def]
    integrity_refresh(as_of=AS_OF)
    return world


@pytest.fixture
def rise_warning(refreshed) -> Warning:  # type: ignore[no-untyped-def]
    return Warning.objects.get(unit_code="U-A", kind="苗头性", month=RISE_MONTH)
