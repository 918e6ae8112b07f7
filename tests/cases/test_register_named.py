"""登记 实名: ticking 实名 asks for the reporter's name and phone (ID number optional); they are
sealed by the intake app like a portal reporter's identity, absent from the case, its lists and
exports, and readable only through the custodian path (a reason and a 领导's approval)."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lianqing.cases.models import Case, CaseEvent
from lianqing.core.models import AuditEvent
from lianqing.core.roles import Role
from lianqing.intake.models import Channel, Report
from lianqing.intake.selectors import report_identity_read, report_staff_list
from tests.intake.conftest import approve_identity, intake_env, intake_key_dir, keeper, unlock

__all__ = ["intake_env", "intake_key_dir"]  # fixtures used by the tests below

NAME = "司马登记"
PHONE = "13811112222"
ID_NUMBER = "11010519491231002X"

FORM = {
    "kind": "petition",
    "source": "visit",
    "category": "bribery",
    "summary": "来访反映某村支书收受工程款回扣",
    "reported_persons": "王五，某村，党支部书记",
    "received_at": "2026-11-03T09:30",
    "confidentiality": "0",
    "province": "370000",
    "city": "370100",
    "county": "370124",
}


@pytest.fixture
def officer(org_tree, make_user):
    return make_user(Role.PETITION, org=org_tree.petition_office, username="xinfang")


def _named(**extra: str) -> dict[str, str]:
    return {**FORM, "is_reporter_named": "on", "reporter_name": NAME, "reporter_phone": PHONE, **extra}


def _everything_stored_about(case: Case) -> str:
    """The case row, its timeline and every audit row, as text: where a name must never be."""
    rows = [
        json.dumps(list(Case.objects.filter(pk=case.pk).values()), default=str, ensure_ascii=False),
        json.dumps(list(CaseEvent.objects.filter(case=case).values()), default=str, ensure_ascii=False),
        json.dumps(list(AuditEvent.objects.values("details")), default=str, ensure_ascii=False),
    ]
    return "\n".join(rows)


def test_named_registration_seals_the_identity_for_the_custodian_path(
    intake_env, org_tree, officer, client_for
):
    # Given the 信访室 registers a visit whose reporter gives name, phone and ID number
    response = client_for(officer).post(reverse("cases:register"), _named(reporter_id_number=ID_NUMBER))

    # Then the case is named, and its reporter's identity is a sealed intake report of the case
    case = Case.objects.get(summary=FORM["summary"])
    assert response.status_code == 302
    assert case.is_reporter_named
    report = Report.objects.get(case=case)
    assert (report.channel, report.is_anonymous) == (Channel.REGISTERED, False)
    assert NAME.encode() not in bytes(report.identity_box)
    assert PHONE.encode() not in bytes(report.identity_box)
    # ... and nothing else stored about the case carries the name, phone or ID number
    stored = _everything_stored_about(case)
    assert NAME not in stored
    assert PHONE not in stored
    assert ID_NUMBER not in stored

    # And lists and exports never show it
    client = client_for(officer)
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert case.number in inbox
    assert NAME not in inbox
    sheet = load_workbook(io.BytesIO(client.get(reverse("cases:export")).content)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert case.summary in cells
    assert NAME not in cells
    assert PHONE not in cells
    assert report not in report_staff_list(user=keeper())  # the 网络举报 list is online reports

    # And the case page leads to the report, where the identity is read the custodian's way only
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("intake:staff_report_detail", args=[report.pk]) in detail
    assert NAME not in detail
    reader = keeper()
    assert report_identity_read(report=report, private_key=unlock(reader), user=reader) is None
    approve_identity(report, reader)
    identity = report_identity_read(report=report, private_key=unlock(reader), user=reader)
    assert identity is not None
    assert (identity.name, identity.phone, identity.id_number) == (NAME, PHONE, ID_NUMBER)


def test_id_number_is_optional(intake_env, org_tree, officer, client_for):
    response = client_for(officer).post(reverse("cases:register"), _named())
    assert response.status_code == 302
    report = Report.objects.get(case__summary=FORM["summary"])
    reader = keeper()
    approve_identity(report, reader)
    identity = report_identity_read(report=report, private_key=unlock(reader), user=reader)
    assert identity is not None
    assert (identity.name, identity.id_number) == (NAME, "")


@pytest.mark.parametrize(
    ("language", "posted", "field", "message"),
    [
        pytest.param("zh-hans", {"reporter_name": ""}, "reporter_name", "实名举报请填写举报人姓名", id="zh-name"),
        pytest.param("zh-hans", {"reporter_phone": ""}, "reporter_phone", "实名举报请填写联系电话", id="zh-phone"),
        pytest.param("zh-hans", {"reporter_phone": "12345"}, "reporter_phone", "11 位手机号", id="zh-bad-phone"),
        pytest.param(
            "zh-hans", {"reporter_id_number": "110105194912310021"}, "reporter_id_number", "校验位不正确",
            id="zh-bad-id",
        ),
        pytest.param("en", {"reporter_name": ""}, "reporter_name", "give the reporter's name", id="en-name"),
        pytest.param("en", {"reporter_phone": "12345"}, "reporter_phone", "11-digit mobile", id="en-bad-phone"),
        pytest.param(
            "en", {"reporter_id_number": "110105194912310021"}, "reporter_id_number", "check digit", id="en-bad-id"
        ),
    ],
)  # fmt: skip
def test_named_without_what_it_needs_is_refused_at_the_field(
    intake_env, org_tree, officer, client_for, settings, language, posted, field, message
):
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("cases:register"), _named(**posted))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    body = response.content.decode()
    assert message in body.replace("&#x27;", "'")
    assert not Case.objects.filter(summary=FORM["summary"]).exists()


def test_unticked_ignores_the_identity_fields(intake_env, org_tree, officer, client_for):
    response = client_for(officer).post(
        reverse("cases:register"), {**FORM, "reporter_name": NAME, "reporter_phone": PHONE}
    )
    case = Case.objects.get(summary=FORM["summary"])
    assert response.status_code == 302
    assert not case.is_reporter_named
    assert not Report.objects.filter(case=case).exists()


def test_without_any_recipient_key_nothing_is_registered(org_tree, officer, client_for, settings):
    # Given nobody of the commission has set up a key, an identity cannot be sealed to anyone
    settings.INTAKE_KDF_COST = "interactive"
    response = client_for(officer).post(reverse("cases:register"), _named())
    assert response.status_code == 200
    assert "接收人密钥" in " ".join(response.context["form"].errors["reporter_name"])
    assert not Case.objects.filter(summary=FORM["summary"]).exists()
    assert not Report.objects.exists()
