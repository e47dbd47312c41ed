"""/checkin notice on|off|show: a private pattern notice the member opts in to.

After a low check-in (a step, /checkin now or a scheduled DM) `after_low_answer` asks the
pattern rules whether this answer completed the member's pattern; if so, the member alone gets
a private follow-up with the server's support resources. Nothing about it is stored.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import controls
from bot.cogs.access import require_guild
from bot.cogs.extension import cog_setup
from bot.cogs.subcommands import CogGroup, attach, detach
from bot.core.pattern_notice import DEFAULT_LOW_ANSWERS, DEFAULT_WITHIN_DAYS, PatternNotices
from bot.i18n import _
from bot.records.checkins import CheckinRecord
from bot.ui import checkin_care
from bot.ui import pattern_notice as ui
from bot.ui.locale import member_language, reply_language
from bot.ui.replies import reply_ephemeral

NONE = discord.AllowedMentions.none()


class NoticeGroup(
    CogGroup["CheckinNoticeCog"],
    name="notice",
    description="A private note when check-ins stay low",
):
    """/checkin notice …: attached to the check-ins' /checkin group in cog_load."""

    @app_commands.command(name="on", description="Tell me (only me) when my check-ins stay low")
    @app_commands.describe(
        low_answers="How many low check-ins (default 3)",
        within_days="Within how many days (default 7)",
    )
    async def on(
        self,
        interaction: discord.Interaction,
        low_answers: app_commands.Range[int, 2, 10] = DEFAULT_LOW_ANSWERS,
        within_days: app_commands.Range[int, 1, 60] = DEFAULT_WITHIN_DAYS,
    ) -> None:
        """/checkin notice on: the member is told privately when `low_answers` (2-10) low check-ins
        fall within `within_days` (1-60) days; the reply says what is now set."""
        guild_id, _unused = require_guild(interaction)
        notices = self.cog.notices
        await notices.turn_on(guild_id, interaction.user.id, low_answers, within_days)
        optin = await notices.get(guild_id, interaction.user.id)
        await reply_ephemeral(interaction, ui.notice_state(optin, member_language(interaction)))

    @app_commands.command(name="off", description="Stop the pattern notice")
    async def off(self, interaction: discord.Interaction) -> None:
        """/checkin notice off: the pattern notice stops for this member; privately confirmed."""
        guild_id, _unused = require_guild(interaction)
        await self.cog.notices.turn_off(guild_id, interaction.user.id)
        await reply_ephemeral(interaction, _(ui.NOTICE_OFF, member_language(interaction)))

    @app_commands.command(name="show", description="Whether the pattern notice is on")
    async def show(self, interaction: discord.Interaction) -> None:
        """/checkin notice show: whether the member's pattern notice is on, and its numbers,
        privately."""
        guild_id, _unused = require_guild(interaction)
        optin = await self.cog.notices.get(guild_id, interaction.user.id)
        await reply_ephemeral(interaction, ui.notice_state(optin, member_language(interaction)))


class CheckinNoticeCog(commands.Cog):
    """The member-only pattern notice."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.notices: PatternNotices = bot.pattern_notices
        self.group = NoticeGroup(self)

    async def cog_load(self) -> None:
        """Adds the /checkin notice group to the /checkin group (CheckinsCog's)."""
        attach(self.bot, "checkin", self.group, loader=__name__)

    async def cog_unload(self) -> None:
        """Takes the /checkin notice group out of /checkin again."""
        detach(self.bot, "checkin", self.group.name)


async def after_low_answer(interaction: discord.Interaction, record: CheckinRecord | None) -> None:
    """Call after a low answer was saved and answered: the member's pattern notice, if this
    answer (`record`, None when nothing was stored) completed their pattern.

    Needs no cog instance: check-ins call it through a plain import, while discord.py loads
    this file as an extension in a module object of its own (so no isinstance on the cog)."""
    if record is None or record.user_id is None:
        return
    bot = controls.chorus(interaction)
    optin = await bot.pattern_notices.completed(record)
    if optin is None:
        return
    config = bot.guild_settings.for_guild(record.guild_id)
    # An answer to the member's own check-in: their language (a DM's server is the record's).
    locale = reply_language(bot.guild_settings, interaction, record.guild_id)
    links = checkin_care.care_view(None, config.support_links, locale=locale)
    extra: dict[str, Any] = {"view": links} if links is not None else {}
    await interaction.followup.send(
        embed=ui.notice_embed(optin, config.support_text, locale),
        ephemeral=interaction.guild_id is not None,  # a DM is private already
        allowed_mentions=NONE,
        **extra,
    )


setup = cog_setup(CheckinNoticeCog)
