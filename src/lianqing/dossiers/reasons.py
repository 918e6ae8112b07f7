"""The resolver's reasons in the reader's language: a translated label per stable code, then the
data the reason quotes (names and units stay as written)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

REASON_LABELS: dict[str, Promise] = {
    "name_exact": _("姓名相同"),
    "name_homophone": _("姓名同音"),
    "name_lookalike": _("姓名形近"),
    "name_char_dropped": _("姓名少一字"),
    "name_char_extra": _("姓名多一字"),
    "name_one_char": _("姓名一字不同"),
    "name_pinyin": _("拼音相符"),
    "surname": _("姓氏相同"),
    "surname_homophone": _("姓氏同音"),
    "surname_lookalike": _("姓氏形近"),
    "name_differs": _("姓名不符"),
    "unit_same": _("单位相符"),
    "unit_part": _("单位部分相符"),
    "unit_similar": _("单位名称相近"),
    "unit_same_former": _("单位相符（曾任职）"),
    "unit_part_former": _("单位部分相符（曾任职）"),
    "unit_similar_former": _("单位名称相近（曾任职）"),
    "unit_differs": _("单位不符"),
    "title_same": _("职务相同"),
    "title_fits": _("职务相符"),
    "title_same_former": _("职务相同（曾任）"),
    "title_fits_former": _("职务相符（曾任）"),
    "title_differs": _("职务不符"),
    "gender_same": _("性别相符"),
    "gender_differs": _("性别不符"),
    "phone_same": _("电话相同"),
    "phone_differs": _("电话不同"),
}


def reason_display(reason: Mapping[str, object]) -> str:
    """'单位相符：卫健局／县卫生健康局' in Chinese, 'Same unit: 卫健局／县卫生健康局' in English.

    A reason stored before details were kept, or with a code this version does not know, shows
    its stored sentence.
    """
    label = REASON_LABELS.get(str(reason.get("code", "")))
    if label is None or "detail" not in reason:
        return str(reason.get("text", ""))
    detail = str(reason["detail"])
    if not detail:
        return str(label)
    return gettext("%(label)s：%(detail)s") % {"label": label, "detail": detail}
