"""The daily run: events from the other apps' selectors, the library's warnings, the index; idempotent."""

from __future__ import annotations

import datetime as dt

from lianqing.integrity.models import IndexScore, SubjectKind, Warning, WarningStatus
from lianqing.integrity.refresh import integrity_refresh
from tests.integrity.conftest import AS_OF, RISE_MONTH


def test_a_planted_rise_is_warned_with_its_items_and_band(refreshed, rise_warning):
    # Given eight reports in a month about a unit that usually has one, when the daily run runs,
    # then a 苗头性 warning names the unit, the month, the items behind it and the expected band.
    assert rise_warning.observed == 8
    assert rise_warning.expected < 3
    assert rise_warning.band_low <= rise_warning.expected <= rise_warning.band_high < 8
    assert sorted(rise_warning.items) == sorted(f"case:{case.pk}" for case in refreshed.rise_cases)
    assert rise_warning.unit_name == "甲镇人民政府"
    assert rise_warning.history[-1][:2] == ["2026-10", 8]
    assert rise_warning.status == WarningStatus.WARNED
    assert not Warning.objects.filter(month__lt=RISE_MONTH, unit_code="U-A").exists()


def test_every_score_is_explained_and_names_its_version(refreshed):
    cadre = IndexScore.objects.get(subject_kind=SubjectKind.CADRE, subject_id=str(refreshed.cadres[0].pk))
    assert cadre.month == dt.date(2026, 10, 1)
    assert cadre.version == "2026.1"
    received = next(d for d in cadre.deductions if d["indicator"] == "report_received")
    assert received["points"] == 8  # capped at 8 however many reports
    assert all(ref.startswith("case:") for ref in received["items"])
    assert cadre.score == 100 - sum(d["points"] for d in cadre.deductions)
    unit = IndexScore.objects.get(subject_kind=SubjectKind.UNIT, subject_id="U-A")
    names = {d["indicator"] for d in unit.deductions}
    assert {"cadres", "warning_open"} <= names  # its cadres' share and its open warning
    assert unit.score < 100
    # every unit of the registry gets a score, even one with nothing on file
    assert IndexScore.objects.filter(subject_kind=SubjectKind.UNIT).count() == 2


def test_running_again_changes_nothing_and_keeps_the_disposition(refreshed, rise_warning):
    Warning.objects.filter(pk=rise_warning.pk).update(status=WarningStatus.VERIFYING)
    before = (Warning.objects.count(), IndexScore.objects.count())
    integrity_refresh(as_of=AS_OF)
    assert (Warning.objects.count(), IndexScore.objects.count()) == before
    assert Warning.objects.get(pk=rise_warning.pk).status == WarningStatus.VERIFYING


def test_a_later_run_keeps_earlier_months(refreshed, rise_warning):
    integrity_refresh(as_of=dt.date(2026, 11, 30))
    assert Warning.objects.filter(pk=rise_warning.pk, observed=8).exists()
    months = set(IndexScore.objects.values_list("month", flat=True))
    assert months == {dt.date(2026, 10, 1), dt.date(2026, 11, 1)}  # kept month by month


def test_nothing_before_the_history_is_long_enough(world):
    run = integrity_refresh(as_of=dt.date(2025, 10, 31))
    assert run.summary["warnings"] == 0
    assert run.summary["months_without_baseline"] > 0


def test_a_future_report_is_left_out(world, org_tree):
    from tests.cases.factories import local_dt
    from tests.integrity.conftest import report

    report(org_tree.township_a, world.cadres[0], local_dt(2026, 11, 20))
    run = integrity_refresh(as_of=AS_OF)
    assert run.summary["events"] == 28  # 20 + 8, not the one after as_of
