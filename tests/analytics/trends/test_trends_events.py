"""EVENTS.csv: usable rows kept, every bad row reported with its line and reason, bad files refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.trends.events import check_events, read_events_csv

AS_OF = dt.date(2025, 6, 30)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_each_bad_row_is_reported_with_its_line_and_the_rest_kept(tmp_path: Path) -> None:
    events_csv = write(
        tmp_path / "events.csv",
        "event_id,date,unit_code,category,region_code\n"
        "E1,2025-01-05,U1,违规吃喝,370124001\n"  # line 2: good
        "E2,2025/01/05,U1,违规吃喝,370124001\n"  # line 3: date format
        "E3,2025-07-01,U1,违规吃喝,370124001\n"  # line 4: after as_of
        "E4,2025-01-06,U1,,370124001\n"  # line 5: no category
        "E5,2025-01-07,U9,违规吃喝,370124001\n"  # line 6: unknown unit
        "E1,2025-01-08,U1,违规吃喝,370124001\n"  # line 7: duplicate id
        ",2025-01-09,U1,违规吃喝,370124001\n"  # line 8: no id
        "E6,2025-01-10,,违规吃喝,\n"  # line 9: neither unit nor region
        "E7,2025-06-30,,违规吃喝,370124002\n",  # line 10: good, region only, on as_of
    )
    events = check_events(read_events_csv(events_csv), file_name="events.csv", as_of=AS_OF, units={"U1"})
    assert events.table.column("event_id").to_pylist() == ["E1", "E7"]
    reasons = {reject.row: reject.reason for reject in events.rejects}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert "YYYY-MM-DD" in reasons[3]
    assert "截止日" in reasons[4]
    assert "类别" in reasons[5]
    assert "U9" in reasons[6]
    assert "重复" in reasons[7]
    assert "编号" in reasons[8]
    assert "单位和地区" in reasons[9]
    assert all(reject.file == "events.csv" for reject in events.rejects)


def test_without_a_unit_list_any_unit_is_accepted(tmp_path: Path) -> None:
    events_csv = write(
        tmp_path / "e.csv", "event_id,date,unit_code,category,region_code\nE1,2025-01-05,U9,x,1\n"
    )
    events = check_events(read_events_csv(events_csv), file_name="e.csv", as_of=AS_OF)
    assert events.table.num_rows == 1
    assert events.rejects == []


def test_a_missing_column_names_the_file_and_column(tmp_path: Path) -> None:
    events_csv = write(tmp_path / "e.csv", "event_id,date,unit_code,category\nE1,2025-01-05,U1,x\n")
    with pytest.raises(AnalyticsError, match=r"e\.csv.*region_code"):
        read_events_csv(events_csv)


def test_a_file_that_is_not_utf8_is_refused_clearly(tmp_path: Path) -> None:
    events_csv = write(
        tmp_path / "gbk.csv",
        "event_id,date,unit_code,category,region_code\nE1,2025-01-05,U1,违规吃喝,370124\n",
        encoding="gbk",
    )
    with pytest.raises(AnalyticsError, match="UTF-8"):
        read_events_csv(events_csv)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(AnalyticsError, match="找不到"):
        read_events_csv(tmp_path / "nothing.csv")
