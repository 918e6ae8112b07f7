"""What every .xlsx export shares: cells that cannot run as formulas, and the bytes of a workbook."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

_FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet will show, never run as a formula (formula injection: reporters and
    departments write the text that ends up in exports). Other values pass through."""
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
