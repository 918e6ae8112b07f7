"""Errors a user can cause, and the messages that tell a person about them.

The library is Django-free and speaks Chinese: `str()` of a message is the Chinese sentence the
command line prints and a package's manifest keeps. A message also keeps its catalogue template
and its arguments, so the web application can say the same in the page's language
(`lianqing.core.wording.localized`): the template is the msgid of the English catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class Term(str):
    """A word of the catalogue inside a message: a column's or a dataset's Chinese title, a
    reason. A web page shows it translated; a file name, a value or a number is never a Term."""

    __slots__ = ()


class Message(str):
    """A sentence for a person: Chinese text, with its template (`%(name)s` placeholders) and
    arguments. A list argument reads as its items joined with "、"."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Message:
        shown = {key: _joined(value) for key, value in params.items()}
        message = super().__new__(cls, template % shown if params else template)
        message.template, message.params = template, params
        return message

    def as_json(self) -> dict[str, Any]:
        """What a database keeps to show the message later in the reader's language."""
        return {"text": str(self), "template": self.template, "params": _plain(self.params)}


def _joined(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "、".join(str(item) for item in value)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return value.as_json()
    if isinstance(value, Term):
        return {"term": str(value)}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value if isinstance(value, int | float | str) or value is None else str(value)


class AnalyticsError(Exception):
    """A problem with the user's input (a file, a column, a value, an option), not a bug.

    `AnalyticsError("文件 %(file)s 缺少必需列 %(columns)s", file=…, columns=[Term(…)])`: the
    message names the file, row, column (by its Chinese title) or field, in Chinese only.
    """

    def __init__(self, message: str, /, **params: Any) -> None:
        self.message = message if isinstance(message, Message) and not params else Message(message, **params)
        super().__init__(str(self.message))
