"""Checks of what a named reporter gives: 公民身份号码 and a phone number.

The 身份证号 follows DATA-CONTRACT.md: 18 characters, a real birth date, the check digit
(python-stdnum's `calc_check_digit` and `get_birth_date`); the region part is advisory.
Each check returns a message in the user's language (Chinese source, English in the catalogue)
or "" when the value is fine.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

_PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def person_id_normalise(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def person_id_problem(value: str, *, today: date | None = None) -> str:
    number = person_id_normalise(value)
    if len(number) != 18:
        return _("身份证号应为 18 位，输入的是 %(n)d 位") % {"n": len(number)}
    if not number[:17].isdigit() or number[17] not in "0123456789X":
        return _("身份证号前 17 位应为数字，最后一位为数字或 X")
    try:
        birth = ric.get_birth_date(number)
    except ValidationError:
        return _("身份证号中的出生日期 %(date)s 不存在") % {"date": number[6:14]}
    if birth > (today or timezone.localdate()):
        return _("身份证号中的出生日期 %(date)s 晚于今天") % {"date": number[6:14]}
    if ric.calc_check_digit(number) != number[17]:
        return _("身份证号校验位不正确，请检查是否输错")
    return ""


def phone_normalise(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value.strip())


def phone_problem(value: str) -> str:
    if not _PHONE.match(phone_normalise(value)):
        return _("请填写 11 位手机号或带区号的固定电话")
    return ""
