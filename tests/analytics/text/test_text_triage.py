"""The reader: copies, unreadable input, the model file, and `lianqing triage`."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from lianqing.analytics.text.classifier import default_model_path
from lianqing.analytics.text.corpus import CATEGORIES, generate_corpus
from lianqing.analytics.text.duplicates import CopyFinder
from lianqing.analytics.text.triage import UNREADABLE, Reader, load_model

LETTER = "尊敬的纪委领导：我实名举报，县卫健局局长汪建国经常用公款在城关镇的饭店大吃大喝，一顿饭花了三千元，发票开成办公用品报销。"


@pytest.fixture(scope="module")
def reader_factory() -> object:
    model, note = load_model()
    assert note == ""
    return lambda: Reader(model)


def test_a_resent_letter_is_a_copy_of_the_first_and_another_about_the_same_person_is_not(
    reader_factory: object,
) -> None:
    reader = reader_factory()  # type: ignore[operator]
    first = reader.read("A", LETTER)
    again = reader.read("B", "再次反映：" + LETTER.replace("，", ",").replace("。", "。 "))
    other = reader.read("C", "汪建国局长开着公车接送孩子上下学，周末还开公车去东岭镇钓鱼。")
    third = reader.read("D", "【转发】" + LETTER)
    assert first.duplicate_of == ""
    assert again.duplicate_of == "A"
    assert other.duplicate_of == ""
    assert third.duplicate_of == "A"  # the earliest, not the latest copy
    assert first.category == "sifeng_dining"
    assert first.persons == ("汪建国",)
    assert first.amount == 3000
    assert 0 < first.confidence <= 1


def test_the_same_words_about_someone_else_are_not_a_copy() -> None:
    finder = CopyFinder()
    finder.add("A", LETTER, (("汪建国",), 3000.0))
    assert finder.add("B", LETTER.replace("汪建国", "李红梅"), (("李红梅",), 3000.0)) == ""


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x01\x02\x03\x04\x05", "🙂🙂🙂🙂🙂", "!!!???...", "<script></script><br>"],
    ids=["empty", "spaces", "binary", "emoji", "symbols", "html-only"],
)
def test_unreadable_text_gets_a_reading_not_a_crash(reader_factory: object, text: str) -> None:
    reading = reader_factory().read("X", text)  # type: ignore[operator]
    assert reading.category == "other"
    assert reading.confidence == 0.0
    assert reading.note == UNREADABLE


def test_html_emoji_mixed_scripts_and_a_huge_paste_are_read(reader_factory: object) -> None:
    reader = reader_factory()  # type: ignore[operator]
    html = reader.read("H", "<p>举报<b>王伟</b>书记收了购物卡&nbsp;5000元🙂 OK?</p>")
    assert html.persons == ("王伟",)
    assert html.amount == 5000
    assert html.category == "sifeng_gifts"
    huge = reader.read("L", LETTER * 5000)
    assert huge.category == "sifeng_dining"


def test_a_broken_model_file_falls_back_to_the_default_and_says_so(tmp_path: Path) -> None:
    broken = tmp_path / "model.npz"
    broken.write_bytes(b"not a model")
    model, note = load_model(broken)
    assert "已改用内置默认模型" in note
    assert set(model.classes) == set(CATEGORIES)


def test_a_saved_model_loads_back_with_the_same_predictions(tmp_path: Path) -> None:
    from lianqing.analytics.text.classifier import load, train

    samples = [s for s in generate_corpus(600, seed=5) if not s.duplicate_of]
    model = train([s.text for s in samples], [s.category for s in samples], version="test-1")
    model.save(tmp_path / "m.npz")
    again = load(tmp_path / "m.npz")
    texts = [s.text for s in samples[:40]]
    assert [c for c, _ in again.predict(texts)] == [c for c, _ in model.predict(texts)]
    assert again.version == "test-1"


def test_the_shipped_model_is_plain_arrays_not_a_pickle() -> None:
    import numpy as np

    with np.load(default_model_path(), allow_pickle=False) as stored:
        assert {"classes", "vocabulary", "idf", "coef", "intercept", "version"} <= set(stored.files)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "lianqing.cli", "triage", *args], capture_output=True, text=True, check=False
    )


def test_the_command_writes_the_contract_columns_one_row_per_text_in_order(tmp_path: Path) -> None:
    texts = tmp_path / "texts.csv"
    with texts.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text_id", "text"])
        writer.writerows([["r1", LETTER], ["r2", ""], ["r3", "再次反映：" + LETTER], ["r4", "你好"]])
    result = run(str(texts), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    with (tmp_path / "out" / "predictions.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["text_id", "category", "confidence", "duplicate_of", "persons", "amount"]
    assert [r["text_id"] for r in rows] == ["r1", "r2", "r3", "r4"]
    assert rows[0]["persons"] == "汪建国"
    assert rows[0]["amount"] == "3000.00"
    assert rows[2]["duplicate_of"] == "r1"
    assert rows[1]["category"] == "other"
    assert rows[1]["amount"] == ""
    assert "无法识别" in result.stderr


def test_the_command_names_a_missing_column_in_one_line(tmp_path: Path) -> None:
    texts = tmp_path / "texts.csv"
    texts.write_text("id,content\n1,x\n", encoding="utf-8")
    result = run(str(texts), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "缺少列 text_id, text" in result.stderr
    assert "Traceback" not in result.stderr
