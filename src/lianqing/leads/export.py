"""Export of a filtered hit list to .xlsx, and of one hit's evidence.

A scan's list can hold a million hits: openpyxl's write-only sheet writes each row to disk as it
comes from a database cursor, the workbook is zipped into a temporary file, and the view sends
that file in chunks, so the web process holds neither the rows nor the workbook.
"""

from __future__ import annotations

import tempfile
from typing import IO

from django.db.models import QuerySet
from openpyxl import Workbook

from lianqing.analytics.evidence import DatasetRecords
from lianqing.core.spreadsheets import safe_cell, workbook_bytes
from lianqing.leads.models import Hit

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


def hits_xlsx(hits: QuerySet[Hit]) -> tuple[IO[bytes], int]:
    """The hits as a workbook in an anonymous temporary file (gone once closed), rewound, and
    how many rows it holds."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("疑点")
    sheet.append(HEADER)
    count = 0
    for hit in hits[:MAX_EXPORT_ROWS].iterator(chunk_size=2000):
        sheet.append(
            [
                hit.rule_id,
                hit.rule_name,
                hit.severity,
                safe_cell(hit.subject_id),
                safe_cell(hit.subject_name),
                float(hit.amount) if hit.amount is not None else None,
                hit.region_code,
                hit.subject_org_code,
                hit.subject_org_name,
                hit.get_change_display(),
                hit.get_status_display(),
                safe_cell(hit.decision_reason),
                safe_cell(hit.explanation),
                hit.record_ids,
            ]
        )
        count += 1
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (the response closes it)
    workbook.save(file)
    file.seek(0)
    return file, count


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
