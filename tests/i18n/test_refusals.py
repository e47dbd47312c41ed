"""Refusals raised in core carry a catalogue text and fields; the error path words them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from discord import app_commands

from bot.core.checkin_reminders import days_text
from bot.core.errors import InvalidInput, StorageBusy
from bot.core.goals import progress_summary
from bot.core.recurrence import describe_repeat
from bot.core.typed_times import parse_when
from bot.i18n import N_
from bot.ui.errors import message_for


def test_a_refusal_is_worded_in_the_reader_s_language_with_its_fields() -> None:
    refused = InvalidInput(
        N_("Choose between 1 and {max_minutes} minutes before the session."), max_minutes=120
    )
    # English stays readable in logs and for callers that show `.message`.
    assert refused.message == "Choose between 1 and 120 minutes before the session."
    assert message_for(refused, "de") == "Wähle zwischen 1 und 120 Minuten vor der Sitzung."
    assert message_for(refused, "es-ES") == "Elige entre 1 y 120 minutos antes de la sesión."
    assert message_for(refused, "en") == refused.message
    assert message_for(StorageBusy(), "es").startswith("Ahora mismo no puedo guardar")


def test_catalogue_fields_and_dates_inside_a_refusal_are_worded_too() -> None:
    # "31 february" names a month: the month's name comes back in the reader's language.
    with pytest.raises(InvalidInput) as raised:
        berlin = ZoneInfo("Europe/Berlin")
        parse_when("31 february 18:00", datetime(2026, 1, 5, tzinfo=berlin), berlin)
    assert raised.value.text("de") == "Den 31. Februar gibt es nicht."
    assert raised.value.text("es") == "El 31 de febrero no existe."
    assert raised.value.text(None) == "31 February isn't a date."


def test_discord_s_own_refusals_are_worded_by_chorus() -> None:
    assert message_for(app_commands.NoPrivateMessage(), "de") == (
        "Dieser Befehl funktioniert in einem Server, nicht in Direktnachrichten."
    )


def test_days_repeats_and_figures_in_each_language() -> None:
    friday = datetime(2026, 3, 27, 18, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert describe_repeat("weekly", friday, "de") == "Jeden Freitag"
    assert describe_repeat("fortnightly", friday, "es") == "Cada dos semanas, el viernes"
    assert describe_repeat("monthly", friday, "de") == "Monatlich am vierten Freitag"
    assert describe_repeat("weekly", friday, "en") == "Every Friday"
    tue_fri = (1 << 1) | (1 << 4)
    assert days_text(tue_fri, "de") == "Di., Fr."
    assert days_text(tue_fri, "es") == "mar, vie"
    assert days_text(127, "es") == "todos los días"
    assert progress_summary([2, 3, 4, 4], "de") == (
        "4 Sitzungen, Durchschnitt 3,2, letzte drei steigend"
    )
