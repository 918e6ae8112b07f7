"""Errors a user can cause in the leads app; views show their message in the reader's language."""

from __future__ import annotations


class LeadsError(Exception):
    """A refused request (bad upload, a scan already running, a decision already made).

    The message is Chinese (a gettext text, or an analytics `Message` that the view translates
    with `lianqing.core.wording.localized`) and names the file or field.
    """

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
