"""The importer's byte-level checks never vouch for a value that Arrow's trim or regex would change or refuse."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from lianqing.analytics.contract import IdKind
from lianqing.analytics.importer import (
    _ID_PATTERNS,
    _PERIOD_PATTERN,
    _ids_look_clean,
    _nothing_to_trim,
    _periods_look_clean,
    _strings,
    import_package,
)

GOOD_ID = "11010519491231002X"


def _clean(check: object, values: list[str | None], *args: object) -> bool:
    strings = _strings(pa.array(values, pa.string()))
    assert strings is not None
    return bool(check(*args, strings))  # type: ignore[operator]


def _stripped_characters() -> list[str]:
    """Every character that Arrow's utf8_trim_whitespace removes, found by asking Arrow."""
    characters = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF]
    values = pa.array([f"{c}a" for c in characters], pa.string())
    changed = pc.not_equal(pc.utf8_trim_whitespace(values), values).to_pylist()
    return [c for c, hit in zip(characters, changed, strict=True) if hit]


def test_every_character_arrow_trims_sends_the_column_to_arrow() -> None:
    stripped = _stripped_characters()
    assert {" ", "\t", "\u3000", "\u00a0", "\u2028"} <= set(stripped)
    for character in stripped:
        for value in (f"{character}张三", f"张三{character}", f"a{character}", character, f"{character}1"):
            assert not _clean(_nothing_to_trim, ["张三", value]), repr(value)


def test_tidy_text_takes_the_byte_path() -> None:
    assert _clean(_nothing_to_trim, ["张三", "BF1", None, "低保", "a b", "中"])
    assert not _clean(_nothing_to_trim, ["张三", ""])


@pytest.mark.parametrize("kind", [IdKind.PERSON, IdKind.PERSON_OR_USCC, IdKind.USCC, IdKind.REGION])
def test_ids_vouched_for_by_bytes_match_the_regex(kind: IdKind) -> None:
    values = [
        GOOD_ID,
        "110105194912310021",
        "11010519491231002x",
        "91350100M000100Y43",
        "411521102",
        "4115211",
        " 411521",
        "41152１",
        "1101051949123100",
        "11010519491231002XX",
        "ABC",
        "a1",
        "-1",
        "12:3",
    ]
    pattern = re.compile(_ID_PATTERNS[kind].strip("^$"))
    for value in values:
        if _clean(_ids_look_clean, [value], kind):
            assert pattern.fullmatch(value), (kind, value)
    clean = [v for v in values if pattern.fullmatch(v)]
    assert _clean(_ids_look_clean, [*clean, None], kind)  # all clean: the fast path is taken


def test_periods_vouched_for_by_bytes_match_the_regex() -> None:
    pattern = re.compile(_PERIOD_PATTERN.strip("^$"))
    values = [f"2024-{m:02d}" for m in range(20)] + [
        "2024-1",
        "2024/05",
        " 2024-05",
        "２024-05",
        "202405",
        "2024-5 ",
    ]
    for value in values:
        assert _clean(_periods_look_clean, [value]) == bool(pattern.fullmatch(value)), value
    assert _clean(_periods_look_clean, ["2024-01", None, "2023-12"])


def test_padded_values_in_a_csv_are_trimmed_as_before(tmp_path: Path) -> None:
    source = tmp_path / "benefits.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "program", "person_id", "name", "amount", "period", "pay_date"])
        writer.writerow(["R1", "低保", GOOD_ID, "\u3000张三\u3000", "450.00", "2024-05", "2024-05-24"])
        writer.writerow(["R2\u00a0", "低保 ", f" {GOOD_ID}", "李四", "470.00", "2024-06", "2024-06-25"])
    result = import_package([str(source)], tmp_path / "pkg")
    assert result.ok, result.problems
    rows = pq.read_table(tmp_path / "pkg" / "benefits.parquet").to_pylist()
    assert [(r["record_id"], r["program"], r["person_id"], r["name"]) for r in rows] == [
        ("R1", "低保", GOOD_ID, "张三"),
        ("R2", "低保", GOOD_ID, "李四"),
    ]
