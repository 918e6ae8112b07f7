class DossierError(Exception):
    """A request the registry cannot carry out; the message is for the user (Chinese first)."""
