"""公民身份号码 (GB 11643) and 统一社会信用代码 (GB 32100): validation, repair and making.

Validation follows DATA-CONTRACT.md: length, a real birth date and the check digit, through
python-stdnum's `calc_check_digit` and `get_birth_date`; the region is advisory (stdnum's
`validate` would reject a county created after the birth year, which is normal data).
The numpy helpers make check digits for millions of generated numbers at once; tests hold
them to stdnum.
"""

from __future__ import annotations

import numpy as np
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_RIC_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_RIC_CHECK = np.array(list("0123456789X"))
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
