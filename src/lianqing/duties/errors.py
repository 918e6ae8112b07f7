from __future__ import annotations


class DutyError(Exception):
    """A refused step, with a message for the user (Chinese, translated) and the field it concerns."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
