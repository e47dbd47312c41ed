"""The scheduled check-in: its DM (the scale as buttons, Pass and Snooze) and the replies to
/checkin schedule."""

from __future__ import annotations

from datetime import date
from typing import Any

import discord

from bot.core.checkin_reminders import days_text, time_text
from bot.core.checkins import scale_of
from bot.core.errors import InvalidInput
from bot.i18n import N_, _, format_day
from bot.records.checkin_schedules import CheckinScheduleRecord
from bot.ui.checkins import scale_hint
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import COLOUR_INFO

PASS = "pass"
SNOOZE = "snooze"


class ScheduledCheckinButton(
    TypedButton, spec="chorus:checkin_dm:{guild_id:int}:{scale:str}:{choice:str}"
):
    """A button on a scheduled check-in DM: `choice` is a value of `scale`, `pass` or `snooze`.
    The server rides along because a DM has none, and the answer is saved in that server."""

    guild_id: int
    scale: str
    choice: str

    def value(self) -> int:
        """The scale value this button answers with (its `choice` is neither pass nor snooze).
        Raises InvalidInput, pointing to /checkin now, for a choice that isn't a number (a
        button no Chorus writes any more)."""
        try:
            return int(self.choice)
        except ValueError:
            raise InvalidInput(
                N_("That button no longer works; use /checkin now instead.")
            ) from None


def dm_embed(guild_name: str, scale_name: str, locale: str) -> discord.Embed:
    """The scheduled check-in DM, in ``locale``: the member's client language kept when they set
    the schedule (it is sent later, without an interaction), else the server's."""
    scale = scale_of(scale_name)
    return discord.Embed(
        title=_("How are you today?", locale),
        colour=COLOUR_INFO,
        description=_(
            "Your check-in for **{server}**, as you asked.\n{scale}\n"
            "🔒 Only you see your answer. No reply is fine too.",
            locale,
            server=discord.utils.escape_markdown(guild_name),
            scale=scale_hint(scale, locale=locale),
        ),
    ).set_footer(text=_("Stop these: /checkin schedule off (in the server)", locale))


def dm_view(guild_id: int, scale_name: str, locale: str) -> discord.ui.View:
    """The scale's values, five to a row, then Pass and Snooze on the last row."""
    scale = scale_of(scale_name)
    items: list[discord.ui.Item[Any]] = []
    options = scale.options(locale)
    for index, option in enumerate(options):
        items.append(
            ScheduledCheckinButton.button(
                option.label,
                guild_id=guild_id,
                scale=scale_name,
                choice=str(option.value),
                emoji=option.emoji,
                style=discord.ButtonStyle.primary,
                row=index // 5,
            )
        )
    last = (len(options) - 1) // 5 + (0 if len(options) % 5 else 1)
    for label, choice in ((_("Pass", locale), PASS), (_("Snooze 1 hour", locale), SNOOZE)):
        items.append(
            ScheduledCheckinButton.button(
                label, guild_id=guild_id, scale=scale_name, choice=choice, row=last
            )
        )
    return persistent_view(*items)


def schedule_text(record: CheckinScheduleRecord, locale: str) -> str:
    """What the member chose and when the next DM comes."""
    paused = (
        _(
            "\nPaused until **{paused_until}** (nothing before that day).",
            locale,
            paused_until=format_day(date.fromisoformat(record.paused_until), locale),
        )
        if record.paused_until
        else ""
    )
    return _(
        "📅 Your private check-ins: **{days}** at **{time_text}** ({timezone}), scale "
        "{scale}.{paused}\nThe next one comes by DM <t:{next_send_at}:F>. Stop them any "
        "time with /checkin schedule off.",
        locale,
        days=days_text(record.days, locale),
        time_text=time_text(record.minute),
        timezone=record.timezone,
        scale=record.scale,
        paused=paused,
        next_send_at=int(record.next_send_at),
    )


NO_SCHEDULE = N_("You have no check-in schedule. Start one with /checkin schedule set.")
STOPPED = N_("🛑 Your check-in schedule is off: no more check-in DMs from this server.")
SNOOZED = N_("⏰ I'll ask again <t:{until}:R>.")
PASSED = N_("🤍 You passed on today's check-in. That's completely fine.")
GONE = N_(
    "Your check-in schedule for that server is off, so I didn't snooze. Start it "
    "again with /checkin schedule set there."
)
NOT_SAVED_NO_CONSENT = N_(
    "Your answer wasn't saved: saving your check-ins is off in that server. Turn it "
    "on there with /checkin consent."
)
NOT_A_MEMBER = N_("You're no longer in that server, so nothing was saved there.")
