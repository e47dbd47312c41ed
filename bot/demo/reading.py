"""How the simulated members read the step cards: the catalogue's sentences as patterns, in the
server's language, so a German demo's members find their turn on German cards."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.i18n import gettext

WHO = r"(?:<@(\d+)>|\*\*([^*]+)\*\*)"


def read_as(message: str, language: str, **groups: str) -> re.Pattern[str]:
    """A card's sentence as members read it in ``language``: the catalogue's wording of
    ``message`` with each ``{field}`` matched by ``groups[field]`` (any text if not given)."""
    worded = gettext(message, language)
    parts = re.split(r"\{(\w+)\}", worded)
    pattern = "".join(
        re.escape(part) if n % 2 == 0 else groups.get(part, ".*?") for n, part in enumerate(parts)
    )
    return re.compile(pattern)


@dataclass(frozen=True)
class Reading:
    """What the members look for on the cards, in the session's language."""

    writer: re.Pattern[str]
    anyone: re.Pattern[str]
    speakers: tuple[re.Pattern[str], ...]
    pattern_end: re.Pattern[str]
    blanks: tuple[re.Pattern[str], ...]


def reading(language: str) -> Reading:
    """The members' reading of the cards in ``language`` (the server's)."""
    return Reading(
        writer=read_as(
            "✍ {writer} is writing **{what}**{until}.", language, writer=WHO, what=r"([^*]+)"
        ),
        anyone=read_as(
            "✍ Anyone may write **{what}**: press **Write my line** when you're ready.",
            language,
            what=r"([^*]+)",
        ),
        speakers=(
            read_as("🎤 {speaker} has the floor now.", language, speaker=WHO),
            read_as("🎤 {speaker} is speaking in the voice channel now.", language, speaker=WHO),
        ),
        pattern_end=read_as(
            "Together, the pattern runs from {start} to {end}. Go at your own pace.",
            language,
            start=r"<t:\d+:t>",
            end=r"<t:(\d+):t>",
        ),
        blanks=(
            read_as("Blank {number} of {count}", language),
            read_as("The {count} blanks, separated by /", language),
        ),
    )
