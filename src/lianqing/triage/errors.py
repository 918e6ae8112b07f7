class TriageError(Exception):
    """A refusal with a message for the user."""
