"""Planning sessions ahead: /session schedule create|edit|cancel and /session upcoming.

The rules are `ScheduleService`'s (bot/core/schedule_service.py). Its Discord side (server
events, reminders, the Start message) is `ScheduleEventsCog`, the Start button
`ScheduleStartCog`, /remind me `RemindersCog`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import controls
from bot.cogs.access import require_guild
from bot.cogs.extension import cog_setup
from bot.cogs.schedule_commands import NewSchedule, ScheduleGroup
from bot.cogs.subcommands import attach, detach
from bot.core.schedule_changes import Changes
from bot.core.schedule_service import OccurrenceRecord, SeriesRecord
from bot.core.schedule_values import ScheduleAccess
from bot.i18n import _
from bot.ui.locale import member_language
from bot.ui.replies import reply_ephemeral, show_private
from bot.ui.schedule import (
    CancelScheduleButton,
    ConfirmScheduleButton,
    ScheduleView,
    confirm_embed,
    confirm_view,
    draft_view,
    places_line,
    schedule_view,
    upcoming_embed,
)


class ScheduleCog(commands.Cog):
    """Planning sessions ahead."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.schedule_group = ScheduleGroup(self)
        bot.register_family(ConfirmScheduleButton, self.on_confirm)
        bot.register_family(CancelScheduleButton, self.on_cancel_preview)
        self.upcoming_command: app_commands.Command[Any, Any, Any] = app_commands.Command(
            name="upcoming",
            description="The next scheduled sessions, in your own time zone",
            callback=_upcoming_callback,
        )

    async def cog_load(self) -> None:
        """Adds /session schedule and /session upcoming to the /session group (SessionsCog's)."""
        attach(self.bot, "session", self.schedule_group, self.upcoming_command, loader=__name__)

    async def cog_unload(self) -> None:
        """Takes /session schedule and /session upcoming out of /session again."""
        detach(self.bot, "session", "schedule", "upcoming")

    def view_of(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, interested: int | None = None
    ) -> ScheduleView:
        """How an occurrence of `series` is shown (plan title, channel names from the cache)."""
        plan_title = self.bot.schedule.plan_title(series.guild_id, series.plan)
        return schedule_view(self.bot, series, occurrence, plan_title, interested)

    async def full_view_of(
        self,
        series: SeriesRecord,
        occurrence: OccurrenceRecord,
        locale: str,
        interested: int | None = None,
    ) -> ScheduleView:
        """As `view_of`, with a closed session's places and line (worded in ``locale``)."""
        access = await self.bot.schedule.access(series, occurrence)
        places = places_line(access, locale=locale)
        return replace(self.view_of(series, occurrence, interested), places=places)

    # ---------------------------------------------------------------- create

    async def create(self, interaction: discord.Interaction, asked: NewSchedule) -> None:
        """/session schedule create: a private preview; Confirm stores the series and its event.
        Refusals (a time in the past, an unknown plan) say what to fix."""
        guild_id, channel_id, locale = _facilitating(interaction)
        draft = self.bot.schedule.draft(
            guild_id, asked.title, asked.when, asked.repeat, asked.plan, asked.duration
        )
        closed = asked.closed
        preview = draft_view(
            self.bot,
            draft,
            channel_id,
            asked.voice_channel,
            self.bot.schedule.plan_title(guild_id, draft.plan),
            places_line(ScheduleAccess(closed), locale=locale),
        )

        draft_id, key = await self.bot.schedule.drafts.hold(
            draft,
            channel_id=channel_id,
            voice_channel_id=preview.voice_channel_id,
            facilitator_id=interaction.user.id,
            limits=closed,
        )
        await show_private(
            interaction,
            content=_("Here's the session. Does the time look right?", locale),
            embed=confirm_embed(preview, locale),
            view=confirm_view(draft_id, key, locale),
        )

    async def on_confirm(
        self, interaction: discord.Interaction, item: ConfirmScheduleButton
    ) -> None:
        """Confirm on a preview: the held draft is scheduled (its facilitator only, once)."""
        locale = member_language(interaction)
        series, occurrence = await self.bot.schedule.confirm(
            item.draft_id, item.key, interaction.user.id
        )
        await interaction.response.edit_message(
            content=None,
            embed=confirm_embed(
                await self.full_view_of(series, occurrence, locale), locale, confirmed=True
            ),
            view=None,
        )

    async def on_cancel_preview(
        self, interaction: discord.Interaction, item: CancelScheduleButton
    ) -> None:
        """Cancel on a preview: nothing is scheduled; the preview says so."""
        await self.bot.schedule.drafts.discard(item.draft_id, item.key, interaction.user.id)
        await interaction.response.edit_message(
            content=_("Cancelled: nothing was scheduled.", member_language(interaction)),
            embed=None,
            view=None,
        )

    # ------------------------------------------------------------ edit, cancel

    async def edit(
        self, interaction: discord.Interaction, occurrence_id: int, changes: Changes
    ) -> None:
        """/session schedule edit: the occurrence (and a series from now on) changed, privately
        confirmed."""
        guild_id, _channel, locale = _facilitating(interaction)
        series, occurrence = await self.bot.schedule.edit(guild_id, occurrence_id, changes)
        await show_private(
            interaction,
            content=_(
                "Updated session #{id}; the server event was changed too.", locale, id=occurrence.id
            ),
            embed=confirm_embed(
                await self.full_view_of(series, occurrence, locale), locale, confirmed=True
            ),
        )

    async def cancel(
        self, interaction: discord.Interaction, occurrence_id: int, whole_series: bool
    ) -> None:
        """/session schedule cancel: the occurrence (or the whole series) cancelled, with its
        event."""
        guild_id, _channel, locale = _facilitating(interaction)
        series, occurrence, following = await self.bot.schedule.cancel(
            guild_id, occurrence_id, whole_series
        )
        lines = [
            _(
                "Cancelled **{title}** #{id}; its server event was removed.",
                locale,
                title=series.title,
                id=occurrence.id,
            )
        ]
        if series.repeat != "none" and whole_series:
            lines.append(_("The series is stopped: no more sessions will be scheduled.", locale))
        elif following is not None:
            lines.append(
                _(
                    "The series carries on: next is #{id} on <t:{starts_at}:F>.",
                    locale,
                    id=following.id,
                    starts_at=int(following.starts_at),
                )
            )
        await reply_ephemeral(interaction, " ".join(lines))

    # -------------------------------------------------------------- upcoming

    async def upcoming(self, interaction: discord.Interaction) -> None:
        """/session upcoming: the next ten sessions, privately, in the member's language."""
        guild_id, _unused = require_guild(interaction)
        locale = member_language(interaction)
        ahead = await self.bot.schedule.upcoming(guild_id, 10, interest=True)
        views = [
            await self.full_view_of(a.series, a.occurrence, locale, a.interested) for a in ahead
        ]
        timezone = self.bot.guild_settings.for_guild(guild_id).timezone
        await show_private(interaction, embed=upcoming_embed(views, timezone, locale))


async def _upcoming_callback(interaction: discord.Interaction) -> None:
    """/session upcoming, answered by the loaded `ScheduleCog.upcoming`."""
    await controls.loaded_cog(interaction.client, ScheduleCog).upcoming(interaction)


def _facilitating(interaction: discord.Interaction) -> tuple[int, int, str]:
    """A schedule command's server and channel ids and the facilitator's language. Raises as
    `controls.facilitator_here` (in DMs, or for anyone but the server's facilitators)."""
    guild_id, channel_id = controls.facilitator_here(interaction)
    return guild_id, channel_id, member_language(interaction)


setup = cog_setup(ScheduleCog)
