"""A task walked blue → yellow → red → locked → reopened → submitted → returned → accepted, with
the reminders of each step; the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianqing.core.models import Notification, User
from lianqing.duties.errors import DutyError
from lianqing.duties.lights import lights_refresh
from lianqing.duties.models import Evidence, Light, Task, TaskEvent, TaskStatus
from lianqing.duties.services import evidence_add
from lianqing.duties.workflow import Accept, Reopen, Return, Submit, transition

from .conftest import World


def _notes(user: User, task: Task) -> dict[str, str]:
    return {
        n.dedupe_key.rsplit(":", 1)[1]: n.title
        for n in Notification.objects.filter(recipient=user, dedupe_key__startswith=f"duties:{task.pk}:")
    }


def _minutes_file() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return SimpleUploadedFile("会议记录.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_walk_through_every_light_and_step(world: World) -> None:
    task = Task.objects.get(unit=world.unit_a, item__title="研究部署党风廉政建设工作")
    assert task.deadline == dt.date(2026, 6, 15)
    assert task.deadline_moved_from is None
    liaison, reviewer, secretary = world.liaison, world.reviewer, world.secretary

    # blue: a month before, nothing happens
    lights_refresh(today=dt.date(2026, 5, 15))
    task.refresh_from_db()
    assert (task.light, task.status) == (Light.BLUE, TaskStatus.OPEN)
    assert _notes(liaison, task) == {}

    # yellow: from 10 working days before the deadline; the liaison and the 书记 (responsible) hear
    lights_refresh(today=task.warn_on)
    task.refresh_from_db()
    assert task.light == Light.YELLOW
    assert "即将到期" in _notes(liaison, task)["due"]
    assert "即将到期" in _notes(secretary, task)["due"]
    assert _notes(reviewer, task) == {}
    lights_refresh(today=task.warn_on)  # a rerun adds nothing
    assert Notification.objects.filter(recipient=liaison, dedupe_key=f"duties:{task.pk}:due").count() == 1

    # red: the day after the deadline; the due notice is replaced, escalation to 书记 and the office
    lights_refresh(today=dt.date(2026, 6, 16))
    task.refresh_from_db()
    assert (task.light, task.status, task.was_late) == (Light.RED, TaskStatus.OPEN, True)
    assert "已逾期" in _notes(liaison, task)["due"]
    assert "已逾期" in _notes(reviewer, task)["escalated"]
    assert "已逾期" in _notes(secretary, task)["escalated"]
    assert _notes(world.other_reviewer, task) == {}

    # locked after the grace days: uploads and submission refused
    lights_refresh(today=task.lock_on + dt.timedelta(days=1))
    task.refresh_from_db()
    assert task.status == TaskStatus.LOCKED
    assert "锁定" in _notes(liaison, task)["locked"]
    assert "锁定" in _notes(reviewer, task)["escalated"]
    with pytest.raises(DutyError):
        evidence_add(task=task, upload=_minutes_file(), kind="minutes", by=liaison)
    with pytest.raises(DutyError, match="不能提交审核"):
        transition(task=task, by=liaison, action=Submit(account="补报"))

    # only the reviewer reopens, with a reason; lateness stays on record
    with pytest.raises(DutyError):
        transition(task=task, by=liaison, action=Reopen(reason="请解锁"))
    with pytest.raises(DutyError):
        transition(task=task, by=world.other_reviewer, action=Reopen(reason="不是我的单位"))
    with pytest.raises(DutyError, match="理由"):
        transition(task=task, by=reviewer, action=Reopen(reason=" "))
    transition(task=task, by=reviewer, action=Reopen(reason="因疫情防控延误，准予补报"))
    task.refresh_from_db()
    assert (task.status, task.light, task.was_late) == (TaskStatus.REOPENED, Light.RED, True)
    assert "已解锁" in _notes(liaison, task)["step"]

    # submitted: needs the account and the required evidence (会议记录)
    with pytest.raises(DutyError, match="会议记录"):
        transition(task=task, by=liaison, action=Submit(account="已召开党组会议研究部署"))
    evidence_add(task=task, upload=_minutes_file(), kind="minutes", by=liaison)
    transition(task=task, by=liaison, action=Submit(account="已召开党组会议研究部署"))
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED
    assert "待审核" in _notes(reviewer, task)["review"]

    # returned with a reason
    with pytest.raises(DutyError, match="理由"):
        transition(task=task, by=reviewer, action=Return(reason=""))
    transition(task=task, by=reviewer, action=Return(reason="会议记录缺少签到页"))
    task.refresh_from_db()
    assert task.status == TaskStatus.RETURNED
    assert "已退回" in _notes(liaison, task)["step"]

    # resubmitted and accepted with a grade: green, and still late on record
    transition(task=task, by=liaison, action=Submit(account="已补充签到页"))
    transition(task=task, by=reviewer, action=Accept(grade="B"))
    task.refresh_from_db()
    assert (task.status, task.light, task.grade, task.was_late) == (
        TaskStatus.ACCEPTED,
        Light.GREEN,
        "B",
        True,
    )
    assert "已通过" in _notes(liaison, task)["step"]
    actions = list(TaskEvent.objects.filter(task=task).values_list("action", flat=True))
    assert actions == ["warn", "overdue", "lock", "reopen", "submit", "return", "submit", "accept"]
    lights_refresh(today=dt.date(2026, 12, 31))  # an accepted task never changes light again
    task.refresh_from_db()
    assert (task.light, task.status) == (Light.GREEN, TaskStatus.ACCEPTED)


def test_deadline_on_a_holiday_moves_to_the_next_working_day_and_says_so(world: World) -> None:
    task = Task.objects.get(unit=world.unit_a, item__title="国庆节前廉洁提醒")
    assert task.deadline_moved_from == dt.date(2026, 10, 1)
    assert task.deadline > dt.date(2026, 10, 7)
    assert task.deadline.weekday() < 5 or task.deadline.month == 10  # a working day (调休 Saturdays work)


def test_evidence_is_checked_by_content_and_stripped(world: World) -> None:
    task = Task.objects.get(unit=world.unit_a, item__title="研究部署党风廉政建设工作")
    fake = SimpleUploadedFile(
        "照片.jpg", b"MZ\x90\x00 this is a program, not a picture", content_type="image/jpeg"
    )
    with pytest.raises(DutyError, match=r"照片\.jpg"):
        evidence_add(task=task, upload=fake, kind="photo", by=world.liaison)
    image = Image.new("RGB", (20, 20), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    assert b"SecretCameraMaker" in buffer.getvalue()
    evidence = evidence_add(
        task=task, upload=SimpleUploadedFile("现场.jpg", buffer.getvalue()), kind="photo", by=world.liaison
    )
    assert b"SecretCameraMaker" not in bytes(Evidence.objects.get(pk=evidence.pk).data)
    with pytest.raises(DutyError):  # another unit's liaison
        evidence_add(task=task, upload=_minutes_file(), kind="photo", by=world.liaison_b)
