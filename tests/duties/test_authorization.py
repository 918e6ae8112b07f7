"""Every duties staff URL for every kind of user: anonymous, a leader of another commission, a
role that has no business here (信访), 案管 (reads the dashboard only), supervision staff of an
office that does not review the unit, the liaisons of another unit and of the unit, the reviewing
office and the commission's leader. Each request runs in a savepoint rolled back afterwards, so
one world serves every URL; denied requests must leave the data as it was."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from PIL import Image

from lianqing.core.models import AuditEvent, OrgKind, User
from lianqing.core.roles import Role
from lianqing.duties import reports, services, urls
from lianqing.duties.models import AccountabilityReport, Task, TaskStatus
from tests.core.factories import OrgFactory, UserFactory

from .conftest import World

OK = {200, 302}
WHO = ["anonymous", "other_jurisdiction", "petition", "case_manager", "other_office", "liaison_b",
       "liaison", "reviewer", "leader"]  # fmt: skip
MANAGERS = {"leader", "reviewer", "other_office"}  # keep the checklists (监督检查 and 领导)
DASHBOARD = MANAGERS | {"case_manager"}
SEES_TASK_A = {"leader", "reviewer", "case_manager", "liaison"}  # other_office reviews other units
SEES_UNIT_A = DASHBOARD | {"liaison"}

# name -> (method, args builder key, data, who gets OK (else 404), who gets 400 when allowed in
# but refused by the step itself). Jurisdiction-free pages give another commission's leader
# their own (empty) page; everything about an object of ours is 404 for them.
STAFF_URLS: dict[str, tuple[str, str, dict[str, object], set[str], set[str]]] = {
    "duties:home": ("GET", "", {}, DASHBOARD | {"liaison", "liaison_b", "other_jurisdiction"}, set()),
    "duties:dashboard": ("GET", "", {}, DASHBOARD | {"other_jurisdiction"}, set()),
    "duties:drill": ("GET", "", {}, DASHBOARD | {"other_jurisdiction"}, set()),
    "duties:ranking": ("GET", "", {}, DASHBOARD | {"other_jurisdiction"}, set()),
    "duties:ranking_export": ("GET", "", {}, DASHBOARD | {"other_jurisdiction"}, set()),
    "duties:talks": ("GET", "", {}, DASHBOARD | {"other_jurisdiction"}, set()),
    "duties:template_list": ("GET", "", {}, MANAGERS | {"other_jurisdiction"}, set()),
    "duties:task_detail": ("GET", "task", {}, SEES_TASK_A, set()),
    "duties:evidence_upload": ("POST", "task", {"kind": "minutes"}, {"liaison"}, SEES_TASK_A - {"liaison"}),
    "duties:evidence_download": ("GET", "evidence", {}, SEES_TASK_A, set()),
    "duties:task_step": ("POST", "step", {"reason": "补报"}, {"leader", "reviewer"}, {"case_manager", "liaison"}),
    "duties:unit_tasks": ("GET", "unit", {}, SEES_UNIT_A, set()),
    "duties:handbook": ("GET", "unit", {}, SEES_UNIT_A, set()),
    "duties:talk_create": ("GET", "unit", {}, MANAGERS, set()),
    "duties:template_detail": ("GET", "template", {}, MANAGERS, set()),
    "duties:item_add": ("POST", "template", {"title": "新增事项", "frequency": "annual", "once_month": 12,
                        "due_month_offset": 0, "due_day": 20, "points": "1", "responsible": "secretary"}, MANAGERS, set()),
    "duties:item_edit": ("GET", "item", {}, MANAGERS, set()),
    "duties:item_delete": ("POST", "item", {}, MANAGERS, set()),
    "duties:assign": ("POST", "template", {"year": 2026, "reviewer": "office", "warning_days": 10,
                      "lock_grace_days": 5, "units": "unit_c"}, MANAGERS, set()),
    "duties:apply_version": ("POST", "assignment", {}, MANAGERS, set()),
    "duties:leaders": ("GET", "unit", {}, MANAGERS, set()),
    "duties:leader_edit": ("GET", "leader", {}, MANAGERS, set()),
    "duties:leader_remove": ("POST", "member", {}, MANAGERS, set()),
    "duties:reports": ("GET", "", {}, DASHBOARD | {"liaison", "liaison_b", "other_jurisdiction"}, set()),
    "duties:report_detail": ("GET", "report", {}, SEES_TASK_A, set()),
    "duties:report_review": ("POST", "report", {"decision": "accept", "grade": "A"}, {"leader", "reviewer"},
                             {"case_manager", "liaison"}),
    "duties:report_resubmit": ("POST", "returned", {"content": "修改后的述责述廉报告正文，已对照问题清单逐条查摆。"},
                               {"liaison"}, {"leader", "reviewer", "case_manager"}),
}  # fmt: skip


def test_the_matrix_lists_every_duties_url() -> None:
    assert {f"duties:{p.name}" for p in urls.urlpatterns} == set(STAFF_URLS)


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "white").save(buffer, "JPEG")
    return SimpleUploadedFile("会议记录.jpg", buffer.getvalue(), content_type="image/jpeg")


def _users(world: World) -> dict[str, User]:
    elsewhere = OrgFactory(org_code="JW9", name="邻县纪委监委", kind=OrgKind.COMMISSION)
    return {
        "other_jurisdiction": UserFactory(org=elsewhere, roles=[Role.LEADER], username="linxian"),
        "petition": UserFactory(org=world.tree.petition_office, roles=[Role.PETITION], username="xinfang"),
        "case_manager": UserFactory(org=world.tree.case_office, roles=[Role.CASE_MANAGEMENT], username="anguan"),
        "other_office": world.other_reviewer,
        "liaison_b": world.liaison_b,
        "liaison": world.liaison,
        "reviewer": world.reviewer,
        "leader": world.leader,
    }  # fmt: skip


def _state() -> tuple[object, ...]:
    """What a denied request must not change."""
    return (
        list(Task.objects.order_by("pk").values_list("status", "version")),
        list(AccountabilityReport.objects.order_by("pk").values_list("status", "version")),
        AuditEvent.objects.exclude(action="view").count(),
    )


@pytest.mark.parametrize("who", WHO)
def test_every_url_for_every_kind_of_user(
    world: World, client_for: Callable[[User], Client], who: str
) -> None:
    unit_c = OrgFactory(
        org_code="JW1-U3", name="县财政局党组", kind=OrgKind.PUBLIC_BODY, parent=world.tree.commission
    )
    task = Task.objects.filter(unit=world.unit_a).order_by("deadline").first()
    locked = Task.objects.filter(unit=world.unit_a).order_by("-deadline").first()
    assert task
    assert locked
    Task.objects.filter(pk=locked.pk).update(status=TaskStatus.LOCKED)
    evidence = services.evidence_add(task=task, upload=_jpeg(), kind="minutes", by=world.liaison)
    member = services.leader_save(unit=world.unit_a, name="李委员", post="班子成员")
    lineage = services.item_save(  # a duty no unit has started: deleting it is allowed
        template=world.template, fields={"title": "新事项", "frequency": "annual", "points": 1}
    ).lineage
    report = reports.report_submit(
        leader=world.secretary_leader, year=2026, content="述责述廉报告正文" * 3, by=world.liaison
    )
    returned = reports.report_submit(
        leader=member, year=2026, content="述责述廉报告正文" * 3, by=world.liaison
    )
    reports.report_review(report=returned, by=world.leader, accept=False, reason="内容不全")
    args = {
        "": [], "task": [task.pk], "evidence": [evidence.pk], "step": [locked.pk, "reopen"], "unit": [world.unit_a.pk],
        "template": [world.template.pk], "item": [world.template.pk, lineage], "assignment": [world.assignment.pk],
        "leader": [world.secretary_leader.pk], "member": [member.pk],
        "report": [report.pk], "returned": [returned.pk],
    }  # fmt: skip
    client = Client() if who == "anonymous" else client_for(_users(world)[who])
    for name, (method, about, data, allowed, refused) in STAFF_URLS.items():
        url = reverse(name, args=args[about])
        payload = {
            key: (
                unit_c.pk
                if value == "unit_c"
                else world.tree.supervision_office.pk
                if value == "office"
                else value
            )
            for key, value in data.items()
        }
        if name == "duties:evidence_upload":
            payload["file"] = _jpeg()
        before = _state()
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url, payload)
            after = _state()
            transaction.set_rollback(True)
        if who == "anonymous":
            assert "/staff/login/" in response.get("Location", ""), name
            expected = {302}
        elif who in allowed:
            expected = OK
        elif who in refused:
            expected = {400}
        else:
            expected = {404}
        assert response.status_code in expected, (name, who, response.status_code)
        if method == "POST" and expected != OK:
            assert after == before, (name, who)
        if method == "POST" and expected == OK and name != "duties:apply_version":
            assert after != before, (name, who)  # the allowed step did something (and was audited)
