"""Resetting a colleague's password or re-issuing their enrolment code takes two people, like a
role grant: the administrator's request changes nothing until a 领导 confirms; both are audited."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lianqing.core import grants
from lianqing.core.models import AuditEvent, GrantKind, GrantStatus, RoleGrantRequest, TotpEnrolmentCode
from lianqing.core.otp import enrolment_code_check, enrolment_code_request
from lianqing.core.roles import Role
from tests.core.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

TEMPORARY = "Temp-Password-123"


@pytest.fixture
def people(org_tree, make_user):
    admin_user = make_user(
        Role.ADMIN, org=org_tree.commission, username="root", is_superuser=True, is_staff=True
    )
    leader = make_user(Role.LEADER, org=org_tree.commission, username="leader")
    colleague = make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    colleague.last_login = timezone.now()  # someone who already works with the system
    colleague.save(update_fields=["last_login"])
    return admin_user, leader, colleague


def _reset_in_admin(client, colleague):
    return client.post(
        reverse("admin:auth_user_password_change", args=[colleague.pk]),
        {"password1": TEMPORARY, "password2": TEMPORARY, "usable_password": "true"},
    )


def _decide(client, grant, decision="confirm"):
    return client.post(reverse("core:grants"), {"grant_id": grant.pk, "decision": decision})


def test_password_reset_waits_for_a_leader_then_forces_a_change(people, client_for):
    admin_user, leader, colleague = people

    response = _reset_in_admin(client_for(admin_user), colleague)

    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password(TEST_PASSWORD)  # nothing changed yet
    grant = RoleGrantRequest.objects.get(user=colleague, kind=GrantKind.PASSWORD, status=GrantStatus.PENDING)
    assert TEMPORARY not in grant.secret_hash
    assert AuditEvent.objects.filter(
        actor=admin_user, details__step="requested", details__kind="password"
    ).exists()

    page = client_for(leader).get(reverse("core:grants")).content.decode()
    assert "重设密码" in page
    assert _decide(client_for(leader), grant).status_code == 302

    colleague.refresh_from_db()
    assert colleague.check_password(TEMPORARY)
    assert colleague.must_change_password
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CONFIRMED
    assert grant.decided_by == leader
    assert grant.secret_hash == ""  # no password hash kept beside the request
    assert AuditEvent.objects.filter(
        actor=leader, details__step="confirmed", details__kind="password"
    ).exists()


def test_refused_reset_changes_nothing(people, client_for):
    admin_user, leader, colleague = people
    _reset_in_admin(client_for(admin_user), colleague)
    grant = RoleGrantRequest.objects.get(user=colleague, kind=GrantKind.PASSWORD)
    _decide(client_for(leader), grant, "refuse")
    colleague.refresh_from_db()
    assert colleague.check_password(TEST_PASSWORD)
    grant.refresh_from_db()
    assert (grant.status, grant.secret_hash) == (GrantStatus.REFUSED, "")
    assert AuditEvent.objects.filter(actor=leader, details__step="refused", details__kind="password").exists()


def test_nobody_confirms_a_reset_of_their_own_making_or_their_own_account(people, make_user, org_tree):
    admin_user, leader, colleague = people
    other_leader = make_user(Role.LEADER, org=org_tree.commission, username="leader2")
    own = grants.credential_reset_request(
        user=leader, kind=GrantKind.PASSWORD, secret_hash="x", by=admin_user
    )
    made = grants.credential_reset_request(
        user=colleague, kind=GrantKind.PASSWORD, secret_hash="x", by=leader
    )
    with pytest.raises(grants.GrantRefusedError):
        grants.role_grant_confirm(grant_id=own.pk, by=leader)  # his own account
    with pytest.raises(grants.GrantRefusedError):
        grants.role_grant_confirm(grant_id=made.pk, by=leader)  # his own request
    with pytest.raises(grants.GrantRefusedError):
        grants.role_grant_confirm(grant_id=made.pk, by=admin_user)  # not a 领导
    grants.role_grant_confirm(grant_id=made.pk, by=other_leader)
    colleague.refresh_from_db()
    assert colleague.password == "x"


def test_a_second_request_replaces_the_pending_one(people):
    admin_user, _leader, colleague = people
    first = grants.credential_reset_request(
        user=colleague, kind=GrantKind.PASSWORD, secret_hash="a", by=admin_user
    )
    second = grants.credential_reset_request(
        user=colleague, kind=GrantKind.PASSWORD, secret_hash="b", by=admin_user
    )
    assert first.pk == second.pk
    assert RoleGrantRequest.objects.get(pk=first.pk).secret_hash == "b"


def test_reissued_enrolment_code_opens_nothing_until_a_leader_confirms(people, client_for):
    admin_user, leader, colleague = people
    response = client_for(admin_user).post(
        reverse("admin:core_user_changelist"),
        {"action": "issue_enrolment_codes", "_selected_action": [colleague.pk]},
    )
    body = response.content.decode()
    code = body.split("<td><code>")[1].split("</code>")[0]
    assert "enrolment-pending" in body
    assert not TotpEnrolmentCode.objects.filter(user=colleague).exists()
    assert not enrolment_code_check(user=colleague, code=code)

    grant = RoleGrantRequest.objects.get(user=colleague, kind=GrantKind.ENROLMENT, status=GrantStatus.PENDING)
    _decide(client_for(leader), grant)

    assert enrolment_code_check(user=colleague, code=code)
    assert AuditEvent.objects.filter(
        actor=leader, details__step="confirmed", details__kind="enrolment"
    ).exists()
    assert AuditEvent.objects.filter(actor=admin_user, details__step="enrolment_code_issued").exists()


def test_first_code_for_an_unused_account_is_valid_at_once(org_tree, make_user, people):
    admin_user, _leader, _colleague = people
    newcomer = make_user(org=org_tree.petition_office, username="newcomer")
    issued = enrolment_code_request(user=newcomer, by=admin_user)
    assert not issued.pending
    assert enrolment_code_check(user=newcomer, code=issued.code)


def test_console_reissue_is_a_request_once_a_leader_could_confirm(people, capsys):
    _admin_user, _leader, colleague = people
    call_command("enrolment_code", "--username", colleague.username)
    assert "确认后才生效" in capsys.readouterr().out
    assert not TotpEnrolmentCode.objects.filter(user=colleague).exists()
    assert RoleGrantRequest.objects.filter(
        user=colleague, kind=GrantKind.ENROLMENT, requested_by=None
    ).exists()
