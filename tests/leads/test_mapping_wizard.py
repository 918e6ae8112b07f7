"""The mapping wizard in the leads app: upload a messy export, correct the proposal, preview the
rejected rows, save under the department's name, import next month's export in one step."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from lianqing.leads import mappings
from lianqing.leads.models import DataPackage
from tests.analytics.mapping_exports import civil_affairs_export

pytestmark = pytest.mark.django_db


def _upload(path, name=None):
    handle = io.BytesIO(path.read_bytes())
    handle.name = name or path.name
    return handle


def _start(client, path, dataset="benefits"):
    response = client.post(reverse("leads:mapping_start"), {"dataset": dataset, "export": _upload(path)})
    assert response.status_code == 302
    return response


def test_map_preview_save_and_import_next_month(client_for, owner, tmp_path, data_dir):
    client = client_for(owner)
    november = civil_affairs_export(tmp_path / "民政局11月.csv", 11, bad_amount_row=3)
    response = _start(client, november)
    wizard_url = response["Location"]
    page = client.get(wizard_url).content.decode()
    assert "表头在第 4 行" in page
    assert "GB18030" in page
    assert 'value="person_id" selected' in page
    assert "五百元" in page  # the rejected row, with its reason
    assert "可导入 4 行，拒收 1 行" in page

    # The analyst drops 资金所属期: the preview says the import would fail, and saving is refused.
    choices = {
        f"column-{n}": c
        for n, c in enumerate(["record_id", "name", "person_id", "program", "period", "amount", "pay_date"])
    }
    refused = client.post(wizard_url, {**choices, "column-4": "", "department": "民政局", "action": "save"})
    assert refused.status_code == 200
    assert "映射未保存" in refused.content.decode()
    assert mappings.saved_mappings() == []

    saved = client.post(wizard_url, {**choices, "department": "民政局", "action": "save"})
    assert saved.status_code == 302
    (mapping,) = mappings.saved_mappings()
    assert (mapping.slug, mapping.dataset, mapping.columns["识别码"]) == ("民政局", "benefits", "person_id")
    assert (data_dir / "mappings" / "民政局.yaml").read_text(encoding="utf-8").startswith("# 民政局")
    assert client.get(wizard_url).status_code == 302  # the wizard is over: its export is gone

    december = civil_affairs_export(tmp_path / "民政局12月.csv", 12, persons=6)
    imported = client.post(reverse("leads:mapping_import", args=["民政局"]), {"export": _upload(december)})
    package = DataPackage.objects.get()
    assert imported["Location"] == reverse("leads:package_detail", args=[package.pk])
    assert package.datasets == {"benefits": 6}
    assert package.name == "民政局 民政局12月"


def test_an_unknown_format_gets_a_clear_message_and_nothing_is_kept(client_for, owner, tmp_path, data_dir):
    client = client_for(owner)
    path = tmp_path / "export.csv"
    path.write_bytes(b"\x00\x01\x02binary" * 50)
    response = client.post(
        reverse("leads:mapping_start"), {"dataset": "benefits", "export": _upload(path)}, follow=True
    )
    assert "文件 export.csv：无法识别的文件格式" in response.content.decode()
    assert not any((data_dir / "tmp").glob("wizard-*"))


def test_a_bad_month_imports_nothing(client_for, owner, tmp_path, data_dir):
    client = client_for(owner)
    (data_dir / "mappings").mkdir(parents=True)
    (data_dir / "mappings" / "民政局.yaml").write_text(
        "datasets:\n  benefits:\n    person_id: [识别码]\n", encoding="utf-8"
    )
    export = civil_affairs_export(tmp_path / "dec.csv", 12)  # 资金所属期 and others unmapped
    response = client.post(
        reverse("leads:mapping_import", args=["民政局"]), {"export": _upload(export)}, follow=True
    )
    assert "数据包未保存" in response.content.decode()
    assert DataPackage.objects.count() == 0
    assert not any((data_dir / "packages").glob("*"))


def test_mapping_screens_are_for_analysts_and_leaders(client_for, people):
    assert client_for(people["case_manager"]).get(reverse("leads:mapping_list")).status_code == 403
    assert client_for(people["leader"]).get(reverse("leads:mapping_list")).status_code == 200


def test_the_refusal_reads_in_english_on_an_english_page(client_for, owner, tmp_path, data_dir):
    client = client_for(owner)
    client.cookies["django_language"] = "en"
    path = tmp_path / "export.csv"
    path.write_bytes(b"\x00\x01\x02binary" * 50)
    response = client.post(
        reverse("leads:mapping_start"), {"dataset": "benefits", "export": _upload(path)}, follow=True
    )
    page = response.content.decode()
    assert "File export.csv: Unknown file format: upload a .csv (UTF-8 or GBK) or .xlsx file" in page
    assert "无法识别的文件格式" not in page
