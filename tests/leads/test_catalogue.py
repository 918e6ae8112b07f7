"""The rule catalogue page: every rule of the library in plain words, with its parameters,
datasets, severity, category, origins and its hits in the last scans; Chinese and English."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lianqing.analytics.engine import list_rules
from lianqing.leads.catalogue import rule_catalogue
from lianqing.leads.services import scan_run_sync

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")


def _section(html: str, rule_id: str) -> str:
    start = html.index(f'id="rule-{rule_id}"')
    return html[start : html.index("</section>", start)]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_rule_is_listed_with_its_condition_parameters_and_origins(client_for, owner):
    response = client_for(owner).get(reverse("leads:rule_catalogue"))
    assert response.status_code == 200
    html = response.content.decode()
    rules = list_rules()
    assert len(rules) >= 39
    for rule in rules:
        section = _text(_section(html, rule.id))
        assert rule.name in section
        assert len(section) > 60, rule.id  # a condition, not just a name
        assert "{" not in section, rule.id  # every parameter filled in
    f09 = _text(_section(html, "F09"))
    assert "同一公务车辆在4小时内的累计加油量，超过油箱容积的（1+0.1）倍。" in f09
    assert "累计加油量的时间窗口(小时)： 4 F09.window_hours" in f09
    assert "公务车加油、公务车辆" in f09
    assert "浙江、安徽公务加油卡案例" in f09
    assert "公车私用" in f09  # the category
    c01 = _text(_section(html, "C01"))
    assert "判断在职的日期： 检查日" in c01
    assert "高" in c01


def test_the_english_catalogue_has_no_chinese(client_for, owner):
    client = client_for(owner)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("leads:rule_catalogue")).content.decode()
    catalogue = html[html.index('id="catalogue-title"') : html.index("</main>")]
    assert "Rule catalogue" in html
    assert "An official vehicle takes in more than (1 + 0.1) times its tank within 4 hours." in catalogue
    chinese = sorted(set(HAN.findall(_text(catalogue))))
    assert chinese == [], "".join(chinese)


def test_hit_counts_of_the_last_scans_per_rule(client_for, owner, scanned):
    package, first, _ = scanned
    second = scan_run_sync(package=package, user=owner, rules=["B02"])
    catalogue = rule_catalogue(user=owner)
    assert [run.pk for run in catalogue.scans] == [second.pk, first.pk]
    rows = {row.id: row for row in catalogue.rules}
    b02 = first.hits.filter(rule_id="B02").count()
    b01 = first.hits.filter(rule_id="B01").count()
    assert b02 > 0
    assert rows["B02"].hits == [(second.pk, b02), (first.pk, b02)]
    assert rows["B01"].hits == [(second.pk, None), (first.pk, b01)]  # B01 was not run the second time
    assert rows["F09"].hits == [(second.pk, None), (first.pk, None)]
    html = client_for(owner).get(reverse("leads:rule_catalogue")).content.decode()
    assert f'href="/staff/leads/runs/{first.pk}/?rule=B02">#{first.pk}：{b02}</a>' in _section(html, "B02")


def test_the_catalogue_shows_only_scans_the_reader_may_see(people, scanned):
    assert rule_catalogue(user=people["other_jurisdiction"]).scans == []
    assert len(rule_catalogue(user=people["leader"]).scans) == 1


def test_the_leads_page_links_to_the_catalogue(client_for, owner):
    html = client_for(owner).get(reverse("leads:package_list")).content.decode()
    assert f'href="{reverse("leads:rule_catalogue")}"' in html
