"""Refusals carry a catalogue text and its fields; the reader's language words them at the
edge: the English for logs, a catalogue field translated too, a day written the language's
way, a typed name shown as it is."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.errors import (
    Conflict,
    InvalidInput,
    NotFacilitator,
    NotFound,
    StorageBusy,
    UserFacingError,
)
from bot.i18n import N_

TAG_TOO_LONG = N_("Keep each tag to {tag_max} characters (`{tag}…` is longer).")


def test_a_refusal_keeps_its_msgid_and_fields_and_says_it_in_english_for_logs() -> None:
    refused = InvalidInput(TAG_TOO_LONG, tag_max=32, tag="slept")
    assert refused.template == TAG_TOO_LONG
    assert refused.fields == {"tag_max": 32, "tag": "slept"}
    assert refused.message == "Keep each tag to 32 characters (`slept…` is longer)."
    assert str(refused) == refused.message == refused.text(None)
    with pytest.raises(UserFacingError):
        raise refused


def test_the_reader_gets_it_in_their_language_with_each_field_worded_for_them() -> None:
    refused = InvalidInput(TAG_TOO_LONG, tag_max=32, tag="slept")
    assert refused.text("de") == "Jeder Tag darf höchstens 32 Zeichen haben (`slept…` ist länger)."
    # A field that is a catalogue text is translated; a day is written as the language does.
    started = Conflict(N_("Started {when}"), when=N_("The leave grace (days)"))
    assert started.text("de") == "Begonnen Die Frist nach dem Verlassen (Tage)"
    on_day = NotFound(N_("Started {when}"), when=date(2026, 3, 27))
    assert on_day.text("de") == "Begonnen 27.03.2026"
    assert on_day.message == "Started 2026-03-27"
    # A text not in the catalogue (something typed) is shown as it is.
    assert NotFacilitator("Only Fran may do that").text("de") == "Only Fran may do that"


def test_storage_busy_says_nothing_was_saved() -> None:
    busy = StorageBusy()
    assert "nothing was changed" in busy.message
    assert busy.text("es") != busy.message
