"""/checkin schedule set|off|show: private check-ins by DM on the member's own schedule.

Opt-in only. A timer of this cog's own sleeps until the next stored send time; the due DMs are
claimed in one write (each schedule moves on first) and only then sent, so a DM is never sent
twice, across a restart or another process. The answer is saved like a /checkin now answer,
through the check-in service. A member who leaves the server or uses /forget gets nothing more:
leaving stops the schedule here, /forget deletes its row.
"""

from __future__ import annotations

import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import checkin_notice
from bot.cogs.access import require_guild
from bot.cogs.extension import cog_setup
from bot.cogs.options import time_zones
from bot.cogs.subcommands import CogGroup, attach, detach
from bot.core.checkin_reminders import CheckinReminders
from bot.core.checkin_service import CheckinService, ConsentNeeded
from bot.core.checkins import describe_value, scale_of
from bot.core.deadline_timer import DeadlineTimer
from bot.i18n import _, private_language
from bot.records.checkin_schedules import ClaimedSend
from bot.records.errors import StorageUnavailable
from bot.ui import checkin_care
from bot.ui import checkin_schedule as ui
from bot.ui import checkins as checkin_ui
from bot.ui.checkin_schedule import ScheduledCheckinButton
from bot.ui.locale import member_language, reply_language
from bot.ui.replies import reply_ephemeral

log = logging.getLogger("chorus.checkin_schedule")
NONE = discord.AllowedMentions.none()


class CheckinScheduleGroup(
    CogGroup["CheckinScheduleCog"],
    name="schedule",
    description="Private check-ins by DM on your schedule",
):
    """/checkin schedule …: attached to the check-ins' /checkin group in cog_load."""

    @app_commands.command(name="set", description="Get a private check-in DM on days you choose")
    @app_commands.describe(
        days="e.g. 'tue, fri', 'weekdays', 'daily'",
        time="Your local time, e.g. '19:00' or '7pm'",
        timezone="Your own time zone, e.g. Europe/Berlin (pick a suggestion)",
        scale="0-10 (default) or 1-5 faces",
        pause_until="Optional: no DMs before this date, e.g. 2026-04-20",
    )
    @app_commands.autocomplete(timezone=time_zones)
    async def set_schedule(
        self,
        interaction: discord.Interaction,
        days: app_commands.Range[str, 1, 80],
        time: app_commands.Range[str, 1, 20],
        timezone: app_commands.Range[str, 1, 60],
        scale: Literal["0-10", "1-5"] = "0-10",
        pause_until: app_commands.Range[str, 1, 20] | None = None,
    ) -> None:
        """/checkin schedule set: hands the member's days, local time, zone, scale and optional
        pause date to `CheckinScheduleCog.set_schedule`, which checks them and answers privately."""
        await self.cog.set_schedule(interaction, days, time, timezone, scale, pause_until)

    @app_commands.command(name="off", description="Stop your check-in DMs at once")
    async def off(self, interaction: discord.Interaction) -> None:
        """/checkin schedule off: the member's check-in DMs stop (`CheckinScheduleCog.stop`)."""
        await self.cog.stop(interaction)

    @app_commands.command(name="show", description="Your check-in schedule (only you see it)")
    async def show(self, interaction: discord.Interaction) -> None:
        """/checkin schedule show: the member's own schedule, privately
        (`CheckinScheduleCog.show`)."""
        await self.cog.show(interaction)


