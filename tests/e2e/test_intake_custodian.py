"""Staff in the browser: a new 领导 sets a personal passphrase, a 信访 colleague grants an older
report, asks to read the reporter's identity, and the 领导 approves; then the identity shows."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.core.roles import Role
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.services import ReportDraft, ReporterIdentity, report_submit
from tests.e2e.conftest import staff_login
from tests.intake.conftest import (  # noqa: F401 (fixtures)
    PASSPHRASE,
    REPORTER_ID,
    REPORTER_NAME,
    REPORTER_PHONE,
    give_key,
    intake_env,
    intake_key_dir,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    return errors


@pytest.mark.usefixtures("intake_env")
def test_passphrase_grant_request_and_approval(live_server, browser, org_tree, make_user, artifacts_dir):
    petition = make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    leader = make_user(Role.LEADER, org=org_tree.commission, username="ld")
    for person in (petition, leader):
        TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    give_key(petition)
    challenge = challenge_issue()
    report = report_submit(
        draft=ReportDraft(
            category="sifeng_gifts",
            region_code="370124",
            description="某局局长春节前收受下属单位送的购物卡和微信红包，合计数万元。",
            persons=[{"name": "刘某", "org_name": "县某局", "position": "局长"}],
            identity=ReporterIdentity(name=REPORTER_NAME, id_number=REPORTER_ID, phone=REPORTER_PHONE),
        ),
        uploads=[],
        token=challenge.token,
        proof=proof_solve(challenge.token, challenge.bits),
        client="e2e",
    ).report
    url = live_server.url
    contexts = []

    def login(user):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        errors = _console_errors(page)
        staff_login(page, url, user)
        return page, errors

    # The new leader sets a personal passphrase (the report came before: not yet theirs)
    boss, boss_errors = login(leader)
    boss.goto(f"{url}/staff/reports/my-key/")
    boss.fill("#id_passphrase", "the leader's own passphrase")
    boss.fill("#id_repeat", "the leader's own passphrase")
    boss.click("#key-setup-submit")
    boss.wait_for_selector("#key-ready")
    boss.goto(f"{url}/staff/reports/{report.pk}/")
    assert boss.is_visible("#not-recipient")

    # The 信访 colleague unlocks, grants the report to the leader and asks to read the identity
    clerk, clerk_errors = login(petition)
    clerk.goto(f"{url}/staff/reports/{report.pk}/")
    clerk.fill("#id_passphrase", PASSPHRASE)
    clerk.click("#unlock-submit")
    clerk.wait_for_selector("#lock-submit")
    clerk.goto(f"{url}/staff/reports/my-key/")
    clerk.click("#missing-recipients button")
    clerk.wait_for_selector("text=已为")
    clerk.goto(f"{url}/staff/reports/{report.pk}/")
    assert REPORTER_NAME not in clerk.content()
    clerk.fill("#id_reason", "需要约谈举报人核实购物卡来源")
    clerk.click("#identity-request-submit")
    clerk.wait_for_selector("#identity-pending")

    # The leader approves on the custodian's page
    boss.goto(f"{url}/staff/reports/identity-requests/")
    assert "需要约谈举报人核实购物卡来源" in boss.inner_text("#identity-requests")
    boss.screenshot(path=str(artifacts_dir / "intake_identity_requests.png"), full_page=True)
    boss.click("#identity-requests button[value='approve']")
    boss.wait_for_selector("text=没有待审批的申请")
    boss.goto(f"{url}/staff/reports/{report.pk}/")
    assert boss.is_visible("#unlock-form")  # now a recipient: the leader can unlock it

    # Then the identity shows to the requester
    clerk.goto(f"{url}/staff/reports/{report.pk}/")
    assert REPORTER_NAME in clerk.inner_text("#reporter-identity")
    clerk.screenshot(path=str(artifacts_dir / "intake_identity_shown.png"), full_page=True)
    assert boss_errors == []
    assert clerk_errors == []
    for context in contexts:
        context.close()
