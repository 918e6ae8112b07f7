"""`lianqing trends`: early warnings from a file of events (DATA-CONTRACT.md "Trends and warnings")."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from lianqing.analytics.errors import AnalyticsError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lianqing trends",
        description="按月预警苗头性、倾向性问题和集中反映",
    )
    parser.add_argument(
        "events", type=Path, help="EVENTS.csv: event_id, date, unit_code, category, region_code"
    )
    parser.add_argument("--as-of", required=True, help="截止日期 YYYY-MM-DD")
    parser.add_argument("--out", required=True, type=Path, help="结果文件夹")
    parser.add_argument("--units", type=Path, help="单位清单 CSV，含 unit_code 列；不在其中的单位被拒收")
    return parser


def _as_of(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise AnalyticsError(f"--as-of {text!r} 应为 YYYY-MM-DD 格式的日期") from error


def _units(path: Path) -> set[str]:
    import csv

    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if "unit_code" not in (reader.fieldnames or []):
                raise AnalyticsError(f"{path.name}: 缺少列 unit_code")
            return {row["unit_code"].strip() for row in reader if row["unit_code"].strip()}
    except FileNotFoundError as error:
        raise AnalyticsError(f"找不到单位清单 {path}") from error
    except UnicodeDecodeError as error:
        raise AnalyticsError(f"{path.name}: 不是 UTF-8 编码") from error


def trends_main(argv: list[str]) -> int:
    options = _parser().parse_args(argv)
    from lianqing.analytics.trends import trends

    try:
        units = _units(options.units) if options.units else None
        result = trends(options.events, as_of=_as_of(options.as_of), out=options.out, units=units)
    except AnalyticsError as error:
        print(f"错误: {error}", file=sys.stderr)
        return 2
    if result.rejects:
        print(
            f"{len(result.rejects)} 行事件被拒收，见 {options.out / 'rejects.csv'}",
            file=sys.stderr,
        )
    detection = result.detection
    if not detection.months_judged:
        print(
            f"历史不足 {len(detection.months_too_short)} 个月，尚无法建立基线，未发出预警",
            file=sys.stderr,
        )
    print(
        f"{len(result.warnings)} 条预警已写入 {options.out / 'warnings.csv'}；"
        f"使用事件 {result.events_used} 条，研判 {len(detection.months_judged)} 个月"
    )
    return 0
