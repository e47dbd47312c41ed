"""/checkin tag add|mood: a member's own tags on their check-ins, and their mood by tag.

Attached to the check-ins' /checkin group in cog_load. Tags are private like the answer.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs.access import require_guild
from bot.core.checkin_tags import CheckinTags
from bot.ui import checkin_tags as ui
from bot.ui import limits
from bot.ui.replies import reply_ephemeral

NONE = discord.AllowedMentions.none()


class TagGroup(app_commands.Group):
    """/checkin tag …"""

    def __init__(self, cog: CheckinTagsCog) -> None:
        super().__init__(name="tag", description="Tags on your own check-ins (only you see them)")
        self.cog = cog

    async def tag_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        found = await self.cog.tags.choices(interaction.guild_id, interaction.user.id, current)
        return [app_commands.Choice(name=limits.choice_name(t), value=t) for t in found]

    @app_commands.command(name="add", description="Tag your latest check-in, e.g. 'slept badly'")
    @app_commands.describe(tags="Up to 5, separated by commas; empty removes them")
    @app_commands.autocomplete(tags=tag_choices)
    async def add(
        self, interaction: discord.Interaction, tags: app_commands.Range[str, 0, 200] = ""
    ) -> None:
        guild_id, _ = require_guild(interaction)
        at, saved = await self.cog.tags.tag_latest(guild_id, interaction.user.id, tags)
        await reply_ephemeral(interaction, ui.tagged_text(at, saved))

    @app_commands.command(name="mood", description="Your mood by tag (only you see it)")
    @app_commands.describe(days="How many days back (default 90)")
    async def mood(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 3650] = 90
    ) -> None:
        guild_id, _ = require_guild(interaction)
        moods = await self.cog.tags.mood_by_tag(guild_id, interaction.user.id, days)
        await interaction.response.send_message(
            embed=ui.mood_embed(moods, days), ephemeral=True, allowed_mentions=NONE
        )


class CheckinTagsCog(commands.Cog):
    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.tags = CheckinTags(bot.store, bot.clock)
        self.group = TagGroup(self)

    async def cog_load(self) -> None:
        checkin = self.bot.tree.get_command("checkin")
        if not isinstance(checkin, app_commands.Group):
            raise RuntimeError("bot.cogs.checkin_tags must load after the /checkin group")
        checkin.add_command(self.group)

    async def cog_unload(self) -> None:
        checkin = self.bot.tree.get_command("checkin")
        if isinstance(checkin, app_commands.Group):
            checkin.remove_command(self.group.name)


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, ChorusBot)
    await bot.add_cog(CheckinTagsCog(bot))
