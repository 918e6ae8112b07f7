"""Every staff URL of core in one authorization matrix: anonymous, another jurisdiction (a 领导
of a township's 纪委), a wrong role, the right role; a denied request changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lianqing.core.grants import role_grant_request
from lianqing.core.models import GrantStatus, Notification, RoleGrantRequest
from lianqing.core.roles import Role
from lianqing.core.services import notification_send

# url name -> (method, what it is about, POST data, {who: expected status})
ALL_STAFF = {"other-jurisdiction": 200, "wrong-role": 200, "right-role": 200}
STAFF_URLS: dict[str, tuple[str, str, dict[str, str], dict[str, int]]] = {
    "core:home": ("GET", "", {}, ALL_STAFF),
    "core:password_change": ("GET", "", {}, ALL_STAFF),
    "core:org_list": ("GET", "", {}, ALL_STAFF),  # each sees their own part of the tree
    "core:org_detail": ("GET", "org", {}, {"other-jurisdiction": 404, "wrong-role": 200, "right-role": 200}),
    "core:notifications": ("POST", "notice", {}, {"other-jurisdiction": 302, "wrong-role": 302, "right-role": 302}),
    "core:audit_list": ("GET", "", {}, {"other-jurisdiction": 403, "wrong-role": 403, "right-role": 200}),
    "core:audit_export": ("GET", "", {}, {"other-jurisdiction": 403, "wrong-role": 403, "right-role": 200}),
    "core:grants": ("POST", "grant", {"decision": "confirm"}, {"other-jurisdiction": 404, "wrong-role": 404, "right-role": 302}),
}  # fmt: skip
WHO = ["anonymous", "other-jurisdiction", "wrong-role", "right-role"]


@pytest.fixture
def world(org_tree, make_user):
    leader = make_user(Role.LEADER, org=org_tree.commission, username="lingdao")
    newcomer = make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="newcomer")
    grant = role_grant_request(user=newcomer, role=Role.INVESTIGATION, by=None)
    notification_send(recipient=leader, title="待办", link="/staff/", dedupe_key="matrix")
    notice = Notification.objects.get(dedupe_key="matrix")
    people = {
        "right-role": leader,
        "auditor": make_user(Role.AUDITOR, org=org_tree.commission, username="shenji"),
        "other-jurisdiction": make_user(Role.LEADER, org=org_tree.township_b, username="town_leader"),
        "wrong-role": make_user(Role.DATA_ANALYSIS, org=org_tree.commission, username="analyst"),
    }
    return people, {"org": org_tree.commission, "notice": notice, "grant": grant}


def _footprint() -> tuple[object, ...]:
    return (
        sorted(RoleGrantRequest.objects.values_list("pk", "status")),
        sorted(Notification.objects.values_list("pk", "read_at")),
    )


@pytest.mark.parametrize("who", WHO)
def test_every_core_staff_url_for_every_kind_of_user(world, client_for, who):
    people, objects = world
    failures = []
    for name, (method, about, data, expected) in STAFF_URLS.items():
        # The audit log is the 安全审计员's (三员分立), not a 领导's: the auditor is its right role.
        person = (
            people["auditor"] if who == "right-role" and name.startswith("core:audit") else people.get(who)
        )
        http = Client() if who == "anonymous" else client_for(person)
        before = _footprint()
        args = [objects[about].pk] if about == "org" else []
        if about == "notice":
            data = {"notification_id": str(objects["notice"].pk)}
        elif about == "grant":
            data = {**data, "grant_id": str(objects["grant"].pk)}
        url = reverse(name, args=args)
        status = (http.get(url) if method == "GET" else http.post(url, data)).status_code
        wanted = 302 if who == "anonymous" else expected[who]
        if status != wanted:
            failures.append(f"{who} {method} {name}: {status}, expected {wanted}")
        if who != "right-role" and _footprint() != before:
            failures.append(f"{who} {method} {name}: a denied request changed something")
    assert failures == []
    grant = RoleGrantRequest.objects.get(pk=objects["grant"].pk)
    assert (grant.status == GrantStatus.CONFIRMED) == (who == "right-role")
