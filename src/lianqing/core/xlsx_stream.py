"""A one-sheet .xlsx written while it is sent: the sheet's XML row by row into a zip stream.

openpyxl (even its write-only workbook) keeps every distinct text in memory and zips the workbook
only when it is saved, so a million-row export sent nothing for minutes. Here the stdlib zipfile
writes to a pipe that cannot seek (each part then ends with a data descriptor) and the generator
hands on whatever the pipe holds every few hundred kilobytes: the first bytes leave at once and
memory stays at one batch of rows. Texts are inline strings (no shared-string table to hold).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.utils import get_column_letter

CELL_TEXT_LIMIT = 32_767  # Excel's longest cell text
SHEET_NAME_LIMIT = 31
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Characters XML 1.0 cannot hold (control characters, lone surrogates): dropped, as Excel would.
# Not openpyxl's ILLEGAL_CHARACTERS_RE: it misses lone surrogates and U+FFFE/U+FFFF, which would
# make the sheet unreadable (and a lone surrogate cannot even be encoded as UTF-8).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _parts(sheet_name: str) -> dict[str, str]:
    """Every part but the sheet: the least a workbook needs for Excel, WPS and LibreOffice."""
    name = escape(sheet_name[:SHEET_NAME_LIMIT], {'"': "&quot;"})
    return {
        "[Content_Types].xml": HEAD
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SPREADSHEET}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{SPREADSHEET}.styles+xml"/>'
        "</Types>",
        "_rels/.rels": HEAD + f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": HEAD + f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
        "</Relationships>",
        "xl/styles.xml": HEAD + f'<styleSheet xmlns="{MAIN}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>",
    }


def _cell(reference: str, value: Any) -> str:
    if type(value) is str:  # most cells: checked first, a million rows call this 14 million times
        if not value:  # an empty cell, not a cell of empty text
            return ""
        return _text_cell(reference, value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | Decimal) or (isinstance(value, float) and math.isfinite(value)):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return _text_cell(reference, str(value))


def _text_cell(reference: str, text: str) -> str:
    special = _SPECIAL.search(text) is not None  # most texts hold nothing to drop or escape
    if special:
        text = _NOT_XML.sub("", text)
    text = text[:CELL_TEXT_LIMIT]
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    if special:
        text = escape(text)
    return f'<c r="{reference}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


class _Pipe:
    """What zipfile writes into; the generator takes out what has gathered. No tell() or seek():
    zipfile then counts offsets itself and streams each part."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def write(self, data: bytes, /) -> int:
        self.buffer += data
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = bytes(self.buffer)
        self.buffer.clear()
        return data


def xlsx_stream(
    sheet_name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    chunk_bytes: int = 256 * 1024,
    batch_rows: int = 500,
) -> Iterator[bytes]:
    """The workbook's bytes, a piece at a time: the first piece before any row is read."""
    pipe = _Pipe()
    with ZipFile(pipe, "w", compression=ZIP_DEFLATED, compresslevel=1) as archive:
        for part, text in _parts(sheet_name).items():
            archive.writestr(part, text)
        yield pipe.take()
        # zip64: a million rows of long explanations can pass the 2 GiB of a plain zip entry.
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'{HEAD}<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            letters: list[str] = []
            batch: list[str] = []
            for number, cells in enumerate(_with_header(header, rows), start=1):
                while len(letters) < len(cells):
                    letters.append(get_column_letter(len(letters) + 1))
                inner = "".join(_cell(f"{letters[i]}{number}", value) for i, value in enumerate(cells))
                batch.append(f'<row r="{number}">{inner}</row>')
                if len(batch) >= batch_rows:
                    sheet.write("".join(batch).encode())
                    batch.clear()
                    if len(pipe.buffer) >= chunk_bytes:
                        yield pipe.take()
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())
    yield pipe.take()


def _with_header(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    yield header
    yield from rows
