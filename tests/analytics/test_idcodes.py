from __future__ import annotations

import numpy as np
import pytest
from stdnum.cn import ric, uscc

from lianqing.analytics import idcodes


def test_vectorised_person_id_check_digits_agree_with_stdnum() -> None:
    bodies = np.random.default_rng(5).integers(0, 10, (2000, 17))
    checks = idcodes.person_id_check_digits(bodies)
    for body, check in zip(bodies, checks, strict=True):
        assert ric.calc_check_digit("".join(map(str, body)) + "0") == check


def test_vectorised_uscc_check_characters_agree_with_stdnum() -> None:
    bodies = np.random.default_rng(6).integers(0, 31, (2000, 17))
    checks = idcodes.uscc_check_digits(bodies)
    for body, check in zip(bodies, checks, strict=True):
        assert uscc.calc_check_digit("".join(idcodes.USCC_ALPHABET[i] for i in body)) == check


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        pytest.param("11010519491231002X", True, id="valid-with-X"),
        pytest.param("110105194912310021", False, id="bad-check-digit"),
        pytest.param("11010519491331002X", False, id="no-such-month"),
        pytest.param("11010519491231002", False, id="too-short"),
        pytest.param(
            "99999919491231002X"[:17] + ric.calc_check_digit("99999919491231002X"),
            True,
            id="unknown-region-is-advisory",
        ),
    ],
)
def test_person_id_validity_is_length_birth_date_and_check_digit(number: str, valid: bool) -> None:
    assert idcodes.is_valid_person_id(number) is valid


def test_fifteen_digit_numbers_are_upgraded_to_valid_eighteen() -> None:
    upgraded = idcodes.upgrade_person_id("110105491231002")
    assert upgraded == "11010519491231002X"
    assert idcodes.is_valid_person_id(upgraded)


def test_vectorised_validation_finds_exactly_what_stdnum_rejects() -> None:
    # given valid numbers, and the same numbers with one digit changed or the date broken
    rng = np.random.default_rng(7)
    bodies = [
        f"41152{rng.integers(0, 10)}19{rng.integers(40, 99)}{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}{rng.integers(0, 1000):03d}"
        for _ in range(500)
    ]
    valid = [body + ric.calc_check_digit(body + "0") for body in bodies]
    mutated = [number[:9] + str((int(number[9]) + 1) % 10) + number[10:] for number in valid[:200]]
    odd = [
        "41152119490229002X",
        "4115211949123100",
        "４１１５２１１９４９１２３１００２Ｘ",
        "41152119491231002x",
    ]
    values = valid + mutated + odd
    # then the vectorised pass and stdnum agree value by value
    expected = sorted(v for v in values if not idcodes.is_valid_person_id(v))
    assert sorted(idcodes.invalid_person_ids(values)) == expected
    assert len(expected) >= 200


def test_the_byte_check_passes_exactly_the_numbers_stdnum_accepts() -> None:
    # given numbers around every date edge: leap days, month ends, month 0 and 13, day 0
    dates = [
        f"{year}{month:02d}{day:02d}"
        for year in (1900, 1949, 1996, 2000, 2023)
        for month in (0, 1, 2, 4, 12, 13)
        for day in (0, 1, 28, 29, 30, 31, 32)
    ]
    numbers = []
    for date in dates:
        body = f"411521{date}002"
        right = ric.calc_check_digit(body + "0")
        numbers += [body + right, body + ("0" if right != "0" else "1"), body + "X"]
    numbers += ["A11521194912310021", "41152119491231002x", "411521194912310 2X"]
    block = np.frombuffer("".join(numbers).encode(), dtype=np.uint8).reshape(-1, 18)
    # then the vectorised check agrees with stdnum on every one of them
    plausible = idcodes._plausible_person_ids(block).tolist()
    assert plausible == [idcodes.is_valid_person_id(n) for n in numbers]
    assert sum(plausible) > 50
