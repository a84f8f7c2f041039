"""Errors that carry a plain Vietnamese message meant for the user, raised by every layer below the UI."""


class KhbcError(Exception):
    """A failure the user can understand: `message` is Vietnamese and says what to do next."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFoundError(KhbcError):
    """Something the user named (a period, a task, a plan) does not exist."""


class InvalidInputError(KhbcError):
    """A value the user gave cannot be accepted as it is."""


class DatabaseError(KhbcError):
    """The database file cannot be opened, is locked, or was made by a newer program."""


class FontNotFoundError(KhbcError):
    """No TrueType font that covers Vietnamese could be found for the documents."""


class PeriodLockedError(KhbcError):
    """The period was sent and must be reopened before its data may change."""


class StaleReportError(KhbcError):
    """The report's stored text is older than the period's results: sealing it needs an explicit confirmation."""
