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


TITLES = (
    "书记",
    "主任",
    "镇长",
    "乡长",
    "村长",
    "县长",
    "局长",
    "科长",
    "所长",
    "站长",
    "会计",
    "组长",
    "同志",
    "老师",
    "师傅",
)


def names_mask(text: str) -> str:
    """Person names that jieba recognises (tag nr) masked as 张*明; a lone surname before a
    title (王书记) is kept, since it names no one by itself."""
    import jieba.posseg

    words = list(jieba.posseg.cut(text))
    out: list[str] = []
    index = 0
    while index < len(words):
        word, flag = words[index].word, words[index].flag
        following = words[index + 1].word if index + 1 < len(words) else ""
        if flag == "nr" and len(word) >= 2:
            out.append(name_mask(word))
        elif (
            flag == "nr"
            and len(word) == 1
            and 1 <= len(following) <= 2
            and following not in TITLES
            and following.isalpha()
        ):
            out.append(name_mask(word + following))
            index += 1
        else:
            out.append(word)
        index += 1
    return "".join(out)


def text_anonymise(text: str) -> str:
    """ID numbers, phone numbers, e-mail addresses and long numbers replaced by a placeholder,
    and recognisable person names masked."""
    text = ID_NUMBER.sub("[已隐去]", text)
    text = EMAIL.sub("[已隐去]", text)
    text = LONG_NUMBER.sub("[已隐去]", text)
    text = PHONE.sub("[已隐去]", text)
    return names_mask(text)
