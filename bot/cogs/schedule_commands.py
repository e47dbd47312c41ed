"""/session schedule create|edit|cancel as Discord declares them: names, descriptions, option types,
ranges and autocompletes; each command hands its options to `ScheduleCog` (bot/cogs/schedule.py),
seen here as the `ScheduleActions` it offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import discord
from discord import app_commands

from bot.chorus_bot import ChorusBot
from bot.cogs.options import (
    CLOSED_GROUP,
    ActivityId,
    AnyChoices,
    Autocompleted,
    Capacity,
    SessionTitle,
    closed_group,
)
from bot.cogs.subcommands import CogGroup
from bot.core.recurrence import Repeat
from bot.core.schedule_changes import Changes
from bot.core.schedule_service import LimitChanges
from bot.core.schedule_wake import utc
from bot.core.session import CAPACITY_MAX, SessionLimits
from bot.core.time_zones import zone
from bot.i18n import short_day
from bot.ui import limits
from bot.ui.locale import member_language

SessionTime = app_commands.Range[str, 1, 80]
"""A session's time as typed, e.g. 'friday 18:00' (the schedule service reads it)."""
SessionMinutes = app_commands.Range[int, 5, 1440]
"""A scheduled session's length in minutes: five minutes to a day."""
MeetingChannel = discord.VoiceChannel | discord.StageChannel
"""Where a scheduled session meets (its server event points there)."""


class OccurrenceSearch(Autocompleted):
    """A scheduled session's occurrence id (/session schedule edit and cancel): the autocomplete
    offers this server's next sessions."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        """An id: Discord's integer option."""
        return discord.AppCommandOptionType.integer

    async def autocomplete(
        self, interaction: discord.Interaction[ChorusBot], value: int | float | str, /
    ) -> AnyChoices:
        """The next 25 occurrences whose `#id title · day hh:mm (zone)`, in each series' zone,
        holds `value` (ignoring case); none in direct messages."""
        if interaction.guild_id is None:
            return []
        needle = str(value).strip().casefold()
        choices: AnyChoices = []
        locale = member_language(interaction)
        for ahead in await interaction.client.schedule.upcoming(interaction.guild_id, 25):
            series, occurrence = ahead.series, ahead.occurrence
            local = utc(occurrence.starts_at).astimezone(zone(series.timezone))
            when = f"{short_day(local, locale)} {local:%H:%M}"
            name = f"#{occurrence.id} {series.title} · {when} ({series.timezone})"
            if needle in name.casefold():
                choices.append(
                    app_commands.Choice(name=limits.choice_name(name), value=occurrence.id)
                )
        return choices


OccurrenceId = app_commands.Transform[int, OccurrenceSearch]
"""An option naming a scheduled session, with `OccurrenceSearch`'s autocomplete."""
WHICH_SESSION = "Which session (see /session upcoming)"
"""What Discord shows under an `OccurrenceId` option (/session schedule edit and cancel)."""


@dataclass(frozen=True, slots=True)
class NewSchedule:
    """/session schedule create's options: `when` as typed (parsed by the schedule service),
    `duration` in minutes, `closed` the session's access (None: open to anyone)."""

    title: str
    when: str
    repeat: Repeat
    plan: str | None
    voice_channel: MeetingChannel | None
    duration: int
    closed: SessionLimits | None


class ScheduleActions(Protocol):
    """What the commands ask of the schedule cog (`ScheduleCog`)."""

    async def create(self, interaction: discord.Interaction, asked: NewSchedule) -> None:
        """Schedules `asked` and answers the facilitator (privately)."""

    async def edit(
        self, interaction: discord.Interaction, occurrence_id: int, changes: Changes
    ) -> None:
        """Applies `changes` to occurrence `occurrence_id` (and its series from then on) and answers
        privately."""

    async def cancel(
        self, interaction: discord.Interaction, occurrence_id: int, whole_series: bool
    ) -> None:
        """Cancels occurrence `occurrence_id` (or, with `whole_series`, its series) and answers
        privately."""


class ScheduleGroup(
    CogGroup["ScheduleActions"],
    name="schedule",
    description="Plan sessions ahead: create, edit, cancel",
):
    """/session schedule …: attached to the sessions cog's /session group in cog_load."""

    @app_commands.command(name="create", description="Schedule a session (facilitators)")
    @app_commands.describe(
        title="What members will see, e.g. 'Tuesday circle'",
        when="e.g. 'friday 18:00', 'tomorrow 7pm', 'in 2 hours', '2026-03-27 18:00'",
        repeat="Repeat weekly, every other week, or monthly on the same weekday",
        plan="An activity to start when the facilitator presses Start",
        voice_channel="Meet in this voice channel (else the event points at this channel)",
        duration="Length in minutes (default 60)",
        **CLOSED_GROUP,
    )
    async def create(
        self,
        interaction: discord.Interaction,
        title: SessionTitle,
        when: SessionTime,
        repeat: Repeat = "none",
        plan: ActivityId | None = None,
        voice_channel: MeetingChannel | None = None,
        duration: SessionMinutes = 60,
        capacity: Capacity | None = None,
        role: discord.Role | None = None,
        invite_only: bool = False,
    ) -> None:
        """/session schedule create: the options gathered into a `NewSchedule` for
        `ScheduleActions.create` (the checks are the service's)."""
        closed = closed_group(capacity, role, invite_only)
        asked = NewSchedule(title, when, repeat, plan, voice_channel, duration, closed)
        await self.cog.create(interaction, asked)

    @app_commands.command(name="edit", description="Change a scheduled session (facilitators)")
    @app_commands.describe(
        id=WHICH_SESSION,
        title="A new title",
        when="A new time; a repeating session moves to it from now on",
        repeat="A new repeat rule",
        plan="A new activity to start",
        voice_channel="A new voice channel",
        duration="A new length in minutes",
        capacity="A new cap on places (a closed group); 0 removes the cap",
        role="Only members with this role can join; @everyone lets anyone join",
        invite_only=CLOSED_GROUP["invite_only"],
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        id: OccurrenceId,
        title: SessionTitle | None = None,
        when: SessionTime | None = None,
        repeat: Repeat | None = None,
        plan: ActivityId | None = None,
        voice_channel: MeetingChannel | None = None,
        duration: SessionMinutes | None = None,
        capacity: app_commands.Range[int, 0, CAPACITY_MAX] | None = None,
        role: discord.Role | None = None,
        invite_only: bool | None = None,
    ) -> None:
        """/session schedule edit: the given options gathered into `Changes` (None: unchanged) for
        `ScheduleActions.edit`."""
        changes = Changes(
            title=title,
            when=when,
            repeat=repeat,
            plan=plan,
            voice_channel_id=voice_channel.id if voice_channel else None,
            duration_minutes=duration,
            # @everyone (the server's default role) is everyone: no role limit.
            limits=LimitChanges(
                capacity=capacity,
                role_id=None if role is None else (0 if role.is_default() else role.id),
                invite_only=invite_only,
            ),
        )
        await self.cog.edit(interaction, id, changes)

    @app_commands.command(name="cancel", description="Cancel a scheduled session (facilitators)")
    @app_commands.describe(
        id=WHICH_SESSION,
        whole_series="Also stop every later session of a repeating series",
    )
    async def cancel(
        self, interaction: discord.Interaction, id: OccurrenceId, whole_series: bool = False
    ) -> None:
        """/session schedule cancel: hands the occurrence `id` (and `whole_series`) to
        `ScheduleActions.cancel`."""
        await self.cog.cancel(interaction, id, whole_series)
