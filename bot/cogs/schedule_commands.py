"""/session schedule create|edit|cancel as Discord declares them: names, descriptions, option ranges
and autocompletes; each command hands its options to `ScheduleCog` (bot/cogs/schedule.py), seen
here as the `ScheduleActions` it offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import discord
from discord import app_commands

from bot.cogs.options import (
    CLOSED_GROUP,
    Capacity,
    IdChoices,
    SessionTitle,
    TextChoices,
    closed_group,
)
from bot.cogs.subcommands import CogGroup
from bot.core.recurrence import Repeat
from bot.core.schedule_changes import Changes
from bot.core.schedule_service import LimitChanges
from bot.core.session import CAPACITY_MAX, SessionLimits


@dataclass(frozen=True, slots=True)
class NewSchedule:
    """/session schedule create's options: `when` as typed (parsed by the schedule service),
    `duration` in minutes, `closed` the session's access (None: open to anyone)."""

    title: str
    when: str
    repeat: Repeat
    plan: str | None
    voice_channel: discord.VoiceChannel | discord.StageChannel | None
    duration: int
    closed: SessionLimits | None


class ScheduleActions(Protocol):
    """What the commands ask of the schedule cog (`ScheduleCog`)."""

    async def plan_choices(self, interaction: discord.Interaction, current: str) -> TextChoices:
        """Autocomplete for a schedule's `plan`: activity ids and titles matching `current`."""

    async def occurrence_choices(self, interaction: discord.Interaction, current: str) -> IdChoices:
        """Autocomplete for an occurrence id: this server's upcoming occurrences matching
        `current`."""

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

    async def plan_ids(self, interaction: discord.Interaction, current: str) -> TextChoices:
        """Autocomplete for `plan` (see `ScheduleCog.plan_choices`)."""
        return await self.cog.plan_choices(interaction, current)

    async def occurrence_ids(self, interaction: discord.Interaction, current: str) -> IdChoices:
        """Autocomplete for `id` (see `ScheduleCog.occurrence_choices`)."""
        return await self.cog.occurrence_choices(interaction, current)

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
    @app_commands.autocomplete(plan=plan_ids)
    async def create(
        self,
        interaction: discord.Interaction,
        title: SessionTitle,
        when: app_commands.Range[str, 1, 80],
        repeat: Repeat = "none",
        plan: str | None = None,
        voice_channel: discord.VoiceChannel | discord.StageChannel | None = None,
        duration: app_commands.Range[int, 5, 1440] = 60,
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
        id="Which session (see /session upcoming)",
        title="A new title",
        when="A new time; a repeating session moves to it from now on",
        repeat="A new repeat rule",
        plan="A new activity to start",
        voice_channel="A new voice channel",
        duration="A new length in minutes",
        capacity="A new cap on places (a closed group); 0 removes the cap",
        role="Only members with this role can join; @everyone lets anyone join",
        invite_only="Members press Join to ask; you let them in from the board's Manage button",
    )
    @app_commands.autocomplete(id=occurrence_ids)
    @app_commands.autocomplete(plan=plan_ids)
    async def edit(
        self,
        interaction: discord.Interaction,
        id: int,
        title: SessionTitle | None = None,
        when: app_commands.Range[str, 1, 80] | None = None,
        repeat: Repeat | None = None,
        plan: str | None = None,
        voice_channel: discord.VoiceChannel | discord.StageChannel | None = None,
        duration: app_commands.Range[int, 5, 1440] | None = None,
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
        id="Which session (see /session upcoming)",
        whole_series="Also stop every later session of a repeating series",
    )
    @app_commands.autocomplete(id=occurrence_ids)
    async def cancel(
        self, interaction: discord.Interaction, id: int, whole_series: bool = False
    ) -> None:
        """/session schedule cancel: hands the occurrence `id` (and `whole_series`) to
        `ScheduleActions.cancel`."""
        await self.cog.cancel(interaction, id, whole_series)
