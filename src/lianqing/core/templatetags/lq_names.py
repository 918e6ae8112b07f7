"""`{{ code|region }}`: the region's name with its code on hover (unknown codes stay as they are)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from lianqing.core.names import region_label

register = template.Library()


@register.filter
def region(code: str | None) -> str:
    if not code:
        return "—"
    return format_html('<span title="{}">{}</span>', code, region_label(code) or code)
