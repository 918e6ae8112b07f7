"""The ranking as an .xlsx workbook (cells that cannot run as formulas)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lianqing.core.spreadsheets import safe_cell, workbook_bytes

from .selectors import UnitScore


def ranking_workbook(scores: list[UnitScore], year: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.create_sheet(str(year), 0)
    workbook.remove(workbook.worksheets[1])
    sheet.append([
        _("单位类型"), _("类型内排名"), _("单位"), _("任务数"), _("已通过"), _("按时完成"), _("按时完成率（%）"),
        _("审核质量（%）"), _("应得分值"), _("实得分值"), _("综合得分"),
    ])  # fmt: skip
    for s in scores:
        sheet.append([safe_cell(v) for v in (
            s.kind_label, s.rank, s.name, s.total, s.accepted, s.on_time, s.on_time_rate, s.quality,
            s.points_total, s.points_earned, s.score,
        )])  # fmt: skip
    return workbook_bytes(workbook)
