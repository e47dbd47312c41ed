"""The messages a member or facilitator sees when something they asked for can't be done."""

from __future__ import annotations


class UserFacingError(Exception):
    """An expected refusal: its text is shown to the person, ephemerally, as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFacilitator(UserFacingError):
    """Someone who is not a facilitator pressed a facilitator's control."""


class NotFound(UserFacingError):
    """The thing named does not exist (or is not visible to this person)."""


class Conflict(UserFacingError):
    """The request clashes with the current state (already open, already ended, ...)."""


class InvalidInput(UserFacingError):
    """A value the person typed is not acceptable; the message says how to fix it."""


class StorageBusy(UserFacingError):
    """The database can't be written right now; nothing was saved."""

    def __init__(self) -> None:
        super().__init__(
            "I can't save right now, so nothing was changed. Please try again in a minute."
        )
