from datetime import date

import pytest

from lianqing.intake.identity import person_id_problem, phone_problem

TODAY = date(2026, 11, 26)


def test_a_valid_id_number_with_x_check_digit_passes():
    assert person_id_problem("11010519491231002x", today=TODAY) == ""


def test_a_region_created_after_the_birth_year_is_not_a_reason_to_refuse():
    # 370124 平阴县 exists since 1985; people born before that hold such numbers (DATA-CONTRACT.md)
    body = "37012419680101123"
    from stdnum.cn import ric

    assert person_id_problem(body + ric.calc_check_digit(body + "0"), today=TODAY) == ""


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        pytest.param("1101051949123100", "应为 18 位", id="too-short"),
        pytest.param("11010519491331002X", "出生日期 19491331 不存在", id="no-such-date"),
        pytest.param("110105202712310029", "晚于今天", id="born-in-the-future"),
        pytest.param("110105194912310021", "校验位不正确", id="wrong-check-digit"),
        pytest.param("11010519491231002Y", "最后一位为数字或 X", id="letter-not-x"),
    ],
)
def test_invalid_id_numbers_are_explained(number, expected):
    assert expected in person_id_problem(number, today=TODAY)


@pytest.mark.parametrize("phone", ["13912345678", "0531-87654321", "053187654321", "139 1234 5678"])
def test_phones_accepted(phone):
    assert phone_problem(phone) == ""


@pytest.mark.parametrize("phone", ["12345", "23912345678", "abc"])
def test_phones_refused(phone):
    assert "手机号" in phone_problem(phone)
