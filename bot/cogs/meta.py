"""/about and /support: what Chorus is, and where to find help."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs.extension import cog_setup
from bot.i18n import _, format_number
from bot.ui.checkin_care import care_view, support_embed
from bot.ui.format import info_embed
from bot.ui.locale import member_language
from bot.ui.replies import show_private


class MetaCog(commands.Cog):
    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot

    @app_commands.command(name="about", description="What Chorus is, its version, and privacy")
    async def about(self, interaction: discord.Interaction) -> None:
        """/about: what Chorus is, its version, how many activities this server has and where the
        privacy notice is, privately."""
        locale = member_language(interaction)
        count = len(self.bot.library.catalog_for(interaction.guild_id).activities)
        about = _(
            "Chorus runs group sessions drawn from group music-therapy practice: shared "
            "listening, writing songs together, breathing and rhythm warm-ups, reflection "
            "rounds and mood check-ins.",
            locale,
        )
        embed = info_embed(_("Chorus", locale), about)
        embed.add_field(name=_("Version", locale), value=self.bot.version, inline=True)
        embed.add_field(
            name=_("Activities loaded", locale), value=format_number(count, locale), inline=True
        )
        embed.add_field(
            name=_("Privacy", locale),
            value=(
                _(
                    "Check-ins are private by default; group figures appear only when at least 3 "
                    "people answered. See PRIVACY.md in the Chorus repository for what is stored and "
                    "how to delete it.",
                    locale,
                )
            ),
            inline=False,
        )
        embed.set_footer(text=_("Start with /session start, then /activity list.", locale))
        await show_private(interaction, embed=embed)

    @app_commands.command(name="support", description="Where to find help if you are struggling")
    async def support(self, interaction: discord.Interaction) -> None:
        """This server's own support text and links (the operator's default elsewhere)."""
        locale = member_language(interaction)
        config = self.bot.guild_settings.for_guild(interaction.guild_id)
        links = care_view(None, config.support_links, locale=locale)
        await show_private(
            interaction,
            embed=support_embed(config.support_text, locale),
            view=links if links is not None else discord.utils.MISSING,
        )


setup = cog_setup(MetaCog)