class CheckinScheduleCog(commands.Cog):
    """Members' own check-in schedules and their DMs."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        # The bot's own (one check-in service for every cog; the DM timer is the bot's).
        self.reminders: CheckinReminders = bot.checkin_reminders
        self.checkins: CheckinService = bot.checkins
        self.timer: DeadlineTimer = bot.checkin_timer
        self.reminders.attach(self._send)
        self.group = CheckinScheduleGroup(self)
        bot.register_family(ScheduledCheckinButton, self.on_button)
        bot.privacy.on_forget(self._forgotten)

    async def cog_load(self) -> None:
        """Adds /checkin schedule to the /checkin group and arms the DM timer at the earliest stored
        send time (a restarted bot picks up where it was)."""
        attach(self.bot, "checkin", self.group, loader=__name__)
        await self.timer.rearm()  # the store is open: a restarted bot picks up stored times

    async def cog_unload(self) -> None:
        """Stops sending the DMs (the timer sleeps) and takes /checkin schedule out of /checkin
        again."""
        self.reminders.attach(None)
        await self.timer.rearm()
        detach(self.bot, "checkin", self.group.name)

    # ------------------------------------------------------------------ commands

    async def set_schedule(
        self,
        interaction: discord.Interaction,
        days: str,
        time: str,
        timezone: str,
        scale: str,
        pause_until: str | None,
    ) -> None:
        """/checkin schedule set: save the member's schedule (`days`, `time` on their wall clock in
        `timezone`) and tell them when the next check-in comes. Refusals say what to fix; raises
        InvalidInput when the member hasn't agreed to check-ins being stored."""
        guild_id, _unused = require_guild(interaction)
        plan = self.reminders.plan(days, time, timezone, scale, pause_until)
        # Their client language now: the DMs come later, without an interaction to read it from.
        record = await self.reminders.set(
            guild_id, interaction.user.id, plan, interaction.locale.value
        )
        await self.timer.rearm()
        await reply_ephemeral(interaction, ui.schedule_text(record, member_language(interaction)))

    async def stop(self, interaction: discord.Interaction) -> None:
        """/checkin schedule stop: no more scheduled check-ins for the member here."""
        guild_id, _unused = require_guild(interaction)
        stopped = await self.reminders.stop(guild_id, interaction.user.id)
        await self.timer.rearm()
        await reply_ephemeral(
            interaction, _(ui.STOPPED if stopped else ui.NO_SCHEDULE, member_language(interaction))
        )

    async def show(self, interaction: discord.Interaction) -> None:
        """/checkin schedule show: the member's schedule and the next check-in, privately."""
        guild_id, _unused = require_guild(interaction)
        record = await self.reminders.get(guild_id, interaction.user.id)
        locale = member_language(interaction)
        await reply_ephemeral(
            interaction, ui.schedule_text(record, locale) if record else _(ui.NO_SCHEDULE, locale)
        )

    # ------------------------------------------------------------------- sending

    async def _send(self, claim: ClaimedSend) -> None:
        schedule = claim.schedule
        guild = self.bot.get_guild(schedule.guild_id)
        if guild is None:
            return  # the bot is no longer in that server
        try:
            member = guild.get_member(schedule.user_id) or await guild.fetch_member(
                schedule.user_id
            )
        except discord.NotFound:
            # They left while the bot wasn't watching: nothing more, ever.
            await self.reminders.stop(schedule.guild_id, schedule.user_id)
            return
        except discord.HTTPException:
            log.warning("couldn't look up a member for their check-in DM; skipped this one")
            return
        try:
            server = self.bot.guild_settings.for_guild(schedule.guild_id).language
            locale = private_language(schedule.language, server)
            await member.send(
                embed=ui.dm_embed(guild.name, schedule.scale, locale),
                view=ui.dm_view(schedule.guild_id, schedule.scale, locale),
                allowed_mentions=NONE,
            )
        except discord.HTTPException as error:
            # Closed DMs or Discord trouble: this one is not retried (it was claimed, and a
            # late or repeated check-in is worse than a missed one); the next one comes as usual.
            log.info("a scheduled check-in DM couldn't be delivered (%s)", error.status)

    async def _still_member(self, guild_id: int, user_id: int) -> bool:
        """An old DM's button must not save into a server its member has left."""
        guild = self.bot.get_guild(guild_id)
        if guild is None:
            return False
        if guild.get_member(user_id) is not None:
            return True
        try:
            await guild.fetch_member(user_id)
        except discord.NotFound:
            return False
        return True

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """The servers of this process are known now (start-up, reconnect): arm for them."""
        await self.timer.rearm()

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """A new server: re-arm the timer (its members' stored schedules may now be due)."""
        await self.timer.rearm()

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        """A member left the server: their check-in schedule there stops (with the database
        unavailable, when its next DM finds them gone; a warning says so)."""
        try:
            stopped = await self.reminders.stop(payload.guild_id, payload.user.id)
        except StorageUnavailable as exc:
            log.warning(
                "member %d left server %d, but the database is unavailable (%s): their "
                "check-in schedule there stops when its next DM finds them gone",
                payload.user.id,
                payload.guild_id,
                exc,
            )
            return
        if stopped:
            await self.timer.rearm()

    async def _forgotten(self, guild_id: int, user_id: int) -> None:
        """/forget deleted the row; the timer may have been armed for it."""
        await self.timer.rearm()

    # ------------------------------------------------------------------- answers

    async def on_button(
        self, interaction: discord.Interaction, item: ScheduledCheckinButton
    ) -> None:
        """An answer pressed in a scheduled check-in DM: saved for the server the DM came from.
        Raises InvalidInput when the button's value is no number (an id from an older version)."""
        guild_id, user_id = item.guild_id, interaction.user.id
        # A DM: the member's client language, else the language of the server it belongs to.
        locale = reply_language(self.bot.guild_settings, interaction, guild_id)
        if item.choice == ui.SNOOZE:
            until = await self.reminders.snooze(guild_id, user_id)
            await self.timer.rearm()
            text = _(ui.GONE, locale) if until is None else _(ui.SNOOZED, locale, until=int(until))
            await interaction.response.edit_message(content=text, embed=None, view=None)
            return
        if item.choice == ui.PASS:
            await interaction.response.edit_message(
                content=_(ui.PASSED, locale), embed=None, view=None
            )
            return
        if not await self._still_member(guild_id, user_id):
            await interaction.response.edit_message(
                content=_(ui.NOT_A_MEMBER, locale), embed=None, view=None
            )
            return
        scale = scale_of(item.scale)
        value = item.value()
        try:
            saved = await self.checkins.answer_now(guild_id, user_id, scale, value)
        except ConsentNeeded:
            saved = None
        if saved is None or saved.declined or saved.record is None:
            await interaction.response.edit_message(
                content=_(ui.NOT_SAVED_NO_CONSENT, locale), embed=None, view=None
            )
        else:
            await interaction.response.edit_message(
                content=_(
                    "🔒 Saved: **{value}**. Only you can see it.",
                    locale,
                    value=describe_value(scale, value, locale=locale),
                ),
                embed=None,
                view=checkin_ui.answer_view(saved.record.id, note=True, share=False, locale=locale),
                allowed_mentions=NONE,
            )
        # A low answer gets the support message whether or not it could be saved.
        if saved.low if saved is not None else self.checkins.is_low(guild_id, scale, value):
            config = self.bot.guild_settings.for_guild(guild_id)
            embed, view = checkin_care.care_message(config, None, locale)
            await interaction.followup.send(embed=embed, view=view, allowed_mentions=NONE)
            await checkin_notice.after_low_answer(
                interaction, saved.record if saved is not None else None
            )


setup = cog_setup(CheckinScheduleCog)
