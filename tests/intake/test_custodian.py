"""The identity custodian: a named reporter's identity is read only with a reason and a second
person's approval; every step is audited; no list, export or API answer carries the identity."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from lianqing.core.models import AuditEvent, Notification
from lianqing.core.roles import Role
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.custodian import identity_request_create, identity_request_decide
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import IdentityRequestStatus, Report
from lianqing.intake.selectors import report_identity_read
from tests.intake.conftest import (
    PASSPHRASE,
    REPORTER_ID,
    REPORTER_NAME,
    REPORTER_PHONE,
    give_key,
    image_upload,
    named_form_data,
    unlock,
)

RECEIPT = re.compile(r'id="receipt-code">(\d{4} \d{4} \d{4} \d{4})<')


@pytest.fixture
def people(intake_env, org_tree, make_user):
    people = {
        "petition": make_user(Role.PETITION, org=org_tree.petition_office, username="xf"),
        "leader": make_user(Role.LEADER, org=org_tree.commission, username="ld"),
        "leader2": make_user(Role.LEADER, org=org_tree.commission, username="ld2"),
        "township_leader": make_user(Role.LEADER, org=org_tree.township_a, username="town_ld"),
    }
    for person in people.values():
        give_key(person)
    return people


@pytest.fixture
def named(client, people, django_capture_on_commit_callbacks) -> tuple[Report, str]:
    challenge = challenge_issue()
    data = {
        **named_form_data(),
        "token": challenge.token,
        "proof": proof_solve(challenge.token, challenge.bits),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:report_form"), {**data, "attachments": [image_upload()]})
    assert response.status_code == 200
    return Report.objects.get(), RECEIPT.search(response.content.decode()).group(1)


def test_identity_needs_a_reason_and_another_leaders_approval(people, named):
    report, _ = named
    petition, leader, leader2 = people["petition"], people["leader"], people["leader2"]
    key = unlock(petition)
    with pytest.raises(IntakeError, match="理由"):
        identity_request_create(report=report, user=petition, reason=" ")
    row = identity_request_create(report=report, user=petition, reason="需要约谈举报人核实细节")
    # a pending request shows nothing
    assert report_identity_read(report=report, private_key=key, user=petition) is None
    # the custodian hears of it at once
    assert Notification.objects.filter(recipient=leader, link=reverse("intake:identity_requests")).exists()
    # nobody approves their own request, a 信访 cannot approve, nor a leader of another jurisdiction
    with pytest.raises(IntakeError, match="自己"):
        identity_request_decide(row=row, by=petition, approve=True)
    with pytest.raises(IntakeError, match="领导"):
        identity_request_decide(row=row, by=people["township_leader"], approve=True)
    identity_request_decide(row=row, by=leader, approve=True, note="同意约谈")
    identity = report_identity_read(report=report, private_key=key, user=petition)
    assert (identity.name, identity.id_number, identity.phone) == (REPORTER_NAME, REPORTER_ID, REPORTER_PHONE)
    # the approval is the requester's alone: the approving leader still needs their own
    assert report_identity_read(report=report, private_key=unlock(leader), user=leader) is None
    own = identity_request_create(report=report, user=leader, reason="复核")
    with pytest.raises(IntakeError, match="自己"):
        identity_request_decide(row=own, by=leader, approve=True)
    identity_request_decide(row=own, by=leader2, approve=False, note="无必要")
    assert report_identity_read(report=report, private_key=unlock(leader), user=leader) is None
    # request, decisions and reading are audited as typed events
    events = [
        e.details.get("event") or e.details.get("read")
        for e in AuditEvent.objects.filter(object_type="intake.report").order_by("seq")
    ]
    assert events[-5:] == [
        "identity_requested",
        "identity_approved",
        "identity",
        "identity_requested",
        "identity_refused",
    ]
    read = AuditEvent.objects.get(details__read="identity")
    assert read.actor == petition
    assert read.details["request"] == row.pk


def test_request_and_approval_through_the_screens(client_for, people, named):
    report, _ = named
    petition = client_for(people["petition"])
    petition.post(reverse("intake:staff_report_unlock", args=[report.pk]), {"passphrase": PASSPHRASE})
    detail = petition.get(reverse("intake:staff_report_detail", args=[report.pk])).content.decode()
    assert 'id="identity-request-form"' in detail
    assert REPORTER_NAME not in detail
    petition.post(reverse("intake:identity_request", args=[report.pk]), {"reason": "需要约谈举报人"})
    assert (
        'id="identity-pending"'
        in petition.get(reverse("intake:staff_report_detail", args=[report.pk])).content.decode()
    )
    assert (
        "需要约谈举报人"
        not in client_for(people["petition"]).get(reverse("intake:identity_requests")).content.decode()
    )
    leader = client_for(people["leader"])
    queue = leader.get(reverse("intake:identity_requests")).content.decode()
    assert "需要约谈举报人" in queue
    row = report.identity_requests.get()
    leader.post(
        reverse("intake:identity_request_decision", args=[row.pk]), {"decision": "approve", "note": "同意"}
    )
    row.refresh_from_db()
    assert row.status == IdentityRequestStatus.APPROVED
    assert row.decided_by == people["leader"]
    detail = petition.get(reverse("intake:staff_report_detail", args=[report.pk])).content.decode()
    assert REPORTER_NAME in detail
    assert REPORTER_ID in detail


def test_identity_never_in_lists_exports_or_the_api(client, client_for, people, named):
    report, receipt = named
    petition = client_for(people["petition"])
    identity_request_decide(
        row=identity_request_create(report=report, user=people["petition"], reason="约谈"),
        by=people["leader"],
        approve=True,
    )
    petition.post(reverse("intake:staff_report_unlock", args=[report.pk]), {"passphrase": PASSPHRASE})
    assert (
        REPORTER_NAME
        in petition.get(reverse("intake:staff_report_detail", args=[report.pk])).content.decode()
    )
    # (even now that this person may read it, and holds the key unlocked)
    answers = {
        "report list": petition.get(reverse("intake:staff_report_list")).content,
        "case list": petition.get(reverse("cases:inbox")).content,
        "case detail": petition.get(reverse("cases:detail", args=[report.case_id])).content,
        "api track": client.post(
            "/api/reports/track", {"code": receipt}, content_type="application/json"
        ).content,
    }
    export = petition.get(reverse("cases:export"))
    assert export.status_code == 200
    # The cells as a reader sees them: the XML may hold non-ASCII text as character references.
    book = openpyxl.load_workbook(io.BytesIO(export.content), read_only=True)
    answers["export.xlsx"] = "\n".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row
    ).encode()
    assert "国庆期间多次用公款".encode() in answers["export.xlsx"]  # the export does hold the report
    for where, content in answers.items():
        for secret in (REPORTER_NAME, REPORTER_ID, REPORTER_PHONE):
            assert secret.encode() not in content, (where, secret)


@pytest.fixture
def english_then_back():
    yield
    translation.deactivate()  # the request's language stays active in this thread otherwise


def test_the_new_screens_read_in_english(client_for, people, named, english_then_back):
    report, _ = named
    petition = client_for(people["petition"])
    petition.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})
    pages = {
        "my key": petition.get(reverse("intake:staff_key")).content.decode(),
        "requests": petition.get(reverse("intake:identity_requests")).content.decode(),
        "detail": petition.get(reverse("intake:staff_report_detail", args=[report.pk])).content.decode(),
        "list": petition.get(reverse("intake:staff_report_list")).content.decode(),
    }
    assert "Your personal key is set up" in pages["my key"]
    assert "No pending requests" in pages["requests"]
    assert "Request the identity" in pages["detail"]
    assert "Personal passphrase" in pages["detail"]
    assert "New messages after closure" in pages["list"]
    for name, html in pages.items():
        for chinese in ("我的解密口令", "申请查看身份", "个人解密口令", "待审批", "结案后"):
            assert chinese not in html, (name, chinese)
