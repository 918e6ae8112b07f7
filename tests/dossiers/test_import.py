"""The registry import: in place, with history; duplicates and bad IDs reported, not merged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from lianqing.core.roles import Role
from lianqing.dossiers.models import Cadre, CadreChange, Declaration, Post, RegistryImport, Relative, Unit
from lianqing.dossiers.registry_import import registry_import_run
from lianqing.dossiers.services import registry_import_execute
from tests.dossiers.factories import person_id

WANG, LI, LI_AGAIN, SPOUSE = person_id(1), person_id(2), person_id(3), person_id(4, "19780101")

ORGS = {
    "org_code": ["HEA", "CIV"],
    "name": ["县卫生健康局", "县民政局"],
    "parent_code": [None, None],
    "region_code": ["370124", "370124"],
    "kind": ["党政机关", "党政机关"],
}


def _officials(rows: list[tuple]) -> dict[str, list]:  # type: ignore[type-arg]
    keys = [
        "person_id",
        "name",
        "org_code",
        "position",
        "rank",
        "category",
        "is_leader",
        "start_date",
        "end_date",
    ]
    return {key: [row[i] for row in rows] for i, key in enumerate(keys)}


def _write(folder: Path, **datasets: dict[str, list]) -> Path:  # type: ignore[type-arg]
    folder.mkdir(parents=True, exist_ok=True)
    for name, columns in datasets.items():
        pq.write_table(pa.table(columns), folder / f"{name}.parquet")
    return folder


def _run(org, folder: Path, as_of: dt.date) -> RegistryImport:  # type: ignore[no-untyped-def]
    run = RegistryImport.objects.create(package_id=1, package_name=folder.name, org=org)
    return registry_import_run(run=run, folder=folder, as_of=as_of)


FIRST = _officials([
    (WANG, "王建国", "HEA", "局长", "正科级", "公务员", True, dt.date(2019, 3, 1), None),
    (LI, "李明", "CIV", "科员", "", "公务员", False, dt.date(2015, 7, 1), None),
])  # fmt: skip


def test_first_import_builds_cadres_posts_units_relatives_and_declarations(org_tree, tmp_path):
    folder = _write(
        tmp_path / "p1",
        orgs=ORGS,
        officials=FIRST,
        persons={
            "person_id": [WANG],
            "name": ["王建国"],
            "gender": ["男"],
            "birth_date": [dt.date(1975, 3, 1)],
        },
        relatives={
            "official_id": [WANG],
            "relative_id": [SPOUSE],
            "relative_name": ["赵丽"],
            "relation": ["配偶"],
        },
        companies={
            "uscc": ["91370124MA3C000001"],
            "name": ["示范县丽华商贸有限公司"],
            "legal_rep_id": [SPOUSE],
            "status": ["存续"],
        },
        declarations={
            "declaration_id": ["D1"],
            "person_id": [WANG],
            "year": [2024],
            "declared_on": [dt.date(2025, 1, 20)],
            "item_type": ["房产"],
            "item_desc": ["城关镇住宅 120㎡"],
        },
    )
    run = _run(org_tree.commission, folder, dt.date(2025, 1, 31))
    assert run.status == "done"
    assert run.problems == []
    wang = Cadre.objects.get(person_id=WANG)
    assert (wang.name, wang.gender, wang.unit.name, wang.position) == ("王建国", "男", "县卫生健康局", "局长")
    assert Unit.objects.count() == 2
    assert Post.objects.count() == 2
    relative = Relative.objects.get(cadre=wang)
    assert relative.businesses[0]["name"] == "示范县丽华商贸有限公司"
    assert relative.businesses[0]["role"] == "法定代表人"
    assert Declaration.objects.get().cadre == wang
    assert run.counts["cadres_created"] == 2


def test_second_import_closes_ended_posts_and_keeps_history(org_tree, tmp_path):
    _run(org_tree.commission, _write(tmp_path / "p1", orgs=ORGS, officials=FIRST), dt.date(2025, 1, 31))
    second = _officials([
        (WANG, "王建国", "CIV", "局长", "正科级", "公务员", True, dt.date(2025, 3, 1), None),
        (LI, "李明", "CIV", "科员", "一级科员", "公务员", False, dt.date(2015, 7, 1), None),
    ])  # fmt: skip
    run = _run(
        org_tree.commission, _write(tmp_path / "p2", orgs=ORGS, officials=second), dt.date(2025, 6, 30)
    )
    wang = Cadre.objects.get(person_id=WANG)
    old_post = Post.objects.get(cadre=wang, unit__code="HEA")
    assert old_post.end_date == dt.date(2025, 6, 30)  # closed, not deleted
    assert wang.unit.code == "CIV"
    assert Post.objects.filter(cadre=wang).count() == 2
    li_changes = CadreChange.objects.filter(cadre__person_id=LI)
    assert [(c.old_value, c.new_value) for c in li_changes] == [("", "一级科员")]
    assert run.counts["posts_closed"] == 1
    assert Cadre.objects.count() == 2


def test_one_person_under_two_ids_is_reported_not_merged_and_bad_ids_are_named(org_tree, tmp_path):
    officials = _officials([
        (LI, "李明", "CIV", "科员", "", "公务员", False, dt.date(2015, 7, 1), None),
        (LI_AGAIN, "李明", "CIV", "科员", "", "公务员", False, dt.date(2015, 7, 1), None),
        ("37012419750301001X", "钱多", "CIV", "科员", "", "公务员", False, dt.date(2015, 7, 1), None),
    ])  # fmt: skip
    run = _run(
        org_tree.commission, _write(tmp_path / "p", orgs=ORGS, officials=officials), dt.date(2025, 1, 31)
    )
    assert Cadre.objects.filter(name="李明").count() == 2  # not merged
    rows = {(p["file"], p["row"], p["column"]) for p in run.problems}
    assert ("officials", "3", "person_id") in rows  # the second 李明, reported
    assert ("officials", "4", "person_id") in rows  # the malformed number
    assert any("校验位" in p["reason"] for p in run.problems)
    assert not Cadre.objects.filter(name="钱多").exists()


@pytest.mark.django_db(transaction=True)
def test_the_button_queues_the_import_for_the_worker(org_tree, make_user, tmp_path, settings):
    from django.urls import reverse

    from lianqing.dossiers.services import dossier_roles_grant
    from lianqing.leads.models import DataPackage
    from tests.conftest import verified_client

    dossier_roles_grant()
    analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission)
    folder = _write(tmp_path / "pkg", orgs=ORGS, officials=FIRST)
    package = DataPackage.objects.create(
        name="人社数据 2025",
        org=org_tree.commission,
        source="folder",
        path=str(folder),
        datasets={"officials": 2, "orgs": 2},
        as_of=dt.date(2025, 1, 31),
    )
    client = verified_client(analyst)
    assert (
        "registry-import-form"
        in client.get(reverse("leads:package_detail", args=[package.pk])).content.decode()
    )
    client.post(reverse("dossiers:registry_import", args=[package.pk]))
    run = RegistryImport.objects.get()
    assert run.status == "queued"
    assert not Cadre.objects.exists()
    call_command("db_worker", batch=True, reload=False, startup_delay=False)
    run.refresh_from_db()
    assert run.status == "done"
    assert Cadre.objects.count() == 2
    assert registry_import_execute(run.pk) is None  # a rerun of a finished import does nothing


def test_a_package_without_officials_is_refused_with_a_message(org_tree, make_user):
    from django.urls import reverse

    from lianqing.leads.models import DataPackage
    from tests.conftest import verified_client

    analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission)
    package = DataPackage.objects.create(
        name="低保数据",
        org=org_tree.commission,
        source="folder",
        path="/nonexistent",
        datasets={"benefits": 3},
    )
    response = verified_client(analyst).post(
        reverse("dossiers:registry_import", args=[package.pk]), follow=True
    )
    assert "没有公职人员" in response.content.decode()
    assert not RegistryImport.objects.exists()


def test_the_command_imports_a_registered_package_and_names_a_missing_one(org_tree, tmp_path):
    from io import StringIO

    from django.core.management.base import CommandError

    from lianqing.leads.models import DataPackage

    folder = _write(tmp_path / "cmd", orgs=ORGS, officials=FIRST)
    package = DataPackage.objects.create(
        name="组织部干部数据",
        org=org_tree.commission,
        source="folder",
        path=str(folder),
        datasets={"officials": 2},
    )
    out = StringIO()
    call_command("dossiers_import", package.pk, stdout=out)
    assert "cadres_created: 2" in out.getvalue()
    assert Cadre.objects.count() == 2
    with pytest.raises(CommandError, match="没有编号为 999 的数据包"):
        call_command("dossiers_import", 999)
