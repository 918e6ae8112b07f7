from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def yuan(cents: object) -> str:
    """Cents as yuan with two places and thousands separators: 123456 → 1,234.56."""
    try:
        value = int(str(cents))
    except (TypeError, ValueError):
        return ""
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(value), 100)
    return f"{sign}{whole:,}.{part:02d}"


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.filter
def chart_json(table: dict[str, Any]) -> str:
    """The chart's data: the published row totals only (suppressed ones left out)."""
    bars = [
        {"name": gettext(row["label"]), "value": row["cells"][-1]}
        for row in table.get("rows", [])
        if row["cells"] and row["cells"][-1] is not None
    ]
    return json.dumps({"bars": bars}, ensure_ascii=False)
