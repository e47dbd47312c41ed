"""The schedule's Discord side: server events, reminder DMs, and the Start message of a
session the schedule opened.

`ScheduleService` (core) decides what happens and when; this cog is its `ScheduleOutlet`, doing
it on Discord. It owns the schedule's timer while loaded: armed from the store on load, so a
restarted bot picks up every stored due time, and closed on unload.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import discord
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs.extension import cog_setup
from bot.core.schedule_outlet import EventRefused, ReminderDm
from bot.core.schedule_service import OccurrenceRecord, SeriesRecord
from bot.core.session import NO_FACILITATOR, SessionRecord
from bot.i18n import _, private_language
from bot.ui.errors import log_refused
from bot.ui.locale import server_language
from bot.ui.schedule import channel_name
from bot.ui.schedule_events import (
    event_fields,
    opening_closed,
    opening_message,
    reminder_dm,
    reminder_fallback,
    reminder_where,
)
from bot.ui.series_reminders import own_reminder_dm

log = logging.getLogger("chorus.schedule")
NONE = discord.AllowedMentions.none()


class ScheduleEventsCog(commands.Cog):
    """Carries out on Discord what the schedule's timer and commands decide."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.schedule.attach(self)

    async def cog_load(self) -> None:
        """Arms the schedule's timer at the earliest stored due time (the store is open: setup_hook
        opens it first)."""
        # The store is open by now (setup_hook opens it first).
        await self.bot.schedule.timer.rearm()

    async def cog_unload(self) -> None:
        """Stops the schedule's timer."""
        self.bot.schedule.timer.close()

    async def guild(self, guild_id: int) -> discord.Guild:
        """The server `guild_id`, from the cache or fetched. Raises discord.HTTPException when
        Discord refuses."""
        return self.bot.get_guild(guild_id) or await self.bot.fetch_guild(guild_id)

    # -------------------------------------------------------------- events

    def _language(self, guild_id: int) -> str:
        """The server's language: events, channel posts, and DMs sent without an interaction
        (a /remind me reminder uses the member's language kept with their opt-in, if any)."""
        return server_language(self.bot.guild_settings, guild_id)

    async def fetch_event(self, occurrence: OccurrenceRecord) -> discord.ScheduledEvent | None:
        """The occurrence's Discord event; None when it has none or it was deleted."""
        if occurrence.event_id is None:
            return None
        guild = await self.guild(occurrence.guild_id)
        try:
            return await guild.fetch_scheduled_event(occurrence.event_id, with_counts=True)
        except discord.NotFound:
            return None

    def _event_fields(
        self, guild: discord.Guild, series: SeriesRecord, occurrence: OccurrenceRecord
    ) -> dict[str, Any]:
        plan = self.bot.schedule.plan_title(series.guild_id, series.plan)
        return event_fields(guild, series, occurrence, plan, self._language(series.guild_id))

    async def create_event(self, series: SeriesRecord, occurrence: OccurrenceRecord) -> int:
        """See `ScheduleOutlet.create_event` (bot/core/schedule_outlet.py). Raises EventRefused
        when Discord refuses the event (or can't give the server)."""
        try:
            guild = await self.guild(series.guild_id)
            event = await guild.create_scheduled_event(
                **self._event_fields(guild, series, occurrence),
                privacy_level=discord.PrivacyLevel.guild_only,
            )
        except discord.HTTPException as error:
            log_refused(log, error, "could not create the event of occurrence %s", occurrence.id)
            raise EventRefused(forbidden=isinstance(error, discord.Forbidden)) from error
        return event.id

    async def update_event(self, series: SeriesRecord, occurrence: OccurrenceRecord) -> int | None:
        """See `ScheduleOutlet.update_event`."""
        event = await self.fetch_event(occurrence)
        if event is None:
            return await self.create_event(series, occurrence)
        guild = await self.guild(series.guild_id)
        fields = self._event_fields(guild, series, occurrence)
        if fields["entity_type"] is discord.EntityType.external:
            fields["channel"] = None
        await event.edit(**fields)
        return None

    async def delete_event(self, occurrence: OccurrenceRecord) -> None:
        """See `ScheduleOutlet.delete_event`."""
        try:
            event = await self.fetch_event(occurrence)
            if event is not None:
                await event.delete()
        except discord.HTTPException as error:
            log_refused(log, error, "could not delete the event of occurrence %s", occurrence.id)

    async def interest_counts(self, guild_id: int) -> dict[int, int]:
        """See `ScheduleOutlet.interest_counts`."""
        try:
            guild = await self.guild(guild_id)
            events = await guild.fetch_scheduled_events(with_counts=True)
        except discord.HTTPException:
            return {}
        return {e.id: e.user_count or 0 for e in events}

    async def set_event_status(self, occurrence: OccurrenceRecord, wanted: str) -> None:
        """See `ScheduleOutlet.set_event_status`."""
        try:
            event = await self.fetch_event(occurrence)
            if event is None:
                return
            if wanted == "active" and event.status is discord.EventStatus.scheduled:
                await event.start()
            elif wanted == "done":
                if event.status is discord.EventStatus.active:
                    await event.end()
                elif event.status is discord.EventStatus.scheduled:
                    await event.cancel()
        except discord.HTTPException as error:
            log_refused(log, error, "could not update the event of occurrence %s", occurrence.id)

    async def interested(self, occurrence: OccurrenceRecord) -> list[int] | None:
        """See `ScheduleOutlet.interested`."""
        event = await self.fetch_event(occurrence)
        if event is None:
            return None
        return [user.id async for user in event.users()]

    # ----------------------------------------------------------- reminders

    async def dm_reminder(self, reminder: ReminderDm) -> bool:
        """See `ScheduleOutlet.dm_reminder`."""
        series, own, minutes = reminder.series, reminder.own, reminder.minutes
        user_id, starts_at = reminder.user_id, reminder.occurrence.starts_at
        guild = self.bot.get_guild(series.guild_id)
        name = channel_name(self.bot, series.guild_id, series.channel_id)
        server = self.bot.guild_settings.for_guild(series.guild_id).language
        locale = private_language(reminder.language, server)
        where = reminder_where(
            name, series.channel_id, guild.name if guild is not None else None, locale
        )
        if own is not None:
            text = own_reminder_dm(series.title, starts_at, where, minutes, own, locale)
        else:
            text = reminder_dm(series.title, starts_at, where, minutes, locale)
        try:
            user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
            await user.send(text, allowed_mentions=NONE)
        except discord.HTTPException:
            return False
        return True

    async def post_reminders(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, user_ids: Sequence[int]
    ) -> bool:
        """See `ScheduleOutlet.post_reminders`."""
        channel = self.bot.get_partial_messageable(series.channel_id, guild_id=series.guild_id)
        try:
            await channel.send(
                reminder_fallback(
                    series.title, occurrence.starts_at, user_ids, self._language(series.guild_id)
                ),
                allowed_mentions=discord.AllowedMentions(
                    everyone=False,
                    roles=False,
                    replied_user=False,
                    users=[discord.Object(uid) for uid in user_ids],
                ),
            )
        except discord.HTTPException as error:
            log_refused(
                log,
                error,
                "could not post reminders in channel %s, %d members not reminded",
                series.channel_id,
                len(user_ids),
            )
            return False
        return True

    async def dm(self, guild_id: int, user_id: int, text: str, **fields: Any) -> None:
        """See `ScheduleOutlet.dm`."""
        try:
            user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
            await user.send(_(text, self._language(guild_id), **fields), allowed_mentions=NONE)
        except discord.HTTPException:
            log.warning("could not reach facilitator %s", user_id)

    # ---------------------------------------------------- opening sessions

    async def post_board(self, session: SessionRecord) -> bool:
        """See `ScheduleOutlet.post_board`."""
        return await self.bot.live.post_board(session) is not None

    async def refresh_board(self, session_id: int) -> None:
        """See `ScheduleOutlet.refresh_board`."""
        await self.bot.live.refresh_board(session_id)

    async def post_start_message(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, session: SessionRecord
    ) -> int | None:
        """See `ScheduleOutlet.post_start_message`."""
        content, view = opening_message(
            series.facilitator_id,
            series.title,
            self.bot.schedule.plan_title(series.guild_id, series.plan),
            occurrence.id,
            self._language(series.guild_id),
        )
        try:
            message = await self.bot.live.channel(session).send(
                content,
                view=view,
                allowed_mentions=discord.AllowedMentions(
                    everyone=False,
                    roles=False,
                    users=[discord.Object(series.facilitator_id)]
                    if series.facilitator_id != NO_FACILITATOR
                    else False,
                ),
            )
        except discord.HTTPException as error:
            log_refused(
                log, error, "could not post the Start button for occurrence %s", occurrence.id
            )
            return None
        return message.id

    async def close_start_message(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, outcome: str
    ) -> None:
        """See `ScheduleOutlet.close_start_message`."""
        if occurrence.start_message_id is None:
            return
        channel = self.bot.get_partial_messageable(series.channel_id, guild_id=series.guild_id)
        try:
            await channel.get_partial_message(occurrence.start_message_id).edit(
                content=opening_closed(series.title, outcome, self._language(series.guild_id)),
                view=None,
                allowed_mentions=NONE,
            )
        except discord.HTTPException as error:
            log_refused(
                log, error, "could not close the start message of occurrence %s", occurrence.id
            )


setup = cog_setup(ScheduleEventsCog)
