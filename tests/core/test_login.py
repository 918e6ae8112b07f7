"""Sign-in: argon2 passwords, the TOTP second factor, lockout, and the audit trail of each step."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.core.models import AuditEvent, TotpEnrolmentCode
from lianqing.core.otp import enrolment_code_issue
from lianqing.core.roles import Role
from tests.core.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _sign_in(client: Client, username: str, password: str = TEST_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_production_hasher_is_argon2(org_tree, make_user):
    import importlib

    real_settings = importlib.import_module("lianqing.settings")
    with override_settings(PASSWORD_HASHERS=real_settings.PASSWORD_HASHERS):
        user = make_user(Role.PETITION, org=org_tree.petition_office)
        user.set_password("another-Secret-9")
        user.save()
        assert user.password.startswith("argon2$argon2id$")
        assert user.check_password("another-Secret-9")


def test_password_alone_does_not_open_staff_pages(org_tree, make_user):
    make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    client = Client()
    response = _sign_in(client, "xf")
    assert response.status_code == 302
    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("core:otp")


def test_enrolment_then_verification_opens_staff_pages(org_tree, make_user):
    user = make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    code = enrolment_code_issue(user=user, by=None)
    client = Client()
    _sign_in(client, "xf")
    client.post(reverse("core:otp"), {"code": code.lower().replace("-", " ")})  # typed loosely
    enrol_page = client.get(reverse("core:otp"))
    assert "绑定动态验证码" in enrol_page.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed

    bad = client.post(reverse("core:otp"), {"token": "000000" if _token(device) != "000000" else "111111"})
    assert "验证码不正确" in bad.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp throttles right after a failure, as it should
    good = client.post(reverse("core:otp"), {"token": _token(device)})
    assert good.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200
    steps = sorted(
        AuditEvent.objects.filter(actor=user, action="login").values_list("details__step", flat=True)
    )
    assert steps == ["enrolment_code", "password", "totp_enrolled"]
    assert not TotpEnrolmentCode.objects.filter(user=user).exists()  # used up


def test_repeated_failures_lock_the_account_even_for_the_right_password(org_tree, make_user):
    make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "xf", "wrong-password")
    locked = _sign_in(client, "xf")
    assert locked.status_code == 429
    assert "账号已暂时锁定" in locked.content.decode()
    assert client.get(reverse("core:home")).status_code == 302
    assert AuditEvent.objects.filter(action="login_failed").count() >= settings.AXES_FAILURE_LIMIT


def test_logout_is_audited_and_ends_the_session(org_tree, make_user, client_for):
    user = make_user(Role.PETITION, org=org_tree.petition_office)
    client = client_for(user)
    client.post(reverse("core:logout"))
    assert AuditEvent.objects.filter(actor=user, action="logout").count() == 1
    assert client.get(reverse("core:home")).status_code == 302


def test_next_parameter_cannot_send_users_elsewhere(org_tree, make_user):
    make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    client = Client()
    response = client.post(
        LOGIN, {"username": "xf", "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/staff/"
