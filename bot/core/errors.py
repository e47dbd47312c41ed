"""The messages a member or facilitator sees when something they asked for can't be done.

A refusal carries a catalogue text (its English msgid, marked with ``N_``) and the named fields
that fill it; the one error path (bot/ui/errors.py) words it in the reader's language::

    raise InvalidInput(N_("At most {count} links, please."), count=3)

core never knows who reads a refusal, so it never translates: ``text(locale)`` does, at the edge.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.i18n import N_, Wording, format_day, gettext, source_text, worded


class UserFacingError(Exception):
    """An expected refusal: its text is shown to the person, ephemerally, in their language.

    ``message`` is the catalogue text (English msgid) with ``{named}`` placeholders filled from
    ``fields`` after translation. A text not in the catalogue is shown as it is.
    """

    def __init__(self, message: str, /, **fields: Any) -> None:
        self.template = message
        self.fields = fields
        # The English wording, for logs and for callers that predate the catalogue.
        english = {
            k: worded(v, None) if isinstance(v, list | tuple) else v for k, v in fields.items()
        }
        self.message = source_text(message, **english)
        super().__init__(self.message)

    def text(self, locale: str | None) -> str:
        """The refusal in ``locale`` (a language code such as ``"de"``; None: English).

        A field that is itself a catalogue text (``what=N_("The leave grace (days)")``) is
        translated too, and so is a `Wording` (or a list of them, joined with "; "); any other text (a name someone typed) is looked up, found nowhere and
        shown as it is. A date (or datetime) field is written as the language writes a day.
        """
        return gettext(
            self.template, locale, **{k: _worded(v, locale) for k, v in self.fields.items()}
        )


def _worded(value: Any, locale: str | None) -> Any:
    if isinstance(value, Wording | list | tuple):
        return worded(value, locale)
    if isinstance(value, str):
        return gettext(value, locale)
    if isinstance(value, date):
        return format_day(value, locale)
    return value


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
