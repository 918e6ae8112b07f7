"""The analytics library's messages in the page's language.

`lianqing.analytics` is Django-free and writes Chinese; each of its messages keeps its
template (a msgid of the English catalogue) and its arguments. `localized` translates the
template and every argument that is itself a message or a catalogue word (a column's Chinese
title, a reason); file names, values and numbers stay as written.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from lianqing.analytics.errors import Message, Term
from lianqing.analytics.normalize import REASONS


def _argument(value: Any) -> Any:
    if isinstance(value, Message | Term) or (
        isinstance(value, dict) and ("template" in value or "term" in value)
    ):
        return localized(value)
    if isinstance(value, list | tuple):
        return gettext("、").join(str(_argument(item)) for item in value)
    return value


def localized(text: Any) -> str:
    """`text` in the active language: a Message, a Term, a message stored by `Message.as_json`,
    an importer's reason, or any other text as it is."""
    if isinstance(text, dict) and "term" in text:
        return gettext(text["term"])
    if isinstance(text, dict) and "template" in text:
        template_text, params = str(text["template"]), text.get("params") or {}
    elif isinstance(text, Message):
        template_text, params = text.template, text.params
    elif isinstance(text, Term) or text in REASONS:
        return gettext(str(text))
    else:
        return str(text)
    translated = gettext(template_text)
    if not params:
        return translated
    try:
        return translated % {key: _argument(value) for key, value in params.items()}
    except (KeyError, TypeError, ValueError):  # a catalogue entry that lost a placeholder
        return template_text % {key: _argument(value) for key, value in params.items()}
