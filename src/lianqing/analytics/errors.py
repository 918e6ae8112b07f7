"""Errors a user can cause: the command front ends print them as one line and exit non-zero."""

from __future__ import annotations


class AnalyticsError(Exception):
    """A problem with the user's input (a file, a column, a value, an option), not a bug.

    The message is Chinese with English in brackets and names the file, row, column or field.
    """
