"""The streamed .xlsx: bytes leave before the rows are read and while they are, and what arrives is
a workbook openpyxl opens with every cell as written."""

from __future__ import annotations

import io
import random
from decimal import Decimal

from openpyxl import load_workbook

from lianqing.core.xlsx_stream import xlsx_stream


def _opened(pieces: list[bytes]):
    return load_workbook(io.BytesIO(b"".join(pieces)))


def test_pieces_leave_before_and_while_the_rows_are_read():
    read = 0
    total = 20_000
    letters = "廉情王伟芳李丽abcdefghij0123456789"
    shuffled = random.Random(5)

    def rows():
        nonlocal read
        for number in range(total):
            read += 1
            yield [number, "".join(shuffled.choice(letters) for _ in range(40))]

    rows_read_at_each_piece = []
    pieces = []
    for piece in xlsx_stream("疑点", ["编号", "文本"], rows(), chunk_bytes=64 * 1024):
        rows_read_at_each_piece.append(read)
        pieces.append(piece)
    assert rows_read_at_each_piece[0] == 0  # the first bytes go before any row is asked for
    assert any(0 < seen < total for seen in rows_read_at_each_piece)  # and more while rows come
    assert max(len(piece) for piece in pieces) < 1024 * 1024  # never the whole workbook at once
    sheet = _opened(pieces)["疑点"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("编号", "文本")
    assert len(values) == total + 1
    assert values[-1][0] == total - 1


def test_cells_keep_their_values_and_types():
    rows = [
        [1, 2.5, Decimal("1234.50"), None, True, "=SUM(A1)"],
        ["  前后有空格 ", "<b>&amp;</b>", "换行\n第二行", "控制\x01字符\x1f", "", "x" * 40_000],
    ]
    sheet = _opened(list(xlsx_stream("名单", ["甲", "乙", "丙", "丁", "戊", "己"], rows))).active
    assert sheet.title == "名单"
    values = list(sheet.iter_rows(values_only=True))
    assert values[1] == (1, 2.5, 1234.5, None, True, "=SUM(A1)")
    assert sheet["F2"].data_type == "s"  # text, never a formula
    assert values[2][:5] == ("  前后有空格 ", "<b>&amp;</b>", "换行\n第二行", "控制字符", None)
    assert len(values[2][5]) == 32_767  # Excel's longest cell


def test_an_empty_list_is_a_workbook_with_its_header():
    sheet = _opened(list(xlsx_stream("疑点", ["规则", "对象名称"], []))).active
    assert list(sheet.iter_rows(values_only=True)) == [("规则", "对象名称")]


def test_characters_xml_cannot_hold_are_dropped_where_openpyxl_would_keep_them():
    # openpyxl's own pattern drops control characters only; a lone surrogate (from a badly decoded
    # export) or U+FFFE/U+FFFF would make the sheet unreadable, so the stream drops them too.
    rows = [["孤\ud800立", "非\ufffe字\uffff符", "控\x0b制"]]
    sheet = _opened(list(xlsx_stream("疑点", ["甲", "乙", "丙"], rows))).active
    assert list(sheet.iter_rows(values_only=True))[1] == ("孤立", "非字符", "控制")
