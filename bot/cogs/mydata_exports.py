"""/mydata format:csv and format:chart: a member's own data as a table and as a summary chart.

Not a cog of its own: the privacy cog's /mydata hands these formats here, so the export logic
lives apart from the cog (JSON stays there).
"""

from __future__ import annotations

import asyncio
from typing import Literal

import discord

from bot.chorus_bot import ChorusBot
from bot.cogs import controls
from bot.cogs.access import require_guild
from bot.core.exports import MemberExports
from bot.ui import mydata as ui
from bot.ui.locale import reply_language
from bot.ui.replies import show_private

Format = Literal["json", "csv", "chart"]


async def send_export(bot: ChorusBot, interaction: discord.Interaction, format: Format) -> None:
    """Answer /mydata with the CSV or the summary chart, privately."""
    guild_id, _unused = require_guild(interaction)
    exports: MemberExports = bot.exports
    user_id = interaction.user.id
    locale = reply_language(bot.guild_settings, interaction)
    if format == "csv":
        server_zone = bot.guild_settings.for_guild(guild_id).timezone
        zone = await exports.member_timezone(guild_id, user_id, server_zone)
        data, rows = await exports.csv(guild_id, user_id, zone)
        await show_private(
            interaction, ui.csv_text(rows, zone, locale), file=ui.csv_file(data, locale)
        )
        return
    await controls.defer_private(interaction)  # drawing can take over a second
    figures = await exports.summary(guild_id, user_id)
    server_zone = bot.guild_settings.for_guild(guild_id).timezone
    zone = await exports.member_timezone(guild_id, user_id, server_zone)
    locale = reply_language(bot.guild_settings, interaction)
    png = await asyncio.to_thread(ui.summary_png, figures, zone, locale)
    await controls.answer_deferred(
        interaction, content=ui.chart_text(figures, locale), file=ui.chart_file(png, locale)
    )
