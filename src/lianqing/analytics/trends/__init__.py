"""廉情分析: statistical early warning of 苗头性 / 倾向性 problems and concentrations.

`trends(events_csv, as_of=…, out=…)` is `lianqing trends`; `warnings_for_events(rows, as_of=…)` is
what the web app calls on its own data. Both run the same prospective, month-by-month method
(see `detect.py`): each month's warnings are computed from the events up to the end of that month.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from lianqing.analytics.trends.detect import BURST, RISE, TREND, Detection, TrendParams, Warning, detect
from lianqing.analytics.trends.events import (
    EventReject,
    Events,
    check_events,
    events_from_rows,
    read_events_csv,
)
from lianqing.analytics.trends.seasons import days_in_month, month_number
from lianqing.analytics.trends.series import build_series

WARNING_COLUMNS = (
    "unit_code",
    "category",
    "region_code",
    "kind",
    "month",
    "observed",
    "expected",
    "score",
    "explanation",
)

__all__ = [
    "BURST",
    "RISE",
    "TREND",
    "WARNING_COLUMNS",
    "TrendParams",
    "TrendsResult",
    "Warning",
    "trends",
    "warnings_for_events",
]


@dataclass(frozen=True)
class TrendsResult:
    detection: Detection
    rejects: list[EventReject]
    events_used: int

    @property
    def warnings(self) -> list[Warning]:
        return self.detection.warnings


def _run(events: Events, as_of: dt.date, params: TrendParams) -> TrendsResult:
    last_month = month_number(as_of)
    series = build_series(events.table, last_month=last_month, window_days=params.burst_days)
    fraction = as_of.day / days_in_month(last_month)
    detection = detect(series, params, last_month_fraction=fraction)
    return TrendsResult(detection=detection, rejects=events.rejects, events_used=events.table.num_rows)


def warnings_for_events(
    rows: list[dict[str, object]],
    *,
    as_of: dt.date,
    units: set[str] | None = None,
    params: TrendParams | None = None,
) -> TrendsResult:
    """The same run on rows with event_id, date, unit_code, category, region_code."""
    events = check_events(events_from_rows(rows), file_name="events", as_of=as_of, units=units)
    return _run(events, as_of, params or TrendParams())


def trends(
    events_csv: Path,
    *,
    as_of: dt.date,
    out: Path,
    units: set[str] | None = None,
    params: TrendParams | None = None,
) -> TrendsResult:
    """Write out/warnings.csv (the contract), out/rejects.csv and out/summary.json.

    The folder is written beside and renamed into place: it is complete or absent.
    """
    params = params or TrendParams()
    events = check_events(read_events_csv(events_csv), file_name=events_csv.name, as_of=as_of, units=units)
    result = _run(events, as_of, params)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        _write_warnings(staging / "warnings.csv", result.warnings)
        _write_rejects(staging / "rejects.csv", result.rejects)
        (staging / "summary.json").write_text(
            json.dumps(_summary(result, as_of, params), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


def _write_warnings(path: Path, warnings: list[Warning]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(WARNING_COLUMNS)
        for warning in warnings:
            writer.writerow(
                [
                    warning.unit_code,
                    warning.category,
                    warning.region_code,
                    warning.kind,
                    warning.month,
                    warning.observed,
                    f"{warning.expected:.2f}",
                    f"{warning.score:.2f}",
                    warning.explanation,
                ]
            )


def _write_rejects(path: Path, rejects: list[EventReject]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("file", "row", "event_id", "reason"))
        for reject in rejects:
            writer.writerow((reject.file, reject.row, reject.event_id, reject.reason))


def _summary(result: TrendsResult, as_of: dt.date, params: TrendParams) -> dict[str, object]:
    detection = result.detection
    by_kind = {kind: sum(1 for w in detection.warnings if w.kind == kind) for kind in (RISE, TREND, BURST)}
    return {
        "as_of": as_of.isoformat(),
        "events_used": result.events_used,
        "events_rejected": len(result.rejects),
        "series_months_judged": detection.series_months,
        "months_judged": detection.months_judged,
        "months_without_baseline": detection.months_too_short,
        "warnings": by_kind,
        "method": "negative binomial baseline (pooled seasonal GLM + Spring Festival), NB CUSUM, scan",
        "params": asdict(params),
    }
