"""Names, not codes: regions read as GB/T 2260 names on the intake list, statistics and org pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lianqing.cases.statistics import Period, case_statistics
from lianqing.cases.tally import tally_rebuild_all
from lianqing.core.names import region_label
from lianqing.core.roles import Role
from tests.cases.factories import local_dt, register_case


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("370102", "济南市 历下区"),
        ("370124", "济南市 平阴县"),
        ("370124001", "济南市 平阴县"),  # a 乡镇 code reads as its county
        ("411521102", "信阳市 罗山县"),
        ("370100", "济南市"),
        ("370000", "山东省"),
        ("999999", ""),
        ("", ""),
    ],
)
def test_region_label(code, label):
    assert region_label(code) == label


@pytest.mark.django_db
def test_statistics_name_regions_and_keep_the_code_on_hover(org_tree, make_user, client_for):
    leader = make_user(Role.LEADER, org=org_tree.commission, username="leader")
    case = register_case(org_tree.commission, received_at=local_dt(2025, 1, 6))
    case.region_code = "370102"
    case.save(update_fields=["region_code"])
    tally_rebuild_all()  # changed outside the services, which keep the statistics' tallies
    stats = case_statistics(user=leader, period=Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31)))
    (row,) = stats["region"]
    assert (row["label"], row["title"], row["value"]) == ("济南市 历下区", "370102", 1)


@pytest.mark.django_db
def test_org_list_names_regions(org_tree, make_user, client_for):
    admin = make_user(Role.ADMIN, org=org_tree.commission, username="admin_a")
    body = client_for(admin).get(reverse("core:org_list")).content.decode()
    assert f'title="{org_tree.commission.region_code}"' in body
