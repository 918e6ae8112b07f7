"""A staff member signs in with password and TOTP in a real browser and reaches the staff home."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.core.models import AuditEvent
from lianqing.core.roles import Role
from tests.core.factories import TEST_PASSWORD
from tests.e2e.conftest import totp_now

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_login_with_second_factor_reaches_home(live_server, page, org_tree, make_user, artifacts_dir):
    # Given a petition officer with a confirmed TOTP device
    user = make_user(Role.PETITION, org=org_tree.petition_office, username="xinfang")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    # When they sign in with password, then the token their phone shows
    page.goto(f"{live_server.url}/staff/")
    page.fill("#id_username", "xinfang")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/staff/otp/**")
    page.fill("#id_token", totp_now(user))
    page.click("#otp-submit")

    # Then the staff home shows their name, org and role, and the log has both steps
    page.wait_for_selector("#staff-home-title")
    body = page.inner_text("body")
    assert "信访室" in body
    assert "信访" in body
    page.screenshot(path=str(artifacts_dir / "staff_home.png"))
    steps = list(
        AuditEvent.objects.filter(actor=user, action="login").values_list("details__step", flat=True)
    )
    assert sorted(steps) == ["password", "totp"]


def test_wrong_password_shows_message_and_is_audited(live_server, page, org_tree, make_user):
    make_user(Role.PETITION, org=org_tree.petition_office, username="xinfang")
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", "xinfang")
    page.fill("#id_password", "wrong-password")
    page.click("#login-submit")
    assert "用户名或密码不正确" in page.inner_text("#login-error")
    assert AuditEvent.objects.filter(action="login_failed", details__username="xinfang").count() == 1
