"""The go-around's closing count in German and Spanish through the real bot: each count is its
own plural text, so one person reads in the singular and two in the plural, and the Spanish
wording assumes no one's gender (a skip is "se saltó 1 turno", not "fue saltado")."""

from __future__ import annotations

import pytest

from bot.i18n import _
from tests.cogs.test_round import card, text
from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World
from tests.responses import reply_to

# What happens on each of the three turns, in order: the speaker's Done or Pass, or the
# facilitator's Done on an absent speaker's turn (a skip).
TURNS = {
    "one of each": ("skip", "pass", "done"),
    "two spoke": ("done", "done", "pass"),
    "two passed": ("pass", "pass", "done"),
    "two skipped": ("skip", "skip", "done"),
}

CLOSING = {
    ("de", "one of each"): "Wir sind einmal herumgegangen: 1 war dran, 1 hat gepasst und 1 "
    "wurde übersprungen. Danke euch allen.",
    ("de", "two spoke"): "Wir sind einmal herumgegangen: 2 waren dran und 1 hat gepasst. "
    "Danke euch allen.",
    ("de", "two passed"): "Wir sind einmal herumgegangen: 1 war dran und 2 haben gepasst. "
    "Danke euch allen.",
    ("de", "two skipped"): "Wir sind einmal herumgegangen: 1 war dran und 2 wurden "
    "übersprungen. Danke euch allen.",
    ("es", "one of each"): "Hemos hecho la ronda: 1 persona tomó su turno, 1 persona pasó y se "
    "saltó 1 turno. Gracias a todo el grupo.",
    ("es", "two spoke"): "Hemos hecho la ronda: 2 personas tomaron su turno y 1 persona pasó. "
    "Gracias a todo el grupo.",
    ("es", "two passed"): "Hemos hecho la ronda: 1 persona tomó su turno y 2 personas pasaron. "
    "Gracias a todo el grupo.",
    ("es", "two skipped"): "Hemos hecho la ronda: 1 persona tomó su turno y se saltaron 2 "
    "turnos. Gracias a todo el grupo.",
}


@pytest.mark.parametrize("turns", list(TURNS))
@pytest.mark.parametrize("language", ["de", "es"])
async def test_the_closing_count_reads_right_for_one_and_for_two(
    world: World, language: str, turns: str
) -> None:
    await world.manager().slash(world.channel, "setup language", language=language)
    await open_session(world)
    for person in world.members:
        await person.click(board(world), label=_("Join", language))
    started = await world.facilitator.slash(world.channel, "activity start", activity="test-round")
    assert "Starting" in reply_to(started).content
    for person, turn in zip(world.members, TURNS[turns], strict=True):
        if turn == "skip":
            await world.facilitator.click(card(world), label=_("Done", language))
        else:
            label = _("Done", language) if turn == "done" else _("Pass", language)
            await person.click(card(world), label=label)
    await world.facilitator.click(board(world), label=_("Next", language))
    closed = text(card(world))
    assert CLOSING[language, turns] in closed, closed
