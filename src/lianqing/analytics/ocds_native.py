"""The fast path of the OCDS import: a whole block of lines read by Arrow's JSON reader.

pyarrow.json reads a block of releases with an explicit schema (only the fields the R rules
read), and Arrow compute flattens the nested lists into the six datasets: no Python object per
release. It gives exactly the rows the msgspec path of ocds.py gives, or nothing: a block with
anything that path would treat specially (a line that is not one JSON object, a field of another
JSON type, a missing or repeated ocid, a blank line, NaN...) returns None and goes through the
msgspec path line by line, which keeps its messages.
"""

from __future__ import annotations

from typing import Any

import msgspec
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from lianqing.analytics.contract import DATASETS, OCDS_DATASET_NAMES

_NAMED = pa.struct([("id", pa.string()), ("name", pa.string())])
_RELEASE = pa.struct(
    [
        ("ocid", pa.string()),
        ("buyer", _NAMED),
        (
            "tender",
            pa.struct(
                [
                    ("status", pa.string()),
                    ("title", pa.string()),
                    ("procurementMethod", pa.string()),
                    ("procurementMethodDetails", pa.string()),
                    ("procuringEntity", _NAMED),
                    ("tenderPeriod", pa.struct([("startDate", pa.string()), ("endDate", pa.string())])),
                    ("numberOfTenderers", pa.int64()),
                ]
            ),
        ),
        (
            "bids",
            pa.struct(
                [
                    (
                        "details",
                        pa.list_(
                            pa.struct(
                                [
                                    ("id", pa.string()),
                                    ("status", pa.string()),
                                    ("date", pa.string()),
                                    (
                                        "value",
                                        pa.struct([("amount", pa.float64()), ("currency", pa.string())]),
                                    ),
                                    ("tenderers", pa.list_(_NAMED)),
                                ]
                            )
                        ),
                    )
                ]
            ),
        ),
        (
            "awards",
            pa.list_(
                pa.struct(
                    [
                        ("id", pa.string()),
                        ("status", pa.string()),
                        ("suppliers", pa.list_(_NAMED)),
                        (
                            "items",
                            pa.list_(
                                pa.struct(
                                    [
                                        (
                                            "classification",
                                            pa.struct([("id", pa.string()), ("scheme", pa.string())]),
                                        )
                                    ]
                                )
                            ),
                        ),
                    ]
                )
            ),
        ),
    ]
)
_RELEASES = pa.schema(list(_RELEASE))
_RECORDS = pa.schema([*_RELEASE, ("compiledRelease", _RELEASE)])
_PARSE = {
    schema: pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    for schema in (_RELEASES, _RECORDS)
}
_SCHEMAS = {name: DATASETS[name].arrow_schema() for name in OCDS_DATASET_NAMES}


class _AnyObject(msgspec.Struct):
    """Any JSON object: decoding a list of these checks the JSON as msgspec would, fields unread."""


_OBJECTS = msgspec.json.Decoder(list[_AnyObject])


def native_tables(block: bytes) -> tuple[dict[str, pa.Table], int] | None:
    """The six tables of a block of whole lines (line numbers from 1) and its release count.

    None when the block holds anything the msgspec path treats specially.
    """
    if not block.endswith(b"\n") or not block.startswith(b"{"):
        return None
    if block.endswith(b"\r\n"):  # Windows line ends: the \r is blank space msgspec skips too
        block = block.replace(b"\r\n", b"\n")
    if not _is_utf8(block):  # Arrow would read a bad byte as U+FFFD, msgspec refuses the line
        return None
    lines = block.count(b"\n")
    # Every line exactly one JSON object as msgspec reads it (a blank line gives ",,", two values
    # on a line a missing comma; NaN, bad UTF-8 and numbers out of range fail too). Arrow's reader
    # is more lenient on these, and a line `null` crashes it, hence this check first.
    try:
        if len(_OBJECTS.decode(b"[" + block[:-1].replace(b"\n", b",") + b"]")) != lines:
            return None
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    records = b'"compiledRelease"' in block
    try:
        table = pj.read_json(
            pa.BufferReader(block),
            read_options=pj.ReadOptions(use_threads=False, block_size=len(block) + 1),
            parse_options=_PARSE[_RECORDS if records else _RELEASES],
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # a field of another JSON type: the msgspec path reads it field by field
    if table.num_rows != lines:
        return None
    releases = pa.StructArray.from_arrays(
        [table.column(name).combine_chunks() for name in _RELEASE.names], fields=list(_RELEASE)
    )
    if records:
        compiled = table.column("compiledRelease").combine_chunks()
        releases = pc.if_else(pc.is_valid(compiled), compiled, releases)
    return _flatten(releases)


def _is_utf8(block: bytes) -> bool:
    """Whether the block is UTF-8 throughout (Arrow's check, far faster than decoding it)."""
    offsets = pa.py_buffer(np.array([0, len(block)], dtype=np.int64))
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(block)]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _field(array: pa.Array, *path: str) -> pa.Array:
    """A nested field, empty wherever a parent on the way is empty."""
    for name in path:
        array = pc.struct_field(array, name)
    return array


