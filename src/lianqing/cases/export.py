"""Export of a filtered case list to .xlsx (streamed row by row, write-only workbook)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from lianqing.core.spreadsheets import safe_cell, workbook_bytes

from .models import Case, Category, Kind, Source, Status

EXPORT_LIMIT = 100_000
HEADERS = [
    "编号",
    "类型",
    "来源",
    "问题类别",
    "摘要",
    "状态",
    "收到时间",
    "承办机构",
    "承办人",
    "办理时限",
    "时限事项",
]


def cases_to_xlsx(queryset: QuerySet[Case]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("案件")
    sheet.append(HEADERS)
    kinds, sources, categories, statuses = (dict(c.choices) for c in (Kind, Source, Category, Status))
    for case in queryset[:EXPORT_LIMIT].iterator(chunk_size=2000):
        row = [
            case.number,
            str(kinds.get(case.kind, case.kind)),
            str(sources.get(case.source, case.source)),
            str(categories.get(case.category, case.category)),
            case.summary,
            str(statuses.get(case.status, case.status)),
            timezone.localtime(case.received_at).replace(tzinfo=None),
            case.org.name,
            str(case.handler) if case.handler else "",
            case.deadline,
            case.deadline_label,
        ]
        sheet.append([safe_cell(value) for value in row])
    return workbook_bytes(workbook)
