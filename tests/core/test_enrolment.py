"""First login: the TOTP secret only after a one-time enrolment code; then one's own password."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.core.models import AuditEvent, GrantStatus, RoleGrantRequest, TotpEnrolmentCode, User
from lianqing.core.otp import ENROLMENT_CODE_ATTEMPTS, enrolment_code_issue
from lianqing.core.roles import Role
from tests.core.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mine-Only-Secret-77"


def _signed_in(username: str) -> Client:
    client = Client()
    client.post(reverse("core:login"), {"username": username, "password": TEST_PASSWORD})
    return client


def test_password_alone_never_shows_the_enrolment_secret(org_tree, make_user):
    user = make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    client = _signed_in("xf")
    page = client.get(reverse("core:otp")).content.decode()
    assert "绑定码" in page
    assert 'id="totp-secret"' not in page
    assert "otpauth" not in page
    assert not TOTPDevice.objects.filter(user=user).exists()  # no secret even generated


@pytest.mark.parametrize(
    "case",
    [
        pytest.param("wrong", id="wrong-code"),
        pytest.param("expired", id="expired-code"),
        pytest.param("other-users", id="someone-elses-code"),
    ],
)
def test_bad_enrolment_codes_are_refused(org_tree, make_user, case):
    user = make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    other = make_user(Role.PETITION, org=org_tree.petition_office, username="other")
    code = enrolment_code_issue(user=user, by=None)
    other_code = enrolment_code_issue(user=other, by=None)
    if case == "expired":
        TotpEnrolmentCode.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    typed = {"wrong": "AAAA-BBBB-CCCC", "expired": code, "other-users": other_code}[case]
    client = _signed_in("xf")
    page = client.post(reverse("core:otp"), {"code": typed}).content.decode()
    assert "绑定码不正确" in page
    assert 'id="totp-secret"' not in page
    assert AuditEvent.objects.filter(action="login_failed", details__step="enrolment_code").exists()


def test_guessing_voids_the_code(org_tree, make_user):
    user = make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    code = enrolment_code_issue(user=user, by=None)
    client = _signed_in("xf")
    for _ in range(ENROLMENT_CODE_ATTEMPTS):
        client.post(reverse("core:otp"), {"code": "AAAA-BBBB-CCCC"})
    page = client.post(reverse("core:otp"), {"code": code}).content.decode()
    assert 'id="totp-secret"' not in page  # even the right code no longer works
    assert not TotpEnrolmentCode.objects.filter(user=user).exists()


def test_code_is_stored_hashed_and_shown_once_in_the_admin(org_tree, make_user, client_for):
    admin_user = make_user(Role.ADMIN, org=org_tree.commission, is_superuser=True, is_staff=True)
    newcomer = make_user(org=org_tree.petition_office, username="newcomer")
    response = client_for(admin_user).post(
        reverse("admin:core_user_changelist"),
        {"action": "issue_enrolment_codes", "_selected_action": [newcomer.pk]},
    )
    assert response.status_code == 200
    body = response.content.decode()
    stored = TotpEnrolmentCode.objects.get(user=newcomer)
    code = body.split("<td><code>")[1].split("</code>")[0]
    assert len(code) == 14
    assert code not in stored.code_hash
    assert code.replace("-", "") not in stored.code_hash
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(actor=admin_user, details__step="enrolment_code_issued").exists()


def test_account_created_by_admin_must_change_password_first(org_tree, make_user, client_for):
    admin_user = make_user(Role.ADMIN, org=org_tree.commission, is_superuser=True, is_staff=True)
    client_for(admin_user).post(
        reverse("admin:core_user_add"),
        {
            "username": "fresh",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
            "usable_password": "true",
        },
    )
    fresh = User.objects.get(username="fresh")
    assert fresh.must_change_password
    client = client_for(fresh)  # second factor done; the password is still the administrator's
    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("core:password_change"))
    page = client.get(home["Location"]).content.decode()
    assert 'id="password-change-required"' in page
    done = client.post(
        reverse("core:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    fresh.refresh_from_db()
    assert not fresh.must_change_password
    assert fresh.check_password(NEW_PASSWORD)
    assert client.get(reverse("core:home")).status_code == 200  # the session survived the change
    assert AuditEvent.objects.filter(actor=fresh, details__step="password_changed").exists()


def test_password_reset_by_admin_forces_a_change(org_tree, make_user, client_for):
    admin_user = make_user(Role.ADMIN, org=org_tree.commission, is_superuser=True, is_staff=True)
    leader = make_user(Role.LEADER, org=org_tree.commission, username="leader")
    staff = make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    client_for(admin_user).post(
        reverse("admin:auth_user_password_change", args=[staff.pk]),
        {"password1": "Temp-Password-123", "password2": "Temp-Password-123", "usable_password": "true"},
    )
    grant = RoleGrantRequest.objects.get(user=staff, status=GrantStatus.PENDING)  # two people
    client_for(leader).post(reverse("core:grants"), {"grant_id": grant.pk, "decision": "confirm"})
    staff.refresh_from_db()
    assert staff.check_password("Temp-Password-123")
    assert staff.must_change_password
    assert AuditEvent.objects.filter(
        object_type="core.rolegrantrequest", details__kind="password", details__step="confirmed"
    ).exists()


def test_enrolment_code_command_prints_a_code_once(org_tree, make_user, capsys):
    user = make_user(org=org_tree.petition_office, username="cli")
    call_command("enrolment_code", "--username", "cli")
    out = capsys.readouterr().out
    assert "绑定码" in out
    assert TotpEnrolmentCode.objects.filter(user=user).exists()


def test_admin_can_neither_read_nor_plant_a_totp_secret(org_tree, make_user, client_for):
    admin_user = make_user(Role.ADMIN, org=org_tree.commission, is_superuser=True, is_staff=True)
    staff = make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client = client_for(admin_user)
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    assert device.key not in client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    planted = client.post(
        "/admin/otp_totp/totpdevice/add/",
        {"user": staff.pk, "name": "planted", "key": "3132333435363738393031323334353637383930", "confirmed": "on",
         "step": 30, "t0": 0, "digits": 6, "tolerance": 1, "drift": 0},
    )  # fmt: skip
    assert planted.status_code == 403
    assert not TOTPDevice.objects.filter(name="planted").exists()
