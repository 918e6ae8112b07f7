"""The one calendar: working days, rest days, festival windows and 调休, and no silent guessing."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest

from lianqing.analytics import workdays
from lianqing.analytics.engine.calendar import calendar_table

LAST_KNOWN = workdays.known_years().stop - 1
UNKNOWN_MONDAY = next(
    dt.date(LAST_KNOWN + 1, 1, day) for day in range(1, 8) if dt.date(LAST_KNOWN + 1, 1, day).weekday() == 0
)


def test_make_up_days_work_and_festival_days_rest():
    assert workdays.is_working_day(dt.date(2025, 1, 26))  # Sunday, 调休
    assert not workdays.is_working_day(dt.date(2025, 1, 29))  # 春节
    assert workdays.add_working_days(dt.date(2025, 1, 24), 6) == dt.date(2025, 2, 8)  # Saturday, 调休
    assert workdays.working_days_between(dt.date(2025, 2, 8), dt.date(2025, 1, 24)) == -6


def test_festival_window_and_rest_days_of_the_spring_festival():
    spring = workdays.holidays(dt.date(2025, 1, 20), dt.date(2025, 2, 10))
    assert [f.day for f in spring] == [dt.date(2025, 1, 28) + dt.timedelta(days=n) for n in range(8)]
    assert {f.holiday_chinese for f in spring} == {"春节"}
    assert {f.festival for f in spring} == {"Spring Festival"}
    rest = workdays.rest_days(dt.date(2025, 1, 25), dt.date(2025, 2, 9))
    assert dt.date(2025, 1, 26) not in rest
    assert dt.date(2025, 2, 8) not in rest
    assert dt.date(2025, 1, 25) in rest
    assert dt.date(2025, 2, 9) in rest


def test_an_unknown_year_is_an_error_when_strict():
    with pytest.raises(workdays.UnknownYearError, match=str(UNKNOWN_MONDAY.year)):
        workdays.is_working_day(UNKNOWN_MONDAY, strict=True)
    with pytest.raises(workdays.UnknownYearError):
        workdays.add_working_days(dt.date(LAST_KNOWN, 12, 20), 20, strict=True)


def test_an_unknown_year_warns_and_says_so_when_not_strict():
    workdays._warn_once.cache_clear()
    with pytest.warns(workdays.UnknownYearWarning, match="周一至周五"):
        facts = workdays.day_facts(UNKNOWN_MONDAY)
    assert facts.is_known is False
    assert facts.is_rest is False
    assert workdays.unknown_years(dt.date(LAST_KNOWN, 6, 1), UNKNOWN_MONDAY) == [UNKNOWN_MONDAY.year]
    assert workdays.unknown_years(dt.date(2024, 1, 1), dt.date(2025, 1, 1)) == []


def test_the_engine_calendar_table_uses_the_same_facts():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the margin beyond the data never warns
        table = calendar_table(dt.date(2025, 1, 1), dt.date(2025, 3, 1)).to_pylist()
    by_day = {row["day"]: row for row in table}
    assert by_day[dt.date(2025, 1, 26)]["is_rest"] is False
    assert by_day[dt.date(2025, 1, 29)] == {
        "day": dt.date(2025, 1, 29),
        "day_no": (dt.date(2025, 1, 29) - dt.date(1970, 1, 1)).days,
        "is_rest": True,
        "festival": "Spring Festival",
    }


def test_a_scan_over_an_uncovered_year_says_so_in_its_summary(tmp_path):
    from lianqing.analytics.engine import scan

    package = tmp_path / "package"
    package.mkdir()
    day = UNKNOWN_MONDAY.isoformat()
    (package / "expenses.csv").write_text(
        f"expense_id,org_code,category,amount,date\nE1,ORG1,公务接待,300.00,{day}\n", encoding="utf-8"
    )
    workdays._warn_once.cache_clear()
    with pytest.warns(workdays.UnknownYearWarning):
        summary = scan(package=package, rules=["F01"], as_of=day).summary
    assert summary["calendar_unknown_years"] == [UNKNOWN_MONDAY.year]
