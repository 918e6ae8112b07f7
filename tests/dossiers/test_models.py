from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError

from lianqing.dossiers.models import IMPACT_MONTHS, Sanction, SanctionKind
from tests.dossiers.factories import CadreFactory


@pytest.mark.parametrize(
    ("kind", "until"),
    [
        (SanctionKind.GOV_WARNING, dt.date(2025, 7, 31)),  # 政务处分法 第22条: 6 months
        (SanctionKind.GOV_DEMERIT, dt.date(2026, 1, 31)),  # 12
        (SanctionKind.GOV_MAJOR_DEMERIT, dt.date(2026, 7, 31)),  # 18
        (SanctionKind.GOV_DEMOTION, dt.date(2027, 1, 31)),  # 24
        (SanctionKind.GOV_DISMISSAL_FROM_POST, dt.date(2027, 1, 31)),
        (SanctionKind.PARTY_WARNING, dt.date(2026, 1, 31)),  # 纪律处分条例: one year
        (SanctionKind.PARTY_SERIOUS_WARNING, dt.date(2026, 7, 31)),
        (SanctionKind.ADMONITION, dt.date(2025, 7, 31)),  # 诫勉: six months
        (SanctionKind.EXPULSION, None),
    ],
    ids=lambda v: str(v),
)
def test_impact_period_follows_the_kind(kind, until):
    sanction = Sanction(kind=kind, decided_on=dt.date(2025, 1, 31))
    assert sanction.impact_until == until
    assert sanction.in_impact_period(dt.date(2025, 7, 30))
    if until:
        assert not sanction.in_impact_period(until)


def test_every_kind_has_an_impact_period():
    assert set(IMPACT_MONTHS) == set(SanctionKind)


def test_the_registry_never_holds_a_person_twice(org_tree):
    CadreFactory(org=org_tree.commission, person_id="370124197503010019")
    with pytest.raises(IntegrityError):
        CadreFactory(org=org_tree.commission, person_id="370124197503010019")


def test_cadres_without_an_id_may_be_several(org_tree):
    CadreFactory(org=org_tree.commission, person_id="")
    CadreFactory(org=org_tree.commission, person_id="")
