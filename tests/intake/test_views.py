"""The public portal and the staff pages, through the Django test client."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lianqing.core.models import AuditEvent
from lianqing.core.roles import Role
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.models import Message, Report
from tests.intake.conftest import (
    FORM_DATA,
    PASSPHRASE,
    REPORTER_ID,
    REPORTER_NAME,
    approve_identity,
    give_key,
    image_upload,
    named_form_data,
    pdf_upload,
)

RECEIPT = re.compile(r'id="receipt-code">(\d{4} \d{4} \d{4} \d{4})<')
EXTERNAL = re.compile(r'(?:src|href|action)="(?:https?:)?//', re.IGNORECASE)


def _post_report(client, data, files=()):
    challenge = challenge_issue()
    payload = {**data, "token": challenge.token, "proof": proof_solve(challenge.token, challenge.bits)}
    if files:
        payload["attachments"] = list(files)
    return client.post(reverse("intake:report_form"), payload)


def _submit_named(client, django_capture_on_commit_callbacks) -> tuple[Report, str]:
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_report(client, named_form_data(), [image_upload(), pdf_upload()])
    assert response.status_code == 200
    return Report.objects.get(), RECEIPT.search(response.content.decode()).group(1)


def test_form_page_offers_categories_and_provinces_and_no_external_host(client, intake_env):
    response = client.get(reverse("intake:report_form"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "违规收送礼品礼金（含微信红包、电子礼品卡、充值卡）" in html
    assert '<optgroup label="四风问题">' in html
    assert '<option value="370000">山东省</option>' in html
    assert 'name="token"' in html
    assert not EXTERNAL.search(html)
    assert "<script>" not in html  # no inline script (CSP)


def test_region_options_endpoint(client, intake_env):
    data = client.get(reverse("intake:region_options"), {"parent": "370100"}).json()
    assert {"code": "370124", "name": "平阴县"} in data["regions"]
    assert client.get(reverse("intake:region_options"), {"parent": "x"}).json() == {"regions": []}


def test_submit_shows_receipt_once_with_warning(client, intake_env, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_report(client, FORM_DATA, [image_upload()])
    html = response.content.decode()
    assert response.status_code == 200
    assert RECEIPT.search(html)
    assert "回执码只显示这一次" in html
    assert "no-store" in response["Cache-Control"]
    report = Report.objects.get()
    assert report.is_anonymous
    assert report.identity_box is None
    assert report.region_code == "370124"
    assert list(report.persons.values_list("name", "position")) == [("张某某", "副镇长")]
    assert report.attachments.count() == 1


@pytest.mark.parametrize(
    ("change", "field_message"),
    [
        pytest.param({"reporter_id_number": "110105194912310021"}, "校验位不正确", id="bad-check-digit"),
        pytest.param({"reporter_id_number": "11010519491331002X"}, "出生日期 19491331 不存在", id="bad-date"),
        pytest.param({"reporter_phone": "123"}, "手机号", id="bad-phone"),
        pytest.param({"description": "<b>太短</b>"}, "问题描述至少 20 个字", id="short-description"),
        pytest.param({"consent": ""}, "请阅读并勾选承诺", id="no-consent"),
        pytest.param({"category": ""}, "这个字段是必填项", id="missing-category"),
        pytest.param({"county": "110101"}, "选择一个有效的选项", id="county-of-another-city"),
    ],
)
def test_bad_input_explains_keeps_typing_and_stores_nothing(client, intake_env, change, field_message):
    data = {**named_form_data(), **change}
    response = _post_report(client, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert field_message in html
    assert "提交未成功" in html
    assert f'value="{REPORTER_NAME}"' in html  # what the reporter typed is still there
    assert "国庆期间多次用公款" in html or change.get("description")
    assert not Report.objects.exists()


def test_wrong_type_file_is_refused_with_message_and_nothing_stored(client, intake_env):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exe = SimpleUploadedFile("证据.jpg", b"MZ\x90\x00" + bytes(100), content_type="image/jpeg")
    response = _post_report(client, FORM_DATA, [exe])
    html = response.content.decode()
    assert response.status_code == 400
    assert "证据.jpg 的文件类型不受支持" in html
    assert "请重新选择附件" in html
    assert not Report.objects.exists()
    assert not (intake_env / "intake" / "files").exists()


def test_tampered_form_token_is_refused_with_message(client, intake_env):
    payload = {**FORM_DATA, "token": "forged:token", "proof": "1"}
    response = client.post(reverse("intake:report_form"), payload)
    assert response.status_code == 400
    assert "表单已失效或被改动" in response.content.decode()
    assert not Report.objects.exists()


def test_double_submit_shows_the_same_receipt(client, intake_env):
    challenge = challenge_issue()
    payload = {**FORM_DATA, "token": challenge.token, "proof": proof_solve(challenge.token, challenge.bits)}
    first = client.post(reverse("intake:report_form"), payload).content.decode()
    second = client.post(reverse("intake:report_form"), payload).content.decode()
    assert Report.objects.count() == 1
    assert RECEIPT.search(first).group(1) == RECEIPT.search(second).group(1)
    assert "此前已经提交成功" in second


def test_track_reply_and_unknown_receipts_look_the_same(client, intake_env, org_tree, make_user):
    _post_report(client, FORM_DATA)
    report = Report.objects.get()
    receipt_code = None  # read from the page below
    # An unknown and a mistyped code get the same answer
    unknown = client.post(reverse("intake:track"), {"code": "1234 5678 1234 5678"})
    mistyped = client.post(reverse("intake:track"), {"code": "1234 5678"})
    assert unknown.status_code == mistyped.status_code == 400
    message = "回执码不正确或不存在"
    assert message in unknown.content.decode()
    assert message in mistyped.content.decode()
    # The real code opens the status page
    response = _post_report(client, FORM_DATA)  # a second report to read a receipt from
    receipt_code = RECEIPT.search(response.content.decode()).group(1)
    tracked = Report.objects.exclude(pk=report.pk).get()
    staff_question = "请提供宴请的具体日期和饭店名称。"
    from lianqing.intake.services import staff_message_post

    staff_message_post(
        report=tracked, body=staff_question, by=make_user(Role.PETITION, org=org_tree.petition_office)
    )
    response = client.post(reverse("intake:track"), {"code": receipt_code}, follow=True)
    html = response.content.decode()
    assert '<span class="badge text-bg-danger fs-6" id="report-status">已收到</span>' in html
    assert staff_question in html
    response = client.post(reverse("intake:track_status"), {"body": "10月2日晚，在某某大酒店。"}, follow=True)
    assert "已收到您的回复" in response.content.decode()
    assert Message.objects.filter(report=tracked, direction="from_reporter").count() == 1


def test_track_status_without_code_goes_back_to_track(client, intake_env):
    response = client.get(reverse("intake:track_status"))
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:track")


# --- staff side: authorisation matrix ----------------------------------------------------------


@pytest.fixture
def staff(org_tree, make_user, intake_env):
    people = {
        "petition": make_user(Role.PETITION, org=org_tree.petition_office, username="xf"),
        "leader": make_user(Role.LEADER, org=org_tree.commission, username="ld"),
        "case_manager": make_user(Role.CASE_MANAGEMENT, org=org_tree.case_office, username="ag"),
        "township_petition": make_user(Role.PETITION, org=org_tree.township_a, username="town"),
        "supervision": make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="jc"),
    }
    for who in ("petition", "leader", "township_petition"):
        give_key(people[who])
    return people


@pytest.mark.parametrize(
    ("who", "list_status", "detail_status"),
    [
        pytest.param("anonymous", 302, 302, id="anonymous"),
        pytest.param("township_petition", 200, 404, id="other-jurisdiction"),
        pytest.param("supervision", 404, 404, id="wrong-role"),
        pytest.param("case_manager", 200, 200, id="case-management"),
        pytest.param("petition", 200, 200, id="petition-office"),
        pytest.param("leader", 200, 200, id="leader"),
    ],
)
def test_staff_pages_matrix(
    client, client_for, staff, intake_env, django_capture_on_commit_callbacks, who, list_status, detail_status
):
    report, _ = _submit_named(client, django_capture_on_commit_callbacks)
    viewer = client if who == "anonymous" else client_for(staff[who])
    listing = viewer.get(reverse("intake:staff_report_list"))
    detail = viewer.get(reverse("intake:staff_report_detail", args=[report.pk]))
    assert listing.status_code == list_status
    assert detail.status_code == detail_status
    if list_status == 200:
        assert (f'href="/staff/reports/{report.pk}/"' in listing.content.decode()) == (detail_status == 200)
    if detail_status == 200:
        assert "国庆期间多次用公款" in detail.content.decode()
        assert f'href="/staff/cases/{report.case_id}/" id="case-link"' in detail.content.decode()
        assert REPORTER_NAME not in detail.content.decode()  # locked: identity not shown


@pytest.mark.parametrize(
    ("who", "may_unlock"),
    [
        pytest.param("anonymous", False, id="anonymous"),
        pytest.param("township_petition", False, id="other-jurisdiction"),
        pytest.param("supervision", False, id="wrong-role"),
        pytest.param("case_manager", False, id="case-management-may-not-unlock"),
        pytest.param("petition", True, id="petition-office"),
        pytest.param("leader", True, id="leader"),
    ],
)
def test_unlock_matrix_identity_and_attachment_are_audited(
    client, client_for, staff, intake_env, django_capture_on_commit_callbacks, who, may_unlock
):
    report, _ = _submit_named(client, django_capture_on_commit_callbacks)
    viewer = client if who == "anonymous" else client_for(staff[who])
    if may_unlock:
        approval = approve_identity(report, staff[who])
    views_before = AuditEvent.objects.filter(action="view").count()
    viewer.post(reverse("intake:staff_report_unlock", args=[report.pk]), {"passphrase": PASSPHRASE})
    detail = viewer.get(reverse("intake:staff_report_detail", args=[report.pk]))
    image = report.attachments.get(kind="image")
    download = viewer.get(reverse("intake:staff_attachment_download", args=[report.pk, image.pk]))
    if not may_unlock:
        assert REPORTER_NAME not in detail.content.decode()
        assert download.status_code in {302, 404}
        assert not download.get("Content-Type", "").startswith("image/")
        assert AuditEvent.objects.filter(action="view", object_type__startswith="intake.").count() == 0
        return
    html = detail.content.decode()
    assert REPORTER_NAME in html
    assert REPORTER_ID in html
    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"
    assert download.content.startswith(b"\xff\xd8\xff")
    assert "%E7%85%A7%E7%89%87.jpg" in download["Content-Disposition"]  # 照片.jpg
    reads = AuditEvent.objects.filter(action="view").order_by("seq")
    assert reads.count() == views_before + 4  # unlock, identity, file names, one file
    assert [e.details for e in reads][-4:] == [
        {"unlock": "ok"},
        {"read": "identity", "request": approval.pk},
        {"read": "attachment_names"},
        {"read": "attachment", "report": report.pk},
    ]
    assert all(e.actor == staff[who] for e in reads[views_before:])


def test_wrong_passphrase_unlocks_nothing_and_is_audited(
    client, client_for, staff, intake_env, django_capture_on_commit_callbacks
):
    report, _ = _submit_named(client, django_capture_on_commit_callbacks)
    viewer = client_for(staff["petition"])
    response = viewer.post(
        reverse("intake:staff_report_unlock", args=[report.pk]), {"passphrase": "guess"}, follow=True
    )
    assert "口令不正确" in response.content.decode()
    assert REPORTER_NAME not in response.content.decode()
    assert (
        AuditEvent.objects.filter(action="view", details__unlock="failed", actor=staff["petition"]).count()
        == 1
    )


def test_locking_forgets_the_key(client, client_for, staff, intake_env, django_capture_on_commit_callbacks):
    report, _ = _submit_named(client, django_capture_on_commit_callbacks)
    viewer = client_for(staff["leader"])
    viewer.post(reverse("intake:staff_report_unlock", args=[report.pk]), {"passphrase": PASSPHRASE})
    viewer.post(reverse("intake:staff_report_lock", args=[report.pk]))
    assert (
        REPORTER_NAME
        not in viewer.get(reverse("intake:staff_report_detail", args=[report.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("who", "sent"),
    [
        pytest.param("anonymous", False, id="anonymous"),
        pytest.param("township_petition", False, id="other-jurisdiction"),
        pytest.param("supervision", False, id="wrong-role"),
        pytest.param("petition", True, id="petition-office"),
    ],
)
def test_question_matrix(client, client_for, staff, intake_env, who, sent):
    _post_report(client, FORM_DATA)
    report = Report.objects.get()
    viewer = client if who == "anonymous" else client_for(staff[who])
    viewer.post(reverse("intake:staff_report_question", args=[report.pk]), {"body": "请补充时间地点。"})
    assert Message.objects.filter(report=report, direction="to_reporter").exists() == sent


def test_staff_list_query_count(client, client_for, staff, intake_env, django_assert_max_num_queries):
    for _ in range(5):
        _post_report(client, FORM_DATA)
    viewer = client_for(staff["petition"])
    viewer.get(reverse("intake:staff_report_list"))  # warm the session
    with django_assert_max_num_queries(12):
        response = viewer.get(reverse("intake:staff_report_list"))
    assert len(re.findall(r'href="/staff/reports/\d+/"', response.content.decode())) == 5


def test_reply_with_a_wrong_type_file_keeps_text_and_stores_nothing(client, intake_env):
    from django.core.files.uploadedfile import SimpleUploadedFile

    receipt = RECEIPT.search(_post_report(client, FORM_DATA).content.decode()).group(1)
    client.post(reverse("intake:track"), {"code": receipt})
    exe = SimpleUploadedFile("补充.pdf", b"MZ\x90\x00" + bytes(64))
    response = client.post(reverse("intake:track_status"), {"body": "补充一张截图", "attachments": [exe]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "补充.pdf 的文件类型不受支持" in html
    assert "补充一张截图</textarea>" in html
    assert not Message.objects.exists()


def test_staff_list_names_the_region_with_the_code_on_hover(client, client_for, staff, intake_env):
    _post_report(client, FORM_DATA)
    body = client_for(staff["petition"]).get(reverse("intake:staff_report_list")).content.decode()
    assert '<td><span title="370124">济南市 平阴县</span></td>' in body
