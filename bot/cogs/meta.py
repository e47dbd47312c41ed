"""/about and /support: what Chorus is, and where to find help."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.i18n import _, format_number
from bot.ui.checkin_care import care_view, support_embed
from bot.ui.format import COLOUR_INFO
from bot.ui.locale import member_language

NONE = discord.AllowedMentions.none()


class MetaCog(commands.Cog):
    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot

    @app_commands.command(name="about", description="What Chorus is, its version, and privacy")
    async def about(self, interaction: discord.Interaction) -> None:
        locale = member_language(interaction)
        count = len(self.bot.library.catalog_for(interaction.guild_id).activities)
        embed = discord.Embed(
            title=_("Chorus", locale),
            colour=COLOUR_INFO,
            description=(
                _(
                    "Chorus runs group sessions drawn from group music-therapy practice: shared "
                    "listening, writing songs together, breathing and rhythm warm-ups, reflection "
                    "rounds and mood check-ins.",
                    locale,
                )
            ),
        )
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
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NONE)

    @app_commands.command(name="support", description="Where to find help if you are struggling")
    async def support(self, interaction: discord.Interaction) -> None:
        """This server's own support text and links (the operator's default elsewhere)."""
        locale = member_language(interaction)
        config = self.bot.guild_settings.for_guild(interaction.guild_id)
        links = care_view(None, config.support_links, locale=locale)
        await interaction.response.send_message(
            embed=support_embed(config.support_text, locale),
            view=links if links is not None else discord.utils.MISSING,
            ephemeral=True,
            allowed_mentions=NONE,
        )


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, ChorusBot)
    await bot.add_cog(MetaCog(bot))
