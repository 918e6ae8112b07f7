"""Export of a filtered hit list to .xlsx, and of one hit's evidence.

A scan's list can hold a million hits: the rows come from a database cursor a few thousand at a
time and leave as .xlsx bytes while the next are read (core.xlsx_stream), so the first bytes
arrive at once and the web process holds neither the rows nor the workbook.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from openpyxl import Workbook

from lianqing.analytics.evidence import DatasetRecords
from lianqing.core.spreadsheets import safe_cell, workbook_bytes
from lianqing.core.xlsx_stream import xlsx_stream
from lianqing.leads.models import Hit, HitChange, HitStatus

MAX_EXPORT_ROWS = 1_000_000  # Excel's sheet ends at 1,048,576 rows
HEADER = (
    "规则",
    "规则名称",
    "风险等级",
    "对象标识",
    "对象名称",
    "涉及金额（元）",
    "行政区划",
    "涉及单位代码",
    "涉及单位",
    "变化",
    "状态",
    "排除理由",
    "说明",
    "证据记录",
)
FIELDS = (
    "rule_id",
    "rule_name",
    "severity",
    "subject_id",
    "subject_name",
    "amount",
    "region_code",
    "subject_org_code",
    "subject_org_name",
    "change",
    "status",
    "decision_reason",
    "explanation",
    "record_ids",
)
_TEXT_FROM_PEOPLE = {"subject_id", "subject_name", "decision_reason", "explanation"}  # never a formula


def hits_xlsx_stream(hits: QuerySet[Hit]) -> Iterator[bytes]:
    """The hits (at most MAX_EXPORT_ROWS, in the list's order) as .xlsx bytes, piece by piece."""
    # The labels in the request's language, looked up now: the rows are written after the view.
    labels = {
        "change": {value: str(label) for value, label in HitChange.choices},
        "status": {value: str(label) for value, label in HitStatus.choices},
    }
    return xlsx_stream("疑点", HEADER, _rows(hits[:MAX_EXPORT_ROWS], labels))


def _rows(hits: QuerySet[Hit], labels: dict[str, dict[str, str]]) -> Iterator[list[Any]]:
    # In a transaction PostgreSQL's cursor reads rows as they are fetched; in autocommit Django
    # declares it WITH HOLD, and PostgreSQL first runs the whole query and keeps every row.
    with transaction.atomic(using=hits.db):
        for row in hits.values_list(*FIELDS).iterator(chunk_size=2000):
            yield _cells(row, labels)


def _cells(row: tuple[Any, ...], labels: dict[str, dict[str, str]]) -> list[Any]:
    cells = []
    for field, value in zip(FIELDS, row, strict=True):
        if field in labels:
            value = labels[field].get(value, value)
        elif field in _TEXT_FROM_PEOPLE:
            value = safe_cell(value)
        cells.append(value)
    return cells


def hit_evidence_xlsx(hit: Hit, records: list[DatasetRecords]) -> bytes:
    """The evidence of one hit as a workbook: the 疑点 first, then one sheet per dataset."""
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("疑点")
    for label, value in (
        ("规则", f"{hit.rule_id} {hit.rule_name}"),
        ("风险等级", hit.severity),
        ("对象", f"{hit.subject_name} {hit.subject_id}"),
        ("涉及金额（元）", f"{hit.amount:.2f}" if hit.amount is not None else ""),
        ("说明", hit.explanation),
        ("证据记录", hit.record_ids),
    ):
        summary.append([label, safe_cell(value)])
    for group in records:
        sheet = workbook.create_sheet(group.title[:31])
        sheet.append(group.columns)
        for cells in group.table:
            sheet.append([safe_cell(value) for value in cells])
    return workbook_bytes(workbook)
