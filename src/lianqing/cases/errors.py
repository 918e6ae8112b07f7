"""The one error type of case handling: a user's request that the rules refuse."""

from __future__ import annotations

from django.utils.functional import Promise


class CaseError(Exception):
    """Refused action. The message is in the user's language (gettext) and is shown to them;
    `field` names the form field the message belongs to, so the form shows it there."""

    def __init__(self, message: str | Promise, *, field: str = "") -> None:
        super().__init__(str(message))
        self.field = field
