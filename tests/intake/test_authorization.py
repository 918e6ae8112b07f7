"""Every staff URL of intake in one authorization matrix: anonymous, another jurisdiction, a wrong
role, the right role; a denied request changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lianqing.core.roles import Role
from lianqing.intake.custodian import identity_request_create
from lianqing.intake.models import IdentityRequest, Message, Report, ReportRecipient, StaffKey
from tests.intake.conftest import PASSPHRASE, give_key

# url name -> (method, what the URL is about, POST data, the right role's status)
STAFF_URLS: dict[str, tuple[str, str, dict[str, str], int]] = {
    "intake:staff_report_list": ("GET", "", {}, 200),
    "intake:staff_report_detail": ("GET", "report", {}, 200),
    "intake:staff_report_unlock": ("POST", "report", {"passphrase": "wrong passphrase!"}, 302),
    "intake:staff_report_lock": ("POST", "report", {}, 302),
    "intake:staff_report_review": ("POST", "report", {}, 302),
    "intake:staff_report_question": ("POST", "report", {"body": "请补充发生的具体日期"}, 302),
    "intake:staff_attachment_download": ("GET", "attachment", {}, 302),  # locked: back to unlock first
    "intake:staff_key": ("GET", "", {}, 200),
    "intake:staff_key_grant": ("POST", "colleague", {"passphrase": PASSPHRASE}, 302),
    "intake:identity_requests": ("GET", "", {}, 200),
    "intake:identity_request_decision": ("POST", "request", {"decision": "refuse", "note": "不同意"}, 302),
    "intake:identity_request": ("POST", "report", {"reason": "核实举报人身份以便约谈"}, 302),
}
WHO = ["anonymous", "other-jurisdiction", "wrong-role", "right-role"]


@pytest.fixture
def world(intake_env, org_tree, make_user, client, django_capture_on_commit_callbacks):
    """A named report with a file, a pending identity request, a colleague without grants."""
    from tests.intake.test_views import _submit_named

    report, _ = _submit_named(client, django_capture_on_commit_callbacks)
    leader = make_user(Role.LEADER, org=org_tree.commission, username="ld")
    give_key(leader)
    requester = make_user(Role.PETITION, org=org_tree.petition_office, username="asker")
    give_key(requester)
    request_row = identity_request_create(report=report, user=requester, reason="核实身份")
    people = {
        "right-role": leader,
        "other-jurisdiction": make_user(Role.LEADER, org=org_tree.township_b, username="town_ld"),
        "wrong-role": make_user(Role.DATA_ANALYSIS, org=org_tree.commission, username="analyst"),
    }
    give_key(people["other-jurisdiction"])
    objects = {
        "report": [report.pk],
        "attachment": [report.pk, report.attachments.first().pk],
        "colleague": [requester.pk],
        "request": [request_row.pk],
    }
    return people, objects


def _footprint() -> tuple[object, ...]:
    return (
        Message.objects.count(),
        sorted(IdentityRequest.objects.values_list("pk", "status")),
        ReportRecipient.objects.count(),
        StaffKey.objects.filter(retired_at__isnull=True).count(),
        Message.objects.filter(reviewed_at__isnull=False).count(),
        Report.objects.count(),
    )


def test_the_matrix_lists_every_intake_staff_url():
    from lianqing.intake.urls import urlpatterns

    public = {"report_form", "region_options", "captcha", "track", "track_status", "track_leave", None}
    assert {f"intake:{p.name}" for p in urlpatterns if getattr(p, "name", None) not in public} == set(
        STAFF_URLS
    )


@pytest.mark.parametrize("who", WHO)
def test_every_intake_staff_url_for_every_kind_of_user(world, client_for, who):
    people, objects = world
    failures = []
    for name, (method, about, data, allowed) in STAFF_URLS.items():
        http = Client() if who == "anonymous" else client_for(people[who])
        before = _footprint()
        url = reverse(name, args=objects[about] if about else [])
        status = (http.get(url) if method == "GET" else http.post(url, data)).status_code
        if who == "anonymous":
            expected = {302}  # to the login page
        elif who == "right-role":
            expected = {allowed}
        elif who == "wrong-role":
            expected = {404}  # the same answer as for a page that does not exist
        elif about:  # a 领导 elsewhere: our reports do not exist for them
            expected = {404, 302} if name == "intake:staff_key_grant" else {404}
        else:
            expected = {200}  # their own (empty) list and key page
        if status not in expected:
            failures.append(f"{who} {method} {name}: {status}, expected {sorted(expected)}")
        if who != "right-role" and _footprint() != before:
            failures.append(f"{who} {method} {name}: a denied request changed something")
    assert failures == []
