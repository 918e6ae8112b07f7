"""Staff hear at once when a reporter writes; the list shows unread messages; a message after
closure reopens nothing and waits for the 信访室's review."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianqing.cases.models import Case, Status
from lianqing.core.models import Notification
from lianqing.core.roles import Role
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import Report
from lianqing.intake.notices import after_closure_review
from lianqing.intake.services import ReportDraft, report_submit, reporter_message_post
from tests.intake.conftest import image_upload

DRAFT = ReportDraft(
    category="sifeng_gifts",
    region_code="370124",
    description="某局局长春节前收受下属单位送的购物卡和微信红包，合计数万元。",
)


def _report() -> Report:
    challenge = challenge_issue()
    return report_submit(
        draft=DRAFT,
        uploads=[],
        token=challenge.token,
        proof=proof_solve(challenge.token, challenge.bits),
        client="n",
    ).report


@pytest.fixture
def office(intake_env, org_tree, make_user):
    return {
        "handler": make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="handler"),
        "petition": make_user(Role.PETITION, org=org_tree.petition_office, username="xf"),
        "township_petition": make_user(Role.PETITION, org=org_tree.township_a, username="town"),
        "case_manager": make_user(Role.CASE_MANAGEMENT, org=org_tree.case_office, username="ag"),
    }


def test_new_evidence_notifies_the_handler_and_the_petition_office_at_once(
    office, django_capture_on_commit_callbacks
):
    report = _report()
    Case.objects.filter(pk=report.case_id).update(handler=office["handler"])  # given: assigned
    report = Report.objects.get(pk=report.pk)
    with django_capture_on_commit_callbacks(execute=True):
        reporter_message_post(report=report, body="", uploads=[image_upload()], client="c")
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"handler", "xf", "keeper"}  # not the township's 信访, not 案管
    notice = Notification.objects.get(recipient=office["handler"])
    assert notice.link == f"/staff/reports/{report.pk}/"
    assert "结案" not in notice.title


def test_the_list_shows_unread_messages_until_someone_opens_the_report(client_for, office):
    report = _report()
    reporter_message_post(report=report, body="补充：还有一次是在十月五日。", uploads=[], client="c")
    reporter_message_post(report=report, body="另外还有一张照片稍后补充。", uploads=[], client="c")
    viewer = client_for(office["petition"])
    listing = viewer.get(reverse("intake:staff_report_list")).content.decode()
    assert "2 条未读" in listing
    viewer.get(reverse("intake:staff_report_detail", args=[report.pk]))
    assert "条未读" not in viewer.get(reverse("intake:staff_report_list")).content.decode()


def test_a_message_after_closure_reopens_nothing_and_is_flagged_for_review(client_for, office):
    report = _report()
    closed = _report()
    Case.objects.filter(pk=closed.case_id).update(status=Status.FED_BACK)  # given: answered and closed
    closed = Report.objects.get(pk=closed.pk)
    message = reporter_message_post(
        report=closed, body="处理结果我不认可，他还在继续收礼。", uploads=[], client="c"
    )
    assert message.after_closure
    assert Case.objects.get(pk=closed.case_id).status == Status.FED_BACK  # nothing reopened
    assert "请信访室复核" in Notification.objects.get(recipient=office["petition"]).title
    viewer = client_for(office["petition"])
    flagged = viewer.get(reverse("intake:staff_report_list"), {"review": "1"}).content.decode()
    assert f'href="/staff/reports/{closed.pk}/"' in flagged
    assert f'href="/staff/reports/{report.pk}/"' not in flagged
    detail = viewer.get(reverse("intake:staff_report_detail", args=[closed.pk])).content.decode()
    assert 'id="after-closure-flag"' in detail
    with pytest.raises(IntakeError):
        after_closure_review(report=closed, by=office["case_manager"])
    viewer.post(reverse("intake:staff_report_review", args=[closed.pk]))
    flagged = viewer.get(reverse("intake:staff_report_list"), {"review": "1"}).content.decode()
    assert f'href="/staff/reports/{closed.pk}/"' not in flagged
