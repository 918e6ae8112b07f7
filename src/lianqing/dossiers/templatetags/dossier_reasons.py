from collections.abc import Mapping

from django import template

from lianqing.dossiers.reasons import reason_display

register = template.Library()


@register.filter
def reason_text(reason: Mapping[str, object]) -> str:
    return reason_display(reason)
