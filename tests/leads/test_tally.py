"""The hit list at a province's volume: tallies that equal a live count after every decision, a
count that stops at 10,000 when searching, and an export that streams every row in list order."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.urls import reverse
from openpyxl import load_workbook

from lianqing.leads.models import Hit, HitTally, OrgTally, RuleTally
from lianqing.leads.selectors import HitFilters, hit_facets, hit_list, hit_overview, org_summary, rule_summary
from lianqing.leads.services import hit_convert, hit_exclude
from lianqing.leads.tally import KEY, ORG_KEY, RULE_KEY, tally_rebuild

pytestmark = pytest.mark.django_db

FILTER_SETS = [
    HitFilters(),
    HitFilters(rule="B02"),
    HitFilters(severity="高"),
    HitFilters(status="pending"),
    HitFilters(status="excluded", change="new"),
    HitFilters(change="new"),
    HitFilters(rule="B02", status="pending"),
    HitFilters(region="37"),
    HitFilters(region="370101", severity="高"),
    HitFilters(org="X"),
    HitFilters(org="X1", status="excluded"),
]


def _live(user, run, filters: HitFilters) -> tuple[int, list, list]:
    hits = hit_list(user=user, run=run, filters=filters)
    return hits.count(), rule_summary(hits=hits), org_summary(hits=hits)


def _tallied(user, run, filters: HitFilters) -> tuple[int, list, list]:
    overview = hit_overview(hits=hit_list(user=user, run=run, filters=filters), run=run, filters=filters)
    assert overview.count is not None
    return overview.count, overview.summary, overview.org_summary


def _tally_rows(run) -> tuple[set[tuple], ...]:
    """Every tally of a scan, fine and coarse (rows at zero are no group at all)."""
    return tuple(
        set(model.objects.filter(run=run, hits__gt=0).values_list(*key, "hits", "amount"))
        for model, key in ((HitTally, KEY), (RuleTally, RULE_KEY), (OrgTally, ORG_KEY))
    )


def _coarse_equals_live(run) -> None:
    hits = Hit.objects.filter(run=run).order_by()
    for model, key, live in (
        (RuleTally, RULE_KEY, hits),
        (OrgTally, ORG_KEY, hits.exclude(subject_org_code="")),
    ):
        counted = set(
            live.values(*key).annotate(n=Count("id"), money=Sum("amount")).values_list(*key, "n", "money")
        )
        assert set(model.objects.filter(run=run, hits__gt=0).values_list(*key, "hits", "amount")) == counted


def _spread_over_units(run) -> None:
    """Give the hits units and regions (the test package's hits have none) and recount."""
    for number, hit in enumerate(Hit.objects.filter(run=run).order_by("pk")):
        Hit.objects.filter(pk=hit.pk).update(
            subject_org_code=f"X{number % 2}",
            subject_org_name=f"单位{number % 2}",
            region_code=f"3701{number % 3:02d}",
        )
    tally_rebuild(run)


def test_tallies_equal_a_live_count_for_every_filter_and_after_each_decision(scanned, owner):
    _, run, hit = scanned
    _spread_over_units(run)
    assert Hit.objects.filter(run=run).count() >= 3

    def check() -> None:
        for filters in FILTER_SETS:
            assert _tallied(owner, run, filters) == _live(owner, run, filters), filters
        _coarse_equals_live(run)

    check()
    hit_exclude(hit=hit, user=owner, reason="核实无误")
    check()
    other = Hit.objects.filter(run=run, status="pending").exclude(amount=None).first()
    assert other is not None
    hit_convert(hit=other, user=owner)
    check()
    moved = _tally_rows(run)
    tally_rebuild(run)
    assert _tally_rows(run) == moved  # the moves left what a recount gives
    assert {row[2] for row in moved[0]} == {"pending", "excluded", "converted"}
    assert {row[2] for row in moved[1]} == {"pending", "excluded", "converted"}


def test_a_decision_moves_the_money_with_the_hit(scanned, owner):
    _, run, _ = scanned
    hit = Hit.objects.filter(run=run).exclude(amount=None).first()
    assert hit is not None
    assert hit.amount > Decimal(0)
    hit_exclude(hit=hit, user=owner, reason="核实无误")
    excluded = HitTally.objects.get(run=run, rule_id=hit.rule_id, status="excluded")
    assert (excluded.hits, excluded.amount) == (1, hit.amount)


def test_filter_choices_come_from_the_tallies(scanned, owner):
    _, run, _ = scanned
    _spread_over_units(run)
    facets = hit_facets(run=run)
    hits = Hit.objects.filter(run=run)
    assert facets["rules"] == sorted(set(hits.values_list("rule_id", flat=True)))
    assert [region["code"] for region in facets["regions"]] == ["370100", "370101", "370102"]
    assert facets["orgs"] == [("X0", "单位0"), ("X1", "单位1")]


def _many_hits(run, count: int) -> None:
    template = Hit.objects.filter(run=run).first()
    assert template is not None
    Hit.objects.bulk_create(
        [
            Hit(
                run=run, org_id=template.org_id, rule_id="B01", rule_name=template.rule_name, severity="中",
                subject_id=f"MANY{number:06d}", subject_name="批量对象", record_ids=template.record_ids,
                explanation="批量", fingerprint=f"many{number}",
            )
            for number in range(count)
        ],
        batch_size=2000,
    )  # fmt: skip
    tally_rebuild(run)


@pytest.mark.parametrize(
    ("language", "capped", "exact"),
    [("zh-hans", "符合条件的疑点 10,000+ 条", "符合条件的疑点 {} 条"), ("en", "10,000+ matching hits", "{} matching hits")],
)  # fmt: skip
def test_a_search_counts_at_most_ten_thousand_and_says_so(
    scanned, owner, client_for, language, capped, exact
):
    _, run, _ = scanned
    _many_hits(run, 10_001)
    http = client_for(owner)
    url = reverse("leads:run_detail", args=[run.pk])
    searched = http.get(url, {"q": "批量", "rule": "B01"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert capped in searched
    tallied = http.get(url, {"rule": "B01", "severity": "中"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    count = Hit.objects.filter(run=run, rule_id="B01", severity="中").count()
    assert count > 10_000
    assert exact.format(f"{count:,}") in tallied  # without a search the tallies give the exact number


def test_the_export_streams_every_row_in_list_order(scanned, owner, client_for):
    _, run, _ = scanned
    _many_hits(run, 2500)
    response = client_for(owner).get(reverse("leads:run_export", args=[run.pk]))
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) > 1  # sent in pieces, not as one body
    rows = list(
        load_workbook(io.BytesIO(b"".join(chunks)), read_only=True).active.iter_rows(values_only=True)
    )
    listed = list(hit_list(user=owner, run=run, filters=HitFilters()).values_list("rule_id", "subject_id"))
    assert [(row[0], row[3]) for row in rows[1:]] == listed
    assert len(listed) > 2500


@pytest.mark.parametrize(
    ("language", "told"),
    [("zh-hans", "列表只翻到第 20 页"), ("en", "The list stops at page 20")],
)
def test_pages_stop_at_twenty_and_say_how_to_see_the_rest(scanned, owner, client_for, language, told):
    _, run, _ = scanned
    _many_hits(run, 1_100)  # 23 pages of 50
    http = client_for(owner)
    url = reverse("leads:run_detail", args=[run.pk])
    deep = http.get(url, {"page": 23}, HTTP_ACCEPT_LANGUAGE=language)
    assert deep.context["page"].number == 20  # a page past the last offered shows the last offered
    assert told in deep.content.decode()
    first = http.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert told not in first.content.decode()
    assert (
        first.context["page"].paginator.count == Hit.objects.filter(run=run).count()
    )  # the count stays exact


def test_a_search_under_the_cap_counts_and_sums_its_matches_exactly(scanned, owner, client_for):
    _, run, hit = scanned
    _many_hits(run, 120)  # subject_id MANY000000 … MANY000119
    for filters in (
        HitFilters(q="MANY00001"),
        HitFilters(q="many", rule="B01"),
        HitFilters(q=hit.subject_id),
    ):
        assert _tallied(owner, run, filters) == _live(owner, run, filters), filters
    page = (
        client_for(owner).get(reverse("leads:run_detail", args=[run.pk]), {"q": "MANY00001"}).context["page"]
    )
    listed = list(
        hit_list(user=owner, run=run, filters=HitFilters(q="MANY00001")).values_list("pk", flat=True)
    )
    assert [row.pk for row in page] == listed
    assert page.paginator.count == len(listed) == 10


def test_each_tally_names_its_own_grain(scanned):
    # The shared base's __str__ shows the rule for the rule grains and the unit for the unit grain.
    _, scanned, _ = scanned
    org = OrgTally.objects.filter(run=scanned, hits__gt=0).first()
    rule = RuleTally.objects.filter(run=scanned, hits__gt=0).first()
    assert org is not None
    assert rule is not None
    assert str(org) == f"{scanned.pk} {org.subject_org_code} {org.status} {org.hits}"
    assert str(rule) == f"{scanned.pk} {rule.rule_id} {rule.status} {rule.hits}"
