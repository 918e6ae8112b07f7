"""The one error type of the intake app: its message is Chinese with English in brackets and
is shown to the user as it is."""


class IntakeError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
