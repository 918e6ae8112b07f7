"""The 工作台: case counts that link to their lists, and a "more" link past the first notices."""

from __future__ import annotations

import re

from django.urls import reverse

from lianqing.core.roles import Role
from lianqing.core.services import notification_send
from tests.cases.factories import act, local_dt, register_case


def _badge(body: str, key: str) -> str:
    match = re.search(rf'id="workload-{key}">(\d+)<', body)
    assert match, key
    return match.group(1)


def test_workbench_counts_link_to_the_lists(org_tree, make_user, client_for):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    handler = make_user(Role.SUPERVISION, org=org_tree.supervision_office)
    register_case(org_tree.commission, received_at=local_dt(2025, 1, 6))  # long overdue
    mine = register_case(org_tree.commission)
    act(mine, "accept", officer)
    act(mine, "assign", officer, to_org=org_tree.supervision_office, handler=handler)
    unclaimed = register_case(org_tree.commission)
    act(unclaimed, "accept", officer)
    act(unclaimed, "assign", officer, to_org=org_tree.supervision_office)

    body = client_for(officer).get(reverse("core:home")).content.decode()
    assert _badge(body, "overdue") == "1"
    assert _badge(body, "unclaimed") == "1"
    handler_home = client_for(handler).get(reverse("core:home")).content.decode()
    assert _badge(handler_home, "mine") == "1"
    assert _badge(handler_home, "unclaimed") == "1"  # on the department's to-do list
    assert f'href="{reverse("cases:inbox")}?unclaimed=1"' in handler_home


def test_workbench_shows_the_unread_count_and_a_more_link(org_tree, make_user, client_for):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    for index in range(7):
        notification_send(recipient=officer, title=f"通知{index}")
    body = client_for(officer).get(reverse("core:home")).content.decode()
    assert re.search(r'id="unread-count">7<', body)
    assert 'id="notifications-more"' in body
    assert "更多（共 7 条未读）" in body


def test_no_case_card_for_roles_without_cases(org_tree, make_user, client_for):
    analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission)
    body = client_for(analyst).get(reverse("core:home")).content.decode()
    assert 'id="case-workload"' not in body