def _explode(lists: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """The entries of each list, the row each came from and its position in the list (from 0)."""
    lengths = pc.fill_null(pc.list_value_length(lists), 0).to_numpy(zero_copy_only=False)
    starts = np.cumsum(lengths) - lengths
    parents = np.repeat(np.arange(len(lists), dtype=np.int64), lengths)
    positions = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(starts, lengths)
    return pc.list_flatten(lists), parents, positions


def _kept(values: pa.Array, keep: pa.Array, *columns: Any) -> list[Any]:
    """`values` and each of `columns` (arrays or numpy) filtered by `keep`."""
    mask = keep.to_numpy(zero_copy_only=False)
    return [values.filter(keep), *(pa.array(column).filter(pa.array(mask)) for column in columns)]


def _flatten(releases: pa.StructArray) -> tuple[dict[str, pa.Table], int] | None:
    ocid = _field(releases, "ocid")
    if ocid.null_count or pc.count_distinct(ocid).as_py() != len(ocid):
        return None  # a missing or repeated ocid: the msgspec path says which line
    count = len(releases)
    tender = _field(releases, "tender")
    tenderers = _field(tender, "numberOfTenderers")
    bid_lists = _field(releases, "bids", "details")
    award_lists = _field(releases, "awards")
    start = _field(tender, "tenderPeriod", "startDate")
    end = _field(tender, "tenderPeriod", "endDate")
    columns: dict[str, dict[str, Any]] = {
        "ocds_processes": {
            "ocid": ocid,
            "line": np.arange(1, count + 1, dtype=np.int64),
            "buyer_id": _field(releases, "buyer", "id"),
            "buyer_name": _field(releases, "buyer", "name"),
            "procuring_entity_id": _field(tender, "procuringEntity", "id"),
            "procuring_entity_name": _field(tender, "procuringEntity", "name"),
            "tender_status": _field(tender, "status"),
            "procurement_method": _field(tender, "procurementMethod"),
            "procurement_method_details": _field(tender, "procurementMethodDetails"),
            "tender_period_start": start,
            "tender_period_end": end,
            "submission_days": submission_days(start, end),
            "number_of_tenderers": pc.if_else(pc.greater_equal(tenderers, 0), tenderers, None),
            "has_awards": pc.is_valid(award_lists),
            "has_bid_details": pc.is_valid(bid_lists),
            "title": _field(tender, "title"),
        }
    }
    # bids that are not objects are skipped, their positions kept (as the msgspec path does)
    bids, parents, positions = _explode(bid_lists)
    bids, parents, positions = _kept(bids, pc.is_valid(bids), parents, positions)
    people = _field(bids, "tenderers")
    bid_ocid = ocid.take(parents)
    columns["ocds_bids"] = {
        "ocid": bid_ocid,
        "bid_index": positions,
        "bid_id": _field(bids, "id"),
        "status": _field(bids, "status"),
        "amount": _field(bids, "value", "amount"),
        "currency": _field(bids, "value", "currency"),
        "date": _field(bids, "date"),
        "tenderer_count": pc.list_value_length(people),
    }
    persons, owners, places = _explode(people)
    persons, owners, places = _kept(persons, pc.is_valid(persons), owners, places)
    columns["ocds_bid_tenderers"] = {
        "ocid": bid_ocid.take(owners),
        "bid_index": positions.take(owners),
        "tenderer_index": places,
        "tenderer_id": _field(persons, "id"),
        "tenderer_name": _field(persons, "name"),
    }
    awards, parents, positions = _explode(award_lists)
    awards, parents, positions = _kept(awards, pc.is_valid(awards), parents, positions)
    award_ocid = ocid.take(parents)
    suppliers, things = _field(awards, "suppliers"), _field(awards, "items")
    columns["ocds_awards"] = {
        "ocid": award_ocid,
        "award_index": positions,
        "award_id": _field(awards, "id"),
        "status": _field(awards, "status"),
        "supplier_count": pc.list_value_length(suppliers),
        "has_items": pc.is_valid(things),
    }
    persons, owners, places = _explode(suppliers)
    persons, owners, places = _kept(persons, pc.is_valid(persons), owners, places)
    columns["ocds_award_suppliers"] = {
        "ocid": award_ocid.take(owners),
        "award_index": positions.take(owners),
        "supplier_index": places,
        "supplier_id": _field(persons, "id"),
        "supplier_name": _field(persons, "name"),
    }
    things, owners, places = _explode(things)
    classified = _field(things, "classification")  # an item without one gives no row
    classified, owners, places = _kept(classified, pc.is_valid(classified), owners, places)
    columns["ocds_award_items"] = {
        "ocid": award_ocid.take(owners),
        "award_index": positions.take(owners),
        "item_index": places,
        "classification_id": _field(classified, "id"),
        "classification_scheme": _field(classified, "scheme"),
    }
    tables = {
        name: pa.table(
            [pa.array(columns[name][column]) for column in DATASETS[name].column_names],
            schema=_SCHEMAS[name],
        )
        for name in OCDS_DATASET_NAMES
    }
    return tables, count


def submission_days(start: pa.Array, end: pa.Array) -> pa.Array:
    """whole_days(start, end) for every row: numpy for the usual `…T…Z` form, Python for the rest."""
    from lianqing.analytics.ocds import whole_days  # the exact rule, for unusual forms

    first, first_ok = _canonical_seconds(start)
    last, last_ok = _canonical_seconds(end)
    difference = last - first
    days = np.sign(difference) * (np.abs(difference) // 86_400)  # truncated toward zero
    known = first_ok & last_ok
    if known.all():
        return pa.array(days, pa.int64())
    result: list[int | None] = days.tolist()
    starts, ends = start.to_pylist(), end.to_pylist()
    for row in np.flatnonzero(~known).tolist():
        first_text, last_text = starts[row], ends[row]
        result[row] = whole_days(first_text, last_text) if first_text and last_text else None
    return pa.array(result, pa.int64())


_SHAPE = np.frombuffer(b"0000-00-00T00:00:00Z", dtype=np.uint8)
_DIGIT = np.equal(_SHAPE, ord("0"))  # where the shape wants a digit
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _canonical_seconds(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since 1970 of `YYYY-MM-DDTHH:MM:SSZ` texts that Python reads, and which rows are such.

    The texts are read as a table of 20 bytes each; a row of another length or shape, or a
    date Python refuses (30 February, second 60, year 0), is left to Python.
    """
    count = len(texts)
    lengths = pc.fill_null(pc.binary_length(texts), 0).to_numpy(zero_copy_only=False)
    seconds = np.zeros(count, dtype=np.int64)
    ok = lengths == len(_SHAPE)
    rows = np.flatnonzero(ok)
    if not len(rows):
        return seconds, ok
    fixed = texts.take(pa.array(rows))
    offsets = np.frombuffer(fixed.buffers()[1], dtype=np.int32, count=len(fixed) + 1, offset=fixed.offset * 4)
    data = np.frombuffer(fixed.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    chars = data.reshape(-1, len(_SHAPE))
    digits = chars.astype(np.int64) - ord("0")
    shaped = np.all(np.where(_DIGIT, (digits >= 0) & (digits <= 9), chars == _SHAPE), axis=1)

    def number(first: int, last: int) -> np.ndarray:
        return digits[:, first:last] @ (10 ** np.arange(last - first - 1, -1, -1, dtype=np.int64))

    year, month, day = number(0, 4), number(5, 7), number(8, 10)
    hour, minute, second = number(11, 13), number(14, 16), number(17, 19)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = _MONTH_DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
    valid = (
        shaped
        & (year >= 1)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (day <= month_days)
        & (hour < 24)
        & (minute < 60)
        & (second < 60)
    )
    # days from the civil date (Howard Hinnant's algorithm), then seconds
    shifted = year - (month <= 2)
    era = shifted // 400
    of_era = shifted - era * 400
    of_year = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    of_cycle = of_era * 365 + of_era // 4 - of_era // 100 + of_year
    days = era * 146_097 + of_cycle - 719_468
    seconds[rows] = days * 86_400 + hour * 3600 + minute * 60 + second
    ok[rows] = valid
    return seconds, ok
