"""The pages of 主体责任 as each kind of user sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from openpyxl import load_workbook

from lianqing.core.models import User
from lianqing.duties.models import Task

from .conftest import World


def test_liaison_pages(world: World, client_for: Callable[[User], Client]) -> None:
    client = client_for(world.liaison)
    unit = world.unit_a.pk
    assert client.get(f"/staff/duties/units/{unit}/?year=2026").status_code == 200
    handbook = client.get(f"/staff/duties/units/{unit}/handbook/?year=2026")
    assert handbook.status_code == 200
    assert "研究部署党风廉政建设工作" in handbook.content.decode()
    moved = Task.objects.get(unit=world.unit_a, item__title="国庆节前廉洁提醒")
    page = client.get(f"/staff/duties/tasks/{moved.pk}/").content.decode()
    assert "2026-10-01" in page
    assert "顺延" in page


def test_ranking_export_is_a_workbook(world: World, client_for: Callable[[User], Client], tmp_path) -> None:
    response = client_for(world.leader).get("/staff/duties/ranking/export.xlsx?year=2026")
    assert response.status_code == 200
    path = tmp_path / "ranking.xlsx"
    path.write_bytes(response.content)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][2] == "单位"
    assert {row[2] for row in rows[1:]} == {"县教育局党组", "县民政局党组"}


def test_manager_creates_a_template_and_assigns_it(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.leader)
    response = client.post("/staff/duties/templates/", {"name": "纪委监督责任清单", "kind": "commission"})
    assert response.status_code == 302
    template_url = response.url
    template_id = int(template_url.rstrip("/").rsplit("/", 1)[1])
    item = {"title": "每月报送监督台账", "frequency": "monthly", "once_month": 12, "due_month_offset": 1,
            "due_day": 5, "evidence_kinds": ["document"], "points": "1", "responsible": "member"}  # fmt: skip
    assert client.post(f"/staff/duties/templates/{template_id}/items/", item).status_code == 302
    assign = {"year": 2026, "units": [world.unit_b.pk], "reviewer": world.tree.supervision_office.pk,
              "warning_days": 10, "lock_grace_days": 5}  # fmt: skip
    assert client.post(f"/staff/duties/templates/{template_id}/assign/", assign).status_code == 302
    assert Task.objects.filter(unit=world.unit_b, item__title="每月报送监督台账").count() == 12
    again = client.post(f"/staff/duties/templates/{template_id}/assign/", assign)
    assert again.status_code == 400
    assert "已分派过" in again.content.decode()
