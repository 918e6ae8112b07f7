"""What the public may read of a person: a masked name (张*明), never an ID number, and
questions with their personal details taken out before they are published."""

from __future__ import annotations

import re

ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[0-9Xx](?![0-9A-Za-z])"
)
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LONG_NUMBER = re.compile(r"(?<!\d)\d{12,}(?!\d)")  # bank cards and the like


def name_mask(name: str) -> str:
    """张三 → 张*, 张三明 → 张*明, 欧阳小明 → 欧**明; the middle is never shown."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def text_anonymise(text: str) -> str:
    """ID numbers, phone numbers, e-mail addresses and long numbers replaced by a placeholder."""
    text = ID_NUMBER.sub("[已隐去]", text)
    text = EMAIL.sub("[已隐去]", text)
    text = LONG_NUMBER.sub("[已隐去]", text)
    return PHONE.sub("[已隐去]", text)
