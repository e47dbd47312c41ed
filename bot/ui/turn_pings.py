"""The words of a song's turn ping: whose turn it is to write which line, and until when.

Posted in the channel (or sent as a direct message, which has no client language to go by), so
worded in the server's language, like the song itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.lyric_slots import slots
from bot.core.steps.write import WriteStep
from bot.i18n import N_, _
from bot.ui.format import clock_and_relative

PUBLIC = N_(
    "✍ {member}, it's your turn to write {where}. Press **Write my line** on the "
    "song above, or use `/line`.{until}{clue}{passing}"
)
PRIVATE = N_(
    "✍ It's your turn to write {where} in {channel}. Press **Write my line** "
    "on the song there, or use `/line`.{until}{clue}{passing} Nobody else is told "
    "it's you."
)
UNDELIVERABLE = N_(
    "✍ {member}, it's your turn in the song. Press **Write my line** above, or "
    "use `/line`. (I couldn't send you a direct message.)"
)


@dataclass(frozen=True, slots=True)
class TurnPing:
    """One writer's turn at line `position` (0-based) of a write step, in `locale`."""

    where: str
    """The line and its section, e.g. "**line 3 of 8** (chorus)"."""
    until: str
    clue: str
    passing: str
    locale: str

    @classmethod
    def of(cls, step: WriteStep, position: int, deadline: float | None, locale: str) -> TurnPing:
        """The turn's words: `deadline` is the turn's end (UTC timestamp, seconds; None: no
        turn timer)."""
        slot = slots(step, locale)[position]
        line = _("line {number} of {total}", locale, number=position + 1, total=step.total_lines)
        until = (
            " " + _("You have until {time}.", locale, time=clock_and_relative(deadline))
            if deadline is not None
            else ""
        )
        clue = ""
        if step.turns == "hidden":
            clue = " " + _("You'll see only the last word of the line before.", locale)
        return cls(
            where=f"**{line}**" + (f" ({slot.section})" if slot.section else ""),
            until=until,
            clue=clue,
            passing=" " + _("Passing is fine too.", locale) if step.pass_allowed else "",
            locale=locale,
        )

    def _worded(self, text: str, **fields: str) -> str:
        """`text` (one of the pings below) in the turn's language, its fields filled."""
        turn = {"where": self.where, "until": self.until, "clue": self.clue}
        return _(text, self.locale, passing=self.passing, **turn, **fields)

    def public(self, writer: int) -> str:
        """The ping in the channel, naming the writer (member id `writer`)."""
        return self._worded(PUBLIC, member=f"<@{writer}>")

    def private(self, channel_id: int) -> str:
        """The direct message of an anonymous song's writer (the song is in `channel_id`)."""
        return self._worded(PRIVATE, channel=f"<#{channel_id}>")

    def undeliverable(self, writer: int) -> str:
        """The channel's ping when the anonymous song's writer can't get a direct message."""
        return self._worded(UNDELIVERABLE, member=f"<@{writer}>")
