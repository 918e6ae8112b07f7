"""公民身份号码 (GB 11643) and 统一社会信用代码 (GB 32100): validation, repair and making.

Validation follows DATA-CONTRACT.md: length, a real birth date and the check digit, through
python-stdnum's `calc_check_digit` and `get_birth_date`; the region is advisory (stdnum's
`validate` would reject a county created after the birth year, which is normal data).
The numpy helpers make check digits for millions of generated numbers at once; tests hold
them to stdnum.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from lianqing.analytics.sources import bool_array, string_array

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_RIC_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_RIC_CHECK = np.array(list("0123456789X"))
_RIC_CHECK_CODES = np.array([ord(c) for c in "0123456789X"], dtype=np.int64)
_USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)


def is_valid_person_id(number: str) -> bool:
    """True when `number` is an 18-character 公民身份号码 with a real birth date and check digit."""
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return False
    try:
        ric.get_birth_date(number)
    except ValidationError:
        return False
    return bool(ric.calc_check_digit(number) == number[17])


def upgrade_person_id(number: str) -> str:
    """Turn a 15-digit first-generation number into its 18-character form (19 + check digit)."""
    if len(number) != 15 or not number.isdigit():
        return number
    body = number[:6] + "19" + number[6:]
    return body + ric.calc_check_digit(body + "0")


def is_valid_uscc(number: str) -> bool:
    return bool(uscc.is_valid(number))


def person_id_check_digits(bodies: np.ndarray) -> np.ndarray:
    """Check digits for an array of 17-digit bodies given as an (n, 17) integer digit array."""
    total = (bodies.astype(np.int64) * _RIC_WEIGHTS).sum(axis=1) % 11
    return _RIC_CHECK[(12 - total) % 11]


def uscc_check_digits(bodies: np.ndarray) -> np.ndarray:
    """Check characters for an (n, 17) array of USCC alphabet indices."""
    total = (bodies.astype(np.int64) * _USCC_WEIGHTS).sum(axis=1)
    return np.array(list(USCC_ALPHABET))[(31 - total % 31) % 31]


def digits_of(values: np.ndarray, width: int) -> np.ndarray:
    """Split non-negative integers into an (n, width) array of decimal digits, most significant first."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values.astype(np.int64)[:, None] // powers) % 10


_RIC_WEIGHTS_16 = _RIC_WEIGHTS.astype(np.int16)
_RIC_CHECK_BYTES = _RIC_CHECK_CODES.astype(np.uint8)
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0], dtype=np.int16)


def _plausible_person_ids(numbers: np.ndarray) -> np.ndarray:
    """Per row of an (n, 18) byte array: digits, a real birth date and the right check digit.

    Works on the transposed bytes, one contiguous row of n per character position, in
    small integers: a few vector operations per position instead of (n, 18) int64 arrays.
    """
    chars = np.ascontiguousarray(numbers.T)
    digits = chars - np.uint8(ord("0"))  # uint8 wraps below "0"
    fine = (digits[17] < 10) | (chars[17] == ord("X"))
    for position in range(17):
        fine &= digits[position] < 10
    body = np.where(digits < 10, digits, 0).astype(np.int16)
    total = body[0] * _RIC_WEIGHTS_16[0]
    for position in range(1, 17):
        total += body[position] * _RIC_WEIGHTS_16[position]
    fine &= _RIC_CHECK_BYTES[(12 - total % 11) % 11] == chars[17]
    year = body[6] * 1000 + body[7] * 100 + body[8] * 10 + body[9]
    month = body[10] * 10 + body[11]
    day = body[12] * 10 + body[13]
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    days = _MONTH_DAYS[np.minimum(month, 13)] + ((month == 2) & leap)
    fine &= (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= days)
    return fine


def invalid_person_ids(values: pa.Array | list[str]) -> list[str]:
    """The values that are not valid 公民身份号码, checked for many values at once.

    A vectorised pass over the bytes (length, digits, birth date, check digit) picks the
    suspects; stdnum (`is_valid_person_id`) has the last word on each of them.
    """
    array = string_array(values) if isinstance(values, list) else values.cast(pa.string())
    array = array.drop_null()
    if not len(array):
        return []
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset : array.offset + len(array) + 1]
    has_18_bytes = bool_array(np.diff(offsets) == 18)
    shaped = array.filter(has_18_bytes)
    suspects = array.filter(pc.invert(has_18_bytes)).to_pylist()
    if len(shaped):
        shaped = pa.concat_arrays([shaped])  # fresh buffers: offsets from 0, bytes contiguous
        data = np.frombuffer(shaped.buffers()[2], dtype=np.uint8)[: 18 * len(shaped)].reshape(-1, 18)
        suspects += shaped.filter(bool_array(~_plausible_person_ids(data))).to_pylist()
    return [value for value in suspects if not is_valid_person_id(value)]
