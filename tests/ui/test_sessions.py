"""The end-of-session summary (bot/ui/sessions.py): each contribution kind is counted in the words
its step kind declares (`StepKind.summary_counts`), as a count at K_MIN people or more and
without one below; bookkeeping (edits, withdrawals) isn't shown."""

from __future__ import annotations

import discord

from bot.core import steps as core_steps
from bot.core.checkins import K_MIN
from bot.core.session import SessionSummary
from bot.i18n import _
from bot.ui.sessions import summary_embed
from tests.ui.test_templates import session

MOOD_KINDS = "tests.steps_example.private"
"""The package of the `mood` kind, which counts its `mood` contributions as "moods shared"."""


def contributions_line(contributions: dict[str, tuple[int, int]], locale: str = "en") -> str:
    summary = SessionSummary(session(), 3600.0, 5, ("go-around",), contributions)
    embed: discord.Embed = summary_embed(summary, {"go-around": "Go-around"}, locale)
    found = [str(f.value) for f in embed.fields if f.name == _("Contributions", locale)]
    return found[0] if found else ""


def test_each_contribution_kind_in_its_step_kinds_words() -> None:
    line = contributions_line(
        {
            "checkin": (4, K_MIN),
            "pass": (2, 2),
            "spoke": (5, 5),
            "reflection": (1, 1),
            "edit": (9, 9),  # bookkeeping: not shown
        }
    )
    assert line == (
        "4 check-ins, passes from fewer than 3 people, 5 turns taken in a go-around, "
        "reflections from fewer than 3 people"
    )


def test_the_words_are_the_catalogues() -> None:
    counted = {"checkin": (4, K_MIN), "pass": (1, 1)}
    assert contributions_line(counted, "de") == "4 Check-ins, „Passen“ von weniger als 3 Personen"
    assert contributions_line(counted, "es") == "4 check-ins, «Pasar» de menos de 3 personas"


def test_a_kind_added_outside_bot_is_counted_in_its_own_words() -> None:
    unknown = contributions_line({"mood": (4, 4)})
    core_steps.add_package(MOOD_KINDS)
    try:
        shown = contributions_line({"mood": (4, 4)})
        few = contributions_line({"mood": (2, 2)})
    finally:
        core_steps.remove_package(MOOD_KINDS)
    assert unknown == ""  # not registered: no words for it, so it isn't shown
    assert shown == "4 moods shared"
    assert few == f"moods shared by fewer than {K_MIN} people"
