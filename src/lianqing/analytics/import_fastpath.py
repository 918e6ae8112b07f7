"""Validation without SQL: a column whose values in a batch are all clean (no spaces to trim, ids
and periods of the right form) is cast by Arrow directly; any other takes normalize.py's DuckDB
path (import_validation.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    pass

from lianqing.analytics.contract import Column, ColumnType, IdKind
from lianqing.analytics.sources import (
    valid_mask,
)

_ID_PATTERNS = {
    IdKind.PERSON: "^[0-9]{17}[0-9X]$",
    IdKind.PERSON_OR_USCC: "^([0-9]{17}[0-9X]|[0-9A-Z]{18})$",
    IdKind.USCC: "^[0-9A-Z]+$",
    IdKind.REGION: "^[0-9]+$",
}
_PERIOD_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])$"


def _byte_table(chars: bytes) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(chars)] = True
    return table


# Bytes that may begin a character utf8_trim_whitespace strips: ASCII controls and space, and
# the lead bytes of U+0085/U+00A0 (C2), U+1680 (E1), U+2000-U+205F (E2) and U+3000 (E3).
_SPACE_LEAD = _byte_table(bytes([*range(0x21), 0x7F, 0xC2, 0xE1, 0xE2, 0xE3]))
_WIDE_SPACE_LEAD = _byte_table(b"\xc2\xe1\xe2\xe3")


@dataclass(frozen=True)
class _Strings:
    """The non-null values of a string array as numpy views: offsets (n+1) and the bytes between them."""

    starts: np.ndarray
    ends: np.ndarray
    data: np.ndarray  # the bytes of every non-null value, back to back

    @property
    def lengths(self) -> np.ndarray:
        return self.ends - self.starts


def _strings(raw: pa.ChunkedArray | pa.Array) -> _Strings | None:
    """Byte views of `raw`, or None when they cannot stand for the values (no value, odd layout)."""
    chunks = raw.chunks if isinstance(raw, pa.ChunkedArray) else [raw]
    if len(chunks) != 1 or chunks[0].type != pa.string() or len(chunks[0]) == chunks[0].null_count:
        return None
    array = chunks[0]
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[array.offset : array.offset + len(array) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, np.uint8)
    starts, ends = offsets[:-1], offsets[1:]
    if array.null_count:
        valid = valid_mask(array)
        if (ends[~valid] != starts[~valid]).any():  # a null slot holding bytes: let Arrow judge
            return None
        starts, ends = starts[valid], ends[valid]
    return _Strings(starts, ends, data[offsets[0] : offsets[-1]])


def _nothing_to_trim(values: _Strings) -> bool:
    """True when no value is empty or starts or ends with a character utf8_trim_whitespace strips.

    A cheap, conservative test on the first byte and the last three: a False sends the column
    through Arrow's own trim.
    """
    lengths = values.lengths
    if not len(lengths) or (lengths == 0).any():
        return False
    base = values.starts[0]
    starts, ends = values.starts - base, values.ends - base
    if np.take(_SPACE_LEAD, np.take(values.data, starts)).any():
        return False
    last = np.take(values.data, ends - 1)
    if np.take(_SPACE_LEAD, last).any():
        return False
    wide = last >= 0x80  # ends in a multi-byte character: its lead byte is 2 or 3 bytes back
    if wide.any():
        ends, starts = ends[wide], starts[wide]
        for back in (2, 3):
            lead = np.take(values.data, np.maximum(ends - back, starts))  # a short value: its own first byte
            if np.take(_WIDE_SPACE_LEAD, lead).any():
                return False
    return True


def _are_digits(block: np.ndarray) -> bool:
    return bool(((block - ord("0")) < 10).all())  # uint8 wraps below "0"


def _are_upper_alnum(block: np.ndarray) -> bool:
    return bool((((block - ord("0")) < 10) | ((block - ord("A")) < 26)).all())


def _ids_look_clean(kind: IdKind | None, values: _Strings) -> bool:
    """True when every value matches `_ID_PATTERNS[kind]` (so needs no trim), judged on the bytes.

    False means: ask Arrow's trim and regular expression.
    """
    lengths = values.lengths
    if kind is IdKind.PERSON:
        if not (lengths == 18).all():
            return False
        block = values.data.reshape(-1, 18)
        last = block[:, 17]
        return _are_digits(block[:, :17]) and bool((((last - ord("0")) < 10) | (last == ord("X"))).all())
    if kind is IdKind.PERSON_OR_USCC:
        return bool((lengths == 18).all()) and _are_upper_alnum(values.data)
    if kind is IdKind.USCC:
        return bool((lengths > 0).all()) and _are_upper_alnum(values.data)
    if kind is IdKind.REGION:
        return bool((lengths > 0).all()) and _are_digits(values.data)
    return False


def _periods_look_clean(values: _Strings) -> bool:
    """True when every value matches `_PERIOD_PATTERN` (YYYY-MM), judged on the bytes."""
    if not (values.lengths == 7).all():
        return False
    block = values.data.reshape(-1, 7)
    tens, units = block[:, 5], block[:, 6]
    month = ((tens == ord("0")) & (units >= ord("1")) & (units <= ord("9"))) | (
        (tens == ord("1")) & (units >= ord("0")) & (units <= ord("2"))
    )
    return _are_digits(block[:, :4]) and bool((block[:, 4] == ord("-")).all() and month.all())


def _arrow_fast_path(column: Column, raw: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array | None:
    """The column in its contract type when every value is already clean, else None.

    Tidy exports (and CSV copies of packages) never reach SQL: Arrow's strict casts accept
    only canonical text (2023-05-01, 1234.50, true), so anything else falls to normalize.py.
    Text columns and periods are first judged on their bytes (numpy), which is much cheaper
    than Arrow's trim and regular expressions; whatever that test cannot vouch for goes the
    Arrow way, so the outcome is the same.
    """
    if column.type is ColumnType.STRING:
        pattern = _ID_PATTERNS.get(column.id_kind)
        values = _strings(raw)
        if values is not None and (
            _ids_look_clean(column.id_kind, values) if pattern else _nothing_to_trim(values)
        ):
            return raw
        text = pc.utf8_trim_whitespace(raw)
        clean = (
            pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
            if pc.any(pc.equal(text, "")).as_py()
            else text
        )
        if pattern and not pc.all(pc.match_substring_regex(clean, pattern), skip_nulls=True).as_py():
            return None
        return clean
    if column.type is ColumnType.PERIOD:
        values = _strings(raw)
        if values is not None and _periods_look_clean(values):
            return raw
        return (
            raw if pc.all(pc.match_substring_regex(raw, _PERIOD_PATTERN), skip_nulls=True).as_py() else None
        )
    try:  # empty fields are already null; anything with spaces or another form fails the cast
        return pc.cast(raw, column.arrow_type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
