"""The hit page reads as names, with id numbers masked; revealing one is an audited click."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from lianqing.core.models import AuditEvent
from lianqing.core.roles import Role
from lianqing.leads.evidence import hit_evidence_tables
from lianqing.leads.services import package_register_folder, scan_run_sync
from tests.leads.packages import CIVIL_AFFAIRS, OFFICIAL_A, RELATIVE_1, january_package

pytestmark = pytest.mark.django_db


class _Text(HTMLParser):
    """What a person reads: text nodes, not attributes (hover titles keep the codes)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.fixture
def hit(owner, data_dir):
    january_package(data_dir / "jan")
    package = package_register_folder(user=owner, folder="jan")
    run = scan_run_sync(package=package, user=owner, rules=["B01", "B02"])
    return run.hits.get(rule_id="B02", subject_id=RELATIVE_1)


def _page(client, hit) -> str:
    return client.get(reverse("leads:hit_detail", args=[hit.pk])).content.decode()


def test_evidence_tables_show_chinese_headings_names_and_yes_no(hit, owner, client_for):
    body = _page(client_for(owner), hit)
    text = visible_text(body)
    for raw in (
        "official_id",
        "relative_name",
        "is_leader",
        "approver_org_code",
        "True",
        "False",
        CIVIL_AFFAIRS,
    ):
        assert raw not in text, raw
    assert "公职人员身份证号码" in text
    assert "亲属姓名" in text
    assert "示范县民政局" in text  # the org code named from the package's orgs
    assert re.search(r'title="370124001"[^>]*>济南市 平阴县<', body)  # region name, code on hover


def test_no_id_number_is_on_the_page_not_even_in_its_source(hit, owner, client_for):
    body = _page(client_for(owner), hit)
    assert OFFICIAL_A not in body
    assert RELATIVE_1 not in body
    assert f"{RELATIVE_1[:4]}…{RELATIVE_1[-4:]}" in visible_text(body)  # the explanation's own masking


def _tokens(body: str) -> list[str]:
    return re.findall(r'name="token" value="([^"]+)"', body)


def test_revealing_an_id_shows_it_and_writes_an_audit_row(hit, owner, client_for):
    http = client_for(owner)
    tokens = _tokens(_page(http, hit))
    assert "subject" in tokens
    revealed = {}
    for token in tokens:
        response = http.post(
            reverse("leads:hit_reveal", args=[hit.pk]), {"token": token}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        revealed[token] = response.content.decode()
    assert RELATIVE_1 in revealed["subject"]
    assert any(OFFICIAL_A in html for html in revealed.values())
    audits = AuditEvent.objects.filter(object_id=str(hit.pk), details__part="reveal")
    assert sorted(event.details["field"] for event in audits) == sorted(tokens)
    assert all(event.actor_username == owner.username for event in audits)


def test_reveal_is_refused_to_readers_other_jurisdictions_and_unknown_fields(
    hit, owner, org_tree, make_user, client_for
):
    url = reverse("leads:hit_reveal", args=[hit.pk])
    reader = make_user(Role.CASE_MANAGEMENT, org=org_tree.case_office, username="anguan")
    assert client_for(reader).get(reverse("leads:hit_detail", args=[hit.pk])).status_code == 200
    assert client_for(reader).post(url, {"token": "subject"}).status_code == 403
    stranger = make_user(Role.DATA_ANALYSIS, org=org_tree.township_b, username="analyst_b")
    assert client_for(stranger).post(url, {"token": "subject"}).status_code == 404
    for token in ("benefits:0:program", "benefits:99:person_id", "nonsense", "relatives:0:nope"):
        assert client_for(owner).post(url, {"token": token}).status_code == 404, token
    assert client_for(owner).get(url).status_code == 405
    assert not AuditEvent.objects.filter(details__part="reveal").exists()


def test_booleans_read_yes_or_no(hit, owner, client_for):
    official_hit = hit.run.hits.get(rule_id="B01")
    tables = {table.name: table for table in hit_evidence_tables(official_hit)}
    officials = tables["officials"]
    column = [heading.title for heading in officials.headings].index("is_leader")
    assert officials.headings[column].text == "是否领导干部"
    assert {row[column].text for row in officials.rows} == {"否"}
    body = _page(client_for(owner), official_hit)
    assert "是否领导干部" in visible_text(body)
    assert "False" not in visible_text(body)


def test_the_results_page_warns_of_years_without_holiday_data(hit, owner, client_for):
    run = hit.run
    url = reverse("leads:run_detail", args=[run.pk])
    assert 'id="calendar-warning"' not in client_for(owner).get(url).content.decode()
    run.summary = {**run.summary, "calendar_unknown_years": [2027]}
    run.save(update_fields=["summary"])
    body = client_for(owner).get(url).content.decode()
    assert "节假日数据不含 2027 年" in visible_text(body)
