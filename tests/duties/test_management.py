"""Keeping a checklist and a unit's leadership: edits after assignment make a new version and
leave assigned tasks alone; a duty a unit has started cannot be deleted; a new 书记 takes over the
old one's owed tasks. Evidence is sealed at rest."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from PIL import Image

from lianqing.core.models import User
from lianqing.duties import sealing, services
from lianqing.duties.errors import DutyError
from lianqing.duties.models import Evidence, Task, TaskStatus, UnitLeader

from .conftest import World

ITEM = {"title": "研究部署党风廉政建设工作（修订）", "frequency": "once", "once_month": 7, "due_month_offset": 0,
        "due_day": 20, "evidence_kinds": ["minutes"], "points": "6", "responsible": "secretary"}  # fmt: skip


def _lineage(world: World, title: str) -> int:
    return services.version_latest(world.template).items.get(title=title).lineage


def test_editing_an_assigned_duty_makes_a_new_version(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.leader)
    lineage = _lineage(world, "研究部署党风廉政建设工作")
    url = f"/staff/duties/templates/{world.template.pk}/items/{lineage}/"
    page = client.get(url).content.decode()
    assert 'value="研究部署党风廉政建设工作"' in page
    assert "生成新版本" in page
    response = client.post(url, ITEM, follow=True)
    assert "已保存为新版本" in response.content.decode()
    latest = services.version_latest(world.template)
    assert latest.number == 2
    assert latest.items.get(lineage=lineage).title == ITEM["title"]
    # the tasks already assigned keep their version's duty and dates
    task = Task.objects.get(unit=world.unit_a, lineage=lineage)
    assert task.item.title == "研究部署党风廉政建设工作"
    assert task.deadline.month == 6
    bad = client.post(url, {**ITEM, "title": " ", "due_day": 40})
    assert bad.status_code == 400
    assert services.version_latest(world.template).number == 2


def test_a_started_duty_cannot_be_deleted(world: World, client_for: Callable[[User], Client]) -> None:
    client = client_for(world.leader)
    lineage = _lineage(world, "国庆节前廉洁提醒")
    task = Task.objects.get(unit=world.unit_a, lineage=lineage)
    Task.objects.filter(pk=task.pk).update(account="已开展提醒谈话", status=TaskStatus.SUBMITTED)
    response = client.post(
        f"/staff/duties/templates/{world.template.pk}/items/{lineage}/delete/", follow=True
    )
    text = response.content.decode()
    assert "不能删除" in text
    assert "县教育局党组" in text
    assert services.version_latest(world.template).items.filter(lineage=lineage).exists()
    # a duty nobody started goes (in a new version: the assigned one is untouched)
    other = _lineage(world, "研究部署党风廉政建设工作")
    client.post(f"/staff/duties/templates/{world.template.pk}/items/{other}/delete/")
    latest = services.version_latest(world.template)
    assert not latest.items.filter(lineage=other).exists()
    assert Task.objects.filter(lineage=other).count() == 2


def test_unassigned_template_edits_in_place(world: World) -> None:
    template = services.template_create(
        owner=world.tree.commission, name="书记第一责任人清单", kind="secretary"
    )
    item = services.item_save(template=template, fields={"title": "听取汇报", "frequency": "annual"})
    services.item_save(template=template, fields={**ITEM, "title": "听取专题汇报"}, lineage=item.lineage)
    assert services.version_latest(template).number == 1
    services.item_remove(template=template, lineage=item.lineage)
    assert not services.version_latest(template).items.exists()
    with pytest.raises(DutyError):
        services.item_remove(template=template, lineage=item.lineage)


def test_leaders_are_managed_and_a_new_secretary_takes_over(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.leader)
    url = f"/staff/duties/units/{world.unit_a.pk}/leaders/"
    assert "张书记" in client.get(url).content.decode()
    assert client.post(url, {"name": "李委员", "post": "党组成员"}).status_code == 302
    duplicate = client.post(url, {"name": "李委员", "post": "副局长"})
    assert duplicate.status_code == 400
    assert "已有名为“李委员”" in duplicate.content.decode()
    owed = Task.objects.filter(unit=world.unit_a, responsible=world.secretary_leader).count()
    assert owed == 2
    Task.objects.filter(unit=world.unit_a, item__title="国庆节前廉洁提醒").update(status=TaskStatus.ACCEPTED)
    member = UnitLeader.objects.get(unit=world.unit_a, name="李委员")
    edit = client.post(
        f"/staff/duties/leaders/{member.pk}/", {"name": "李书记", "post": "党组书记", "is_secretary": "on"}
    )
    assert edit.status_code == 302
    member.refresh_from_db()
    world.secretary_leader.refresh_from_db()
    assert member.is_secretary
    assert not world.secretary_leader.is_secretary
    # the owed task moves to the new 书记; the accepted one stays with who did it
    assert Task.objects.get(unit=world.unit_a, item__title="研究部署党风廉政建设工作").responsible == member
    assert (
        Task.objects.get(unit=world.unit_a, item__title="国庆节前廉洁提醒").responsible
        == world.secretary_leader
    )
    world.assignment.refresh_from_db()
    assert world.assignment.secretary == member
    # the 书记 cannot be removed; a former one can
    refused = client.post(f"/staff/duties/leaders/{member.pk}/remove/", follow=True)
    assert "请先指定新的书记" in refused.content.decode()
    assert client.post(f"/staff/duties/leaders/{world.secretary_leader.pk}/remove/").status_code == 302
    assert [leader.name for leader in services.leaders_of(world.unit_a)] == ["李书记"]
    # another unit's account cannot be linked
    with pytest.raises(DutyError, match="不属于本单位"):
        services.leader_save(unit=world.unit_a, name="王委员", user=world.liaison_b)


def test_evidence_is_sealed_at_rest_and_opened_on_download(
    world: World, client_for: Callable[[User], Client]
) -> None:
    task = Task.objects.get(unit=world.unit_a, item__title="研究部署党风廉政建设工作")
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buffer, "PNG")
    upload = SimpleUploadedFile("会议记录.png", buffer.getvalue(), content_type="image/png")
    evidence = services.evidence_add(task=task, upload=upload, kind="minutes", by=world.liaison)
    with connection.cursor() as cursor:  # what the database holds, read past the application
        cursor.execute("SELECT data, scheme FROM duties_evidence WHERE id = %s", [evidence.pk])
        stored, scheme = cursor.fetchone()
    stored = bytes(stored)
    assert scheme == sealing.SCHEME
    assert b"PNG" not in stored  # not even the file's signature
    assert b"IHDR" not in stored
    download = client_for(world.reviewer).get(f"/staff/duties/evidence/{evidence.pk}/")
    assert download.status_code == 200
    assert download.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(download.content) == evidence.size
    # without the instance key the stored bytes cannot be opened
    key = sealing.key_path()
    assert key.stat().st_mode & 0o077 == 0
    Evidence.objects.filter(pk=evidence.pk).update(data=stored[:-1] + bytes([stored[-1] ^ 1]))
    broken = client_for(world.reviewer).get(f"/staff/duties/evidence/{evidence.pk}/", follow=True)
    assert "密钥不匹配或数据已损坏" in broken.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_database_file_on_disk_holds_no_plaintext(world: World) -> None:
    """On SQLite the database is one file: after the commit, no stretch of the uploaded file is in it."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's files belong to its server; the column test above reads them through SQL")
    task = Task.objects.get(unit=world.unit_a, item__title="研究部署党风廉政建设工作")
    buffer = io.BytesIO()
    Image.effect_noise((80, 80), 64).convert("RGB").save(buffer, "PNG")
    upload = SimpleUploadedFile("现场照片.png", buffer.getvalue(), content_type="image/png")
    evidence = services.evidence_add(task=task, upload=upload, kind="photo", by=world.liaison)
    plain = services.evidence_read(Evidence.objects.get(pk=evidence.pk))
    assert len(plain) > 1000
    connection.close()  # everything written to the file itself (checkpointed)
    path = Path(settings.DATABASES["default"]["TEST"]["NAME"])
    on_disk = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert plain[:48] not in on_disk
    assert plain[len(plain) // 2 : len(plain) // 2 + 48] not in on_disk
    assert b"\x89PNG\r\n\x1a\n" + plain[8:24] not in on_disk
