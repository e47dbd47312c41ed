"""`bot.i18n.Wording`: a catalogue text worded once its reader is known, English as a str."""

from __future__ import annotations

import pickle

from bot.core.activity_loader import ActivityError
from bot.core.errors import InvalidInput
from bot.i18n import N_, Wording


def test_a_wording_is_its_english_and_words_itself_for_each_reader() -> None:
    unknown = Wording("unknown field '{name}'", name="titel")
    assert unknown == "unknown field 'titel'" and isinstance(unknown, str)
    assert unknown.text(None) == unknown.text("en") == unknown
    assert unknown.text("de") == "unbekanntes Feld 'titel'"
    assert unknown.text("es-ES") == "campo desconocido 'titel'"
    assert unknown.text("fr") == unknown  # a language Chorus doesn't ship: English


def test_fields_that_are_wordings_follow_the_reader_others_stay_as_written() -> None:
    got = Wording("expected a list; got {got}", got=Wording("nothing (null)"))
    assert got == "expected a list; got nothing (null)"
    assert got.text("de") == "erwartet wird eine Liste; gefunden: nichts (null)"
    # What the facilitator wrote is never looked up, even if it reads like a catalogue text.
    written = Wording("expected a list; got {got}", got='"a list"')
    assert written.text("de") == 'erwartet wird eine Liste; gefunden: "a list"'


def test_plurals_and_literal_braces() -> None:
    more = Wording.plural("... and {count} more error", "... and {count} more errors", 1)
    assert more == "... and 1 more error" and more.text("de") == "... und 1 weiterer Fehler"
    many = Wording.plural("... and {count} more error", "... and {count} more errors", 4)
    assert many.text("es") == "... y 4 errores más"
    braces = Wording("expected at least one locale, like {{en: ...}}")
    assert braces == "expected at least one locale, like {en: ...}"
    assert "{en: ...}" in braces.text("de")


def test_a_wording_survives_pickling_and_fills_a_refusal() -> None:
    nested = Wording(
        "{problem} (did you mean '{suggestion}'?)",
        problem=Wording("unknown field '{name}'", name="titel"),
        suggestion="title",
    )
    again = pickle.loads(pickle.dumps(nested))
    assert again == nested and again.text("de") == nested.text("de")
    assert nested.text("de") == "unbekanntes Feld 'titel' (meintest du 'title'?)"
    error = ActivityError("a.yaml", 2, 1, "titel", nested)
    refused = InvalidInput(
        N_("That step can't be added yet: {problems}"), problems=[error.at_field()]
    )
    assert refused.text("de").endswith("titel: unbekanntes Feld 'titel' (meintest du 'title'?)")
    assert refused.message.endswith("titel: unknown field 'titel' (did you mean 'title'?)")
    # A copy that doesn't load names the file and place too (bot/core/guild_library.py).
    copy = InvalidInput(
        N_("I couldn't copy `{source_id}`: {loaded}"), source_id="x", loaded=error.wording()
    )
    assert copy.text("de").endswith(
        "a.yaml:2:1: titel: unbekanntes Feld 'titel' (meintest du 'title'?)"
    )
    assert (
        error.text("es") == "a.yaml:2:1: titel: campo desconocido 'titel' (¿querías decir 'title'?)"
    )
