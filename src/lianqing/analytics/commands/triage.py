"""`lianqing triage`: the first reading of reports (DATA-CONTRACT.md "Reading reports")."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from lianqing.analytics.errors import AnalyticsError

PREDICTION_COLUMNS = ("text_id", "category", "confidence", "duplicate_of", "persons", "amount")
BATCH = 2000


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lianqing triage",
        description="研读举报：类别、重复件、人名、金额",
    )
    parser.add_argument("texts", type=Path, help="TEXTS.csv: text_id, text (UTF-8, in order of arrival)")
    parser.add_argument("--out", required=True, type=Path, help="结果文件夹")
    parser.add_argument("--model", type=Path, help="本委分类模型 .npz；缺省用内置模型")
    return parser


def _rows(path: Path) -> list[tuple[str, str]]:
    csv.field_size_limit(1 << 24)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("text_id", "text") if c not in (reader.fieldnames or [])]
            if missing:
                raise AnalyticsError(f"{path.name}: 缺少列 {', '.join(missing)}")
            rows = []
            for line, row in enumerate(reader, start=2):
                text_id = (row["text_id"] or "").strip()
                if not text_id:
                    raise AnalyticsError(f"{path.name} 第 {line} 行: text_id 为空")
                rows.append((text_id, row["text"] or ""))
            return rows
    except FileNotFoundError as error:
        raise AnalyticsError(f"找不到文件 {path}") from error
    except UnicodeDecodeError as error:
        raise AnalyticsError(f"{path.name}: 不是 UTF-8 编码") from error
    except csv.Error as error:
        raise AnalyticsError(f"{path.name}: CSV 格式错误：{error}") from error


def _amount(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def triage_main(argv: list[str]) -> int:
    options = _parser().parse_args(argv)
    from lianqing.analytics.text.triage import Reader, load_model

    try:
        rows = _rows(options.texts)
        model, note = load_model(options.model)
    except AnalyticsError as error:
        print(f"错误: {error}", file=sys.stderr)
        return 2
    if note:
        print(f"提示: {note}", file=sys.stderr)
    reader = Reader(model)
    options.out.mkdir(parents=True, exist_ok=True)
    unreadable = 0
    partial = options.out / "predictions.csv.part"
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PREDICTION_COLUMNS)
        for start in range(0, len(rows), BATCH):
            for reading in reader.read_many(rows[start : start + BATCH]):
                unreadable += bool(reading.note)
                writer.writerow(
                    (
                        reading.text_id,
                        reading.category,
                        f"{reading.confidence:.3f}",
                        reading.duplicate_of,
                        ";".join(reading.persons),
                        _amount(reading.amount),
                    )
                )
    partial.replace(options.out / "predictions.csv")
    if unreadable:
        print(f"{unreadable} 条文本无法识别，类别记为 other", file=sys.stderr)
    print(f"{len(rows)} 条已研读，结果见 {options.out / 'predictions.csv'}")
    return 0
