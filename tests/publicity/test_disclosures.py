from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from lianqing.core.models import AuditEvent
from lianqing.publicity import services
from lianqing.publicity.errors import PublicityError
from lianqing.publicity.models import DisclosureLine, LookupCounter
from tests.publicity.helpers import published_disclosure, solved_challenge
from tests.publicity.packages import EAST, LI, WANG, WEST, ZHANG


def test_lines_are_masked_placed_in_villages_and_totalled(analyst, leader, package):
    disclosure = published_disclosure(analyst=analyst, leader=leader, package=package)
    east = disclosure.villages.get(code=EAST)
    assert east.name == "甲镇东山村村民委员会"
    assert east.town == "甲镇人民政府"
    lines = list(DisclosureLine.objects.filter(village=east).order_by("period"))
    assert [(line.masked_name, line.amount_cents, line.period, line.household_size) for line in lines] == [
        ("张*明", 50000, "2025-01", 2),
        ("张*明", 52000, "2025-02", 2),
    ]
    assert lines[0].approver == "甲镇人民政府"
    assert east.total_cents == 102000
    assert {(t["program"], t["period"], t["count"]) for t in east.totals} == {
        ("低保", "2025-01", 1),
        ("低保", "2025-02", 1),
    }
    assert disclosure.standards[0]["max_cents"] == "65000"


def test_unknown_villages_and_programs_are_reported_not_published(analyst, leader, package):
    disclosure = published_disclosure(
        analyst=analyst,
        leader=leader,
        package=package,
        programs=("低保", "特困供养", "临时救助"),
        villages=[WEST, "370124001299"],
    )
    problems = {(p["kind"], p["value"], p["reason"]) for p in disclosure.problems}
    assert ("program", "特困供养", "no_standard") in problems
    assert ("program", "临时救助", "no_standard") in problems
    assert ("village", "370124001299", "unknown_village") in problems
    assert ("unplaced", "370124009301", "unknown_village") in problems
    assert set(disclosure.villages.values_list("code", flat=True)) == {WEST}
    assert not DisclosureLine.objects.filter(program="特困供养").exists()
    assert Client().get(reverse("publicity:village_detail", args=["370124001299"])).status_code == 404


def test_a_package_without_standards_is_refused(analyst, data_dir):
    from lianqing.leads.services import package_register_folder
    from tests.leads.packages import write_csv_package
    from tests.publicity.packages import benefits_package

    benefits_package(data_dir / "full")
    rows = (data_dir / "full" / "benefits.csv").read_text(encoding="utf-8")
    write_csv_package(
        data_dir / "empty",
        {"deaths": [{"person_id": ZHANG, "name": "张三明", "death_date": "2024-01-01", "source": "民政"}]},
    )
    (data_dir / "empty" / "benefits.csv").write_text(rows, encoding="utf-8")
    package = package_register_folder(user=analyst, folder="empty")
    with pytest.raises(PublicityError, match="缺少数据集：orgs、standards"):
        services.disclosure_create(
            by=analyst, package_id=package.pk, title="", programs=["低保"], village_codes=None
        )


def test_village_page_and_the_question_link(analyst, leader, package):
    published_disclosure(analyst=analyst, leader=leader, package=package)
    client = Client()
    listing = client.get(reverse("publicity:village_list") + "?q=东山").content.decode()
    assert "甲镇东山村村民委员会" in listing
    assert "西河村" not in listing
    page = client.get(reverse("publicity:village_detail", args=[EAST])).content.decode()
    assert "张*明" in page
    assert "张三明" not in page
    links = re.findall(r'href="(/report/\?[^"]+)"', page)
    assert len(links) == 2
    reference = DisclosureLine.objects.filter(village__code=EAST).order_by("-period").first().reference
    assert links[0] == f"/report/?ref={reference}"
    form = client.get(links[0].replace("&amp;", "&")).content.decode()
    assert f"【民生资金公开 {reference}】我对这一条有疑问：" in form
    assert "张" not in form.split("【民生资金公开")[1].split("</textarea>")[0]


def test_report_form_ignores_anything_but_a_reference():
    form = Client().get("/report/?ref=<script>&description=伪造").content.decode()
    assert "伪造" not in form
    assert "民生资金公开" not in form


def _lookup(client, id_number, name):
    token, answer = solved_challenge()
    return client.post(
        reverse("publicity:lookup"), {"id_number": id_number, "name": name, "captcha": answer, "token": token}
    )


def _result(response) -> str:
    text = response.content.decode()
    return text.split('id="lookup-results"')[1].split("</section>")[0]


def test_self_lookup_finds_own_benefits_and_leaves_only_a_counter(analyst, leader, package):
    published_disclosure(analyst=analyst, leader=leader, package=package)
    audit_before = AuditEvent.objects.count()
    found = _lookup(Client(), ZHANG.lower(), "张三明")
    assert found.status_code == 200
    assert "520.00" in _result(found)
    assert "no-store" in found["Cache-Control"]
    assert LookupCounter.objects.get().count == 1
    assert AuditEvent.objects.count() == audit_before


def test_no_record_reads_the_same_whether_the_id_exists_or_not(analyst, leader, package):
    published_disclosure(analyst=analyst, leader=leader, package=package)
    exists_no_benefit = _result(_lookup(Client(), LI, "李四"))
    wrong_name = _result(_lookup(Client(), WANG, "王五"))
    unknown = _result(_lookup(Client(), "110101199003071234", "陈某"))
    assert exists_no_benefit == wrong_name == unknown
    assert 'id="lookup-none"' in unknown


def test_lookup_needs_the_challenge(analyst, leader, package):
    published_disclosure(analyst=analyst, leader=leader, package=package)
    token, _answer = solved_challenge()
    response = Client().post(
        reverse("publicity:lookup"),
        {"id_number": ZHANG, "name": "张三明", "captcha": "XXXXX", "token": token},
    )
    assert response.status_code == 400
    assert "lookup-results" not in response.content.decode()
    assert not LookupCounter.objects.exists()


def test_lookup_is_rate_limited(analyst, leader, package, settings):
    published_disclosure(analyst=analyst, leader=leader, package=package)
    client = Client()
    statuses = [_lookup(client, ZHANG, "张三明").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
