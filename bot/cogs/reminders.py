"""/remind me: a DM before scheduled sessions a member marked Interested; and each member's own
time for one series, offered by DM when they press Interested on its server event."""

from __future__ import annotations

import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs.access import require_guild
from bot.cogs.extension import cog_setup, server_group
from bot.core.reminders import DEFAULT_MINUTES, MAX_MINUTES
from bot.core.series_reminders import SeriesReminders
from bot.i18n import N_, _, private_language
from bot.ui import series_reminders as ui
from bot.ui.locale import member_language, reply_language
from bot.ui.replies import reply_ephemeral, reply_outcome

log = logging.getLogger("chorus.schedule")
NONE = discord.AllowedMentions.none()


class RemindersCog(commands.Cog):
    """Members choose whether, and how long before, they are reminded."""

    remind = server_group("remind", "Reminders before scheduled sessions")

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.series: SeriesReminders = bot.series_reminders
        bot.register_family(ui.SeriesReminderButton, self.on_choice)

    @remind.command(name="me", description="Get a reminder before sessions you're interested in")
    @app_commands.describe(
        state="on or off",
        minutes_before=f"How long before the start (1-{MAX_MINUTES} minutes, default 15)",
    )
    async def remind_me(
        self,
        interaction: discord.Interaction,
        state: Literal["on", "off"],
        minutes_before: app_commands.Range[int, 1, MAX_MINUTES] = DEFAULT_MINUTES,
    ) -> None:
        """/remind me: turns the member's reminders before scheduled sessions on (`minutes_before`,
        1 to MAX_MINUTES) or off, privately confirmed."""
        locale = member_language(interaction)
        guild_id, _unused = require_guild(interaction)
        if state == "off":
            removed = await self.bot.schedule.stop_reminding(guild_id, interaction.user.id)
            await reply_outcome(
                interaction,
                removed,
                N_("🔕 Reminders are off; you won't hear from me about scheduled sessions."),
                N_("Reminders were already off for you here."),
            )
            return
        # Their client language now: the reminder DMs come later, without an interaction.
        await self.bot.schedule.remind(
            guild_id, interaction.user.id, minutes_before, interaction.locale.value
        )
        await reply_ephemeral(
            interaction,
            _(
                "🔔 Reminders are on: I'll DM you {minutes_before} min before each scheduled "
                "session you've marked **Interested** in the server's Events list (once per "
                "session). /remind me off stops them.",
                locale,
                minutes_before=minutes_before,
            ),
        )

    # ------------------------------------------------- a member's own time per series

    @commands.Cog.listener()
    async def on_scheduled_event_user_add(
        self, event: discord.ScheduledEvent, user: discord.User
    ) -> None:
        """Interested on a Chorus event: offer the member their own reminder time by DM (once
        per series; only the process that fires the server's timers sends it)."""
        if user.bot or not self.bot.fires_timers_of(event.guild_id):
            return
        offer = await self.series.offer(event.guild_id, event.id, user.id)
        if offer is None:
            return
        # No interaction to read a language from: their last reminder press's, else the server's.
        server = self.bot.guild_settings.for_guild(event.guild_id).language
        locale = private_language(offer.language, server)
        guild_name = event.guild.name if event.guild is not None else ""
        try:
            await user.send(
                embed=ui.offer_embed(offer, guild_name, locale),
                view=ui.offer_view(offer, locale),
                allowed_mentions=NONE,
            )
        except discord.HTTPException as error:
            # DMs closed (50007): nothing to press, so nothing kept; not retried. Their
            # /remind me setting still applies, as before.
            log.info(
                "could not offer a reminder time for series %s by DM (%s)",
                offer.series.id,
                error.code,
            )
            await self.series.undelivered(offer, user.id)

    @commands.Cog.listener()
    async def on_scheduled_event_user_remove(
        self, event: discord.ScheduledEvent, user: discord.User
    ) -> None:
        """Interested removed: their own time for the series is deleted."""
        if self.bot.fires_timers_of(event.guild_id):
            await self.series.cancel(event.guild_id, event.id, user.id)

    async def on_choice(
        self, interaction: discord.Interaction, item: ui.SeriesReminderButton
    ) -> None:
        """A reminder time chosen for one series (or none): saved, privately confirmed."""
        offer = await self.series.choose(
            item.series_id,
            interaction.user.id,
            ui.choice_minutes(item.choice),
            interaction.locale.value,
        )
        locale = reply_language(self.bot.guild_settings, interaction)
        guild = self.bot.get_guild(offer.series.guild_id)
        await interaction.response.edit_message(
            content=ui.chosen_text(offer, locale),
            # The offer shows their choice now, not the time that applied before it.
            embed=ui.offer_embed(offer, guild.name if guild is not None else "", locale),
            view=ui.offer_view(offer, locale),
            allowed_mentions=NONE,
        )


setup = cog_setup(RemindersCog)
