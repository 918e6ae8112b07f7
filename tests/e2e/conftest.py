"""Browser tests: real Debian Chromium driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: object) -> Iterator[object]:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def totp_now(user: object) -> str:
    """The current TOTP token of the user's confirmed device (what the phone app would show)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    # A token is good once (django-otp refuses a replay): a second sign-in within the same step
    # types the next step's code, which the device accepts within its own tolerance (a phone whose
    # clock runs a step ahead), instead of waiting up to 30 s for the step to pass.
    while True:
        now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        ahead = max(0, device.last_t + 1 - now.t())
        if ahead <= device.tolerance:
            now.drift += ahead
            return f"{now.token():06d}"
        time.sleep(0.5)


def staff_login(page: object, base_url: str, user: object) -> None:
    """Sign in through the real login and second-factor pages, as a staff member would."""
    from tests.core.factories import TEST_PASSWORD

    page.goto(f"{base_url}/staff/")  # type: ignore[attr-defined]
    page.fill("#id_username", user.username)  # type: ignore[attr-defined]
    page.fill("#id_password", TEST_PASSWORD)  # type: ignore[attr-defined]
    page.click("#login-submit")  # type: ignore[attr-defined]
    page.wait_for_url("**/staff/otp/**")  # type: ignore[attr-defined]
    page.fill("#id_token", totp_now(user))  # type: ignore[attr-defined]
    page.click("#otp-submit")  # type: ignore[attr-defined]
    page.wait_for_selector("#staff-home-title")  # type: ignore[attr-defined]


@pytest.fixture
def officer(org_tree: object, make_user: object) -> object:
    """A 信访室 officer ("xinfang") with a confirmed authenticator, for `staff_login`."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lianqing.core.roles import Role

    user = make_user(Role.PETITION, org=org_tree.petition_office, username="xinfang")  # type: ignore[attr-defined,operator]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user
