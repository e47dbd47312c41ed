"""The messages a member or facilitator sees when something they asked for can't be done.

A refusal carries a catalogue text (its English msgid, marked with ``N_``) and the named fields
that fill it; the one error path (bot/ui/errors.py) words it in the reader's language::

    raise InvalidInput(N_("At most {count} links, please."), count=3)

core never knows who reads a refusal, so it never translates: ``text(locale)`` does, at the edge.
"""

from __future__ import annotations

from typing import Any

from bot.i18n import N_, gettext


class UserFacingError(Exception):
    """An expected refusal: its text is shown to the person, ephemerally, in their language.

    ``message`` is the catalogue text (English msgid) with ``{named}`` placeholders filled from
    ``fields`` after translation. A text not in the catalogue is shown as it is.
    """

    def __init__(self, message: str, /, **fields: Any) -> None:
        self.template = message
        self.fields = fields
        # The English wording, for logs and for callers that predate the catalogue.
        self.message = message.format(**fields) if fields else message
        super().__init__(self.message)

    def text(self, locale: str | None) -> str:
        """The refusal in ``locale`` (a language code such as ``"de"``; None: English)."""
        return gettext(self.template, locale, **self.fields)


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
            N_("I can't save right now, so nothing was changed. Please try again in a minute.")
        )
