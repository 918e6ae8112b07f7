"""No empty home page: every role's 工作台 shows its to-dos with counts; a leader's is the cockpit."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lianqing.core.roles import Role


@pytest.mark.parametrize("role", list(Role), ids=[role.name for role in Role])
def test_every_role_has_counted_to_dos_on_the_home_page(org_tree, make_user, client_for, role):
    org = org_tree.commission if role in (Role.LEADER, Role.ADMIN) else org_tree.supervision_office
    user = make_user(role, org=org, username=f"u-{role.name.lower()}")
    text = client_for(user).get(reverse("core:home"), follow=True).content.decode()
    if role == Role.LIAISON:  # a liaison's 工作台 is their unit's task list, with its counts
        assert re.search(r'id="unit-counts">[^<]*\d', text), f"{role}: no counted tasks on the home page"
        return
    counts = re.findall(r'id="(?:workload|todo)-[\w-]+">(\d*)<', text)
    assert counts, f"{role}: no to-do with a count on the home page"
    if role == Role.LEADER:
        assert 'id="home-cockpit"' in text
        assert 'id="cockpit-data"' in text
    else:
        assert 'id="home-cockpit"' not in text


def test_a_leader_sees_the_open_warnings_counted(refreshed, rise_warning, client_for):
    from lianqing.integrity.models import Warning

    text = client_for(refreshed.leader).get(reverse("core:home")).content.decode()
    shown = re.search(r'data-kind="苗头性">(\d+)<', text)
    assert shown is not None
    assert (
        int(shown.group(1)) == Warning.objects.filter(kind="苗头性").count() >= 1
    )  # the unit's and its region's
    assert "甲镇人民政府" in text
