"""Counted sentences in German and Spanish: every text whose words agree with a count is a
plural text (one person reads in the singular, two in the plural), and the Spanish catalogue
words people without assuming a gender ("se saltó 1 turno", "en grupo", "quien facilita").
The go-around's closing count is also checked through the real bot in
tests/cogs/test_round_languages.py."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po

from bot.core.schedule_values import ScheduleAccess
from bot.i18n import catalogue_path, ngettext
from bot.records.session_access import SessionLimits
from bot.ui.schedule import places_line
from bot.ui.steps.round import went_around

COUNTED = {
    # (singular msgid, plural msgid): {language: (at 1, at 2)}
    ("{count} took their turn", "{count} took their turn"): {
        "de": ("1 war dran", "2 waren dran"),
        "es": ("1 persona tomó su turno", "2 personas tomaron su turno"),
    },
    ("{count} passed", "{count} passed"): {
        "de": ("1 hat gepasst", "2 haben gepasst"),
        "es": ("1 persona pasó", "2 personas pasaron"),
    },
    ("{count} was skipped", "{count} were skipped"): {
        "de": ("1 wurde übersprungen", "2 wurden übersprungen"),
        "es": ("se saltó 1 turno", "se saltaron 2 turnos"),
    },
    ("{count} improved", "{count} improved"): {
        "de": ("1 besser", "2 besser"),
        "es": ("1 mejoró", "2 mejoraron"),
    },
    ("{count} stayed the same", "{count} stayed the same"): {
        "de": ("1 gleich", "2 gleich"),
        "es": ("1 siguió igual", "2 siguieron igual"),
    },
    ("{count} dropped", "{count} dropped"): {
        "de": ("1 schlechter", "2 schlechter"),
        "es": ("1 empeoró", "2 empeoraron"),
    },
    ("**{count}** waiting for a place", "**{count}** waiting for a place"): {
        "de": ("**1** wartet auf einen Platz", "**2** warten auf einen Platz"),
        "es": ("**1** persona esperando plaza", "**2** personas esperando plaza"),
    },
    ("**{count}** asking to join", "**{count}** asking to join"): {
        "de": ("**1** bittet um Aufnahme", "**2** bitten um Aufnahme"),
        "es": ("**1** solicitud para unirse", "**2** solicitudes para unirse"),
    },
    (
        "Slow down a little: try again in {count} second.",
        "Slow down a little: try again in {count} seconds.",
    ): {
        "de": (
            "Etwas langsamer bitte: Versuch es in 1 Sekunde noch einmal.",
            "Etwas langsamer bitte: Versuch es in 2 Sekunden noch einmal.",
        ),
        "es": (
            "Más despacio: inténtalo de nuevo dentro de 1 segundo.",
            "Más despacio: inténtalo de nuevo dentro de 2 segundos.",
        ),
    },
    (" {count} of us pressed Done.", " {count} of us pressed Done."): {
        "de": (" 1 von uns hat Fertig gedrückt.", " 2 von uns haben Fertig gedrückt."),
        "es": (" 1 persona del grupo pulsó Hecho.", " 2 personas del grupo pulsaron Hecho."),
    },
    ("{count} syllable", "{count} syllables"): {
        "de": ("1 Silbe", "2 Silben"),
        "es": ("1 sílaba", "2 sílabas"),
    },
    ("…and {count} older version.", "…and {count} older versions."): {
        "de": ("… und 1 ältere Version.", "… und 2 ältere Versionen."),
        "es": ("…y 1 versión anterior.", "…y 2 versiones anteriores."),
    },
}


@pytest.mark.parametrize("language", ["de", "es"])
@pytest.mark.parametrize("texts", list(COUNTED), ids=[pair[0] for pair in COUNTED])
def test_a_counted_text_reads_right_for_one_and_for_two(
    texts: tuple[str, str], language: str
) -> None:
    singular, plural = texts
    one, two = COUNTED[texts][language]
    assert ngettext(singular, plural, 1, language) == one
    assert ngettext(singular, plural, 2, language) == two


def _entries(language: str) -> list[Message]:
    with catalogue_path(language).open("rb") as po:
        return [m for m in read_po(po, locale=language) if m.id]


def test_every_counted_text_is_a_plural_entry_of_each_catalogue() -> None:
    for language in ("de", "es"):
        plural = {m.id[0] for m in _entries(language) if isinstance(m.id, tuple)}
        assert {pair[0] for pair in COUNTED} <= plural, language


@pytest.mark.parametrize(
    ("counts", "language", "expected"),
    [
        ((1, 0, 0), "es", "Hemos hecho la ronda: 1 persona tomó su turno. Gracias a todo el grupo."),
        ((2, 1, 0), "de", "Wir sind einmal herumgegangen: 2 waren dran und 1 hat gepasst. Danke euch allen."),
        ((1, 2, 2), "es", "Hemos hecho la ronda: 1 persona tomó su turno, 2 personas pasaron y se saltaron 2 turnos. Gracias a todo el grupo."),
        ((1, 1, 1), "de", "Wir sind einmal herumgegangen: 1 war dran, 1 hat gepasst und 1 wurde übersprungen. Danke euch allen."),
        ((2, 1, 1), "en", "We went around: 2 took their turn, 1 passed, 1 was skipped. Thank you all."),
    ],
)  # fmt: skip
def test_the_closing_count_of_a_go_around(
    counts: tuple[int, int, int], language: str, expected: str
) -> None:
    assert went_around(*counts, language) == expected


@pytest.mark.parametrize(
    ("waiting", "asking", "language", "expected"),
    [
        (1, 1, "de", "🗝 4 Plätze (4 belegt), 1 wartet · auf Einladung, 1 fragt an"),
        (2, 2, "de", "🗝 4 Plätze (4 belegt), 2 warten · auf Einladung, 2 fragen an"),
        (1, 1, "es", "🗝 4 plazas (ocupadas: 4), 1 en espera · por invitación, 1 solicitud"),
        (2, 2, "es", "🗝 4 plazas (ocupadas: 4), 2 en espera · por invitación, 2 solicitudes"),
    ],
)
def test_a_closed_sessions_line_counts_who_waits_and_asks(
    waiting: int, asking: int, language: str, expected: str
) -> None:
    access = ScheduleAccess(
        SessionLimits(capacity=4, invite_only=True), taken=4, waiting=waiting, asking=asking
    )
    assert places_line(access, locale=language) == expected


GENDERED = re.compile(
    r"(?i)\b(juntos|juntas|a todos|todos han|fue saltad[oa]|fueron saltad[oa]s|(?<!turno )saltad[oa]"
    r"|(?<!turnos )saltad[oa]s|miembros? interesad[oa]s?|estéis listos|pasa al siguiente\.|de nosotros)"
)
"""Spanish that assumes the people it speaks of are men (the generic masculine)."""


def test_the_spanish_catalogue_words_people_without_assuming_a_gender() -> None:
    found = []
    for entry in _entries("es"):
        strings = (
            list(entry.string) if isinstance(entry.string, tuple | list) else [entry.string or ""]
        )
        found += [s for s in strings if GENDERED.search(s)]
    assert not found, found


def test_the_gender_check_finds_the_old_wording() -> None:
    for old in (
        "Hemos hecho la ronda: 2 tomaron su turno, 1 fue saltado. Gracias a todos.",
        "Hemos escrito juntos 3 versos.",
        "saltado por quien facilita",
        "⭐ 2 miembros interesados",
        " 3 de nosotros pulsamos Hecho.",
    ):
        assert GENDERED.search(old), old
    assert not GENDERED.search("turno saltado por quien facilita · se saltaron 2 turnos")
