from __future__ import annotations


class PublicityError(Exception):
    """A refusal with a message for the user, and the form field it concerns if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
