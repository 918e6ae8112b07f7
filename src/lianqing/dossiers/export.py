"""The 意见回复 as an .xlsx workbook (formula-safe cells, core.spreadsheets)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lianqing.core.spreadsheets import safe_cell, workbook_bytes

from .models import OpinionRequest


def opinion_to_xlsx(opinion: OpinionRequest) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("意见回复")
    sheet.append([safe_cell(f"{opinion.requester} {opinion.letter_number} {opinion.purpose}")])
    sheet.append([_("序号"), _("姓名"), _("单位"), _("职务"), _("回复意见"), _("回复内容")])
    for index, item in enumerate(opinion.items.select_related("cadre__unit"), start=1):
        cadre = item.cadre
        sheet.append(
            [
                index,
                safe_cell(cadre.name),
                safe_cell(cadre.unit.name if cadre.unit else ""),
                safe_cell(cadre.position),
                item.get_conclusion_display(),
                safe_cell(item.text),
            ]
        )
    return workbook_bytes(workbook)
