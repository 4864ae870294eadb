"""Errors that domain operations raise; the web layer turns them into form errors or status codes."""

from collections.abc import Mapping


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown, in the reader's language."""
    return message


class DomainError(Exception):
    """Bad input for one field: `message` is a German msgid, formatted with `params` after translation."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.params: Mapping[str, object] = params


class NotFound(Exception):
    """The thing asked for does not exist (or must not be revealed)."""


class NotAllowed(Exception):
    """The acting person may not do this."""


class Conflict(Exception):
    """Someone else saved the same thing in the meantime: `current` is what is stored now."""

    def __init__(self, current: object) -> None:
        super().__init__("stale version")
        self.current = current
