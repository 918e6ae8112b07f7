"""The one error type of case handling: a user's request that the rules refuse."""

from __future__ import annotations


class CaseError(Exception):
    """Refused action; the message is Chinese with English in brackets and is shown to the user."""
