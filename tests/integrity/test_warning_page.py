"""A warning's page: the explanation in the reader's language, the chart's expected band month by
month, and no region warning that only repeats a unit's."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.urls import reverse

from lianqing.integrity.models import Warning, WarningStatus
from lianqing.integrity.refresh import integrity_refresh
from lianqing.integrity.selectors import warning_subject
from tests.integrity.conftest import AS_OF

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _explanation(page: str) -> str:
    found = re.search(r'<p id="warning-explanation">(.*?)</p>', page, re.S)
    assert found, "the page has no explanation"
    return found.group(1)


def test_the_explanation_is_in_the_readers_language(refreshed, rise_warning, client_for, settings):
    # Given the planted rise, a Chinese reader reads the model's reasons in Chinese and an English
    # reader in English, the only Chinese left being the names of the unit and its region (data).
    client = client_for(refreshed.leader)
    url = reverse("integrity:warning_detail", args=[rise_warning.pk])
    chinese = _explanation(client.get(url).content.decode())
    assert "突然上升" in chinese
    assert "2026-10" in chinese
    assert "甲镇人民政府" in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _explanation(client.get(url).content.decode())
    assert "sudden rise" in english
    assert "8, where the baseline expects" in english
    assert "times the expected count" in english
    names = warning_subject(rise_warning)  # in the reader's language already: data only
    assert CHINESE.findall(english.replace(names.replace("（", " (").replace("）", ")"), "")) == []


def test_the_chart_shows_the_expected_band_in_every_judged_month(refreshed, rise_warning, client_for):
    # The series starts in 2025-01, so the model judges it from 2026-02 (twelve months of baseline
    # and one of guard): the chart has the expected count and band from then on, beside the counts.
    page = client_for(refreshed.leader).get(reverse("integrity:warning_detail", args=[rise_warning.pk]))
    chart = json.loads(
        re.search(
            r'<script id="warning-chart-data" type="application/json">(.*?)</script>',
            page.content.decode(),
            re.S,
        ).group(1)  # type: ignore[union-attr]
    )
    judged = [
        month for month, value in zip(chart["months"], chart["expected"], strict=True) if value is not None
    ]
    assert judged == [f"2026-{m:02d}" for m in range(2, 11)]
    for month, value, low, high in zip(
        chart["months"], chart["expected"], chart["low"], chart["high"], strict=True
    ):
        if value is not None:
            assert 0 < value < 3, month
            assert low <= value <= high, month
    assert chart["counts"][-1] == 8
    assert chart["expected"][-1] == rise_warning.expected
    assert (chart["low"][-1], chart["high"][-1]) == (rise_warning.band_low, rise_warning.band_high)
    assert rise_warning.history[-1][:2] == ["2026-10", 8]


def test_a_units_rise_is_not_repeated_as_its_regions_warning(refreshed, rise_warning):
    # The planted rise is 甲镇人民政府's alone: its region has no warning of its own.
    assert rise_warning.region_code
    assert not Warning.objects.filter(unit_code="").exists()


def test_a_region_copy_left_by_an_earlier_run_goes_unless_someone_acted_on_it(refreshed, rise_warning):
    def copy(**changes: object) -> Warning:
        values = {
            "kind": rise_warning.kind, "unit_code": "", "category": rise_warning.category,
            "region_code": rise_warning.region_code, "observed": 8, "expected": 1.0, "score": 3.0,
            "explanation": "x", "org": rise_warning.org, **changes,
        }  # fmt: skip
        return Warning.objects.create(**values)

    untouched = copy(month=rise_warning.month)
    acted_on = copy(month=dt.date(2026, 9, 1), status=WarningStatus.VERIFYING, version=1)
    integrity_refresh(as_of=AS_OF)
    assert not Warning.objects.filter(pk=untouched.pk).exists()
    assert Warning.objects.filter(pk=acted_on.pk).exists()
    assert Warning.objects.filter(pk=rise_warning.pk).exists()
