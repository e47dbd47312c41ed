"""/checkin tag add|pick|mood: a member's own tags on their check-ins, and their mood by tag;
/setup tags: the server's own list members pick from (Manage Server).

Attached to the /checkin and /setup groups in cog_load. Tags are private like the answer.
"""

from __future__ import annotations

from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs.access import require_guild, require_manage_server
from bot.cogs.extension import cog_setup
from bot.cogs.options import DAYS_BACK, DaysBack, TextChoices
from bot.cogs.subcommands import CogGroup, attach, detach
from bot.core.checkin_tags import CheckinTags
from bot.ui import checkin_tags as ui
from bot.ui import limits
from bot.ui.locale import member_language, reply_language
from bot.ui.replies import reply_ephemeral, show_private

NONE = discord.AllowedMentions.none()


class TagGroup(
    CogGroup["CheckinTagsCog"],
    name="tag",
    description="Tags on your own check-ins (only you see them)",
):
    """/checkin tag …"""

    async def tag_choices(self, interaction: discord.Interaction, current: str) -> TextChoices:
        """Autocomplete: the server's tags (or the built-in ones) containing `current`."""
        if interaction.guild_id is None:
            return []
        found = await self.cog.tags.choices(
            interaction.guild_id, interaction.user.id, current, member_language(interaction)
        )
        return [app_commands.Choice(name=limits.choice_name(t), value=t) for t in found]

    @app_commands.command(name="add", description="Tag your latest check-in, e.g. 'slept badly'")
    @app_commands.describe(tags="Up to 5, separated by commas; empty removes them")
    @app_commands.autocomplete(tags=tag_choices)
    async def add(
        self, interaction: discord.Interaction, tags: app_commands.Range[str, 0, 200] = ""
    ) -> None:
        """/checkin tag add: comma-separated `tags` (at most 200 characters) on the member's latest
        check-in; the reply names what was saved, privately. Raises NotFound when the member has no
        check-in to tag, InvalidInput for bad tags."""
        guild_id, _unused = require_guild(interaction)
        at, saved = await self.cog.tags.tag_latest(guild_id, interaction.user.id, tags)
        await reply_ephemeral(interaction, ui.tagged_text(at, saved, member_language(interaction)))

    @app_commands.command(name="pick", description="Pick tags for your latest check-in from a list")
    async def pick(self, interaction: discord.Interaction) -> None:
        """/checkin tag pick: a private list of the server's tags to choose from for the latest
        check-in."""
        guild_id, _ = require_guild(interaction)
        locale = reply_language(self.cog.bot.guild_settings, interaction)
        pick = await self.cog.tags.pick(guild_id, interaction.user.id, locale)
        await show_private(
            interaction, ui.pick_text(pick.at, locale), view=ui.pick_view(pick, locale)
        )

    @app_commands.command(name="mood", description="Your mood by tag (only you see it)")
    @app_commands.describe(days=DAYS_BACK)
    async def mood(self, interaction: discord.Interaction, days: DaysBack = 90) -> None:
        """/checkin tag mood: the member's average mood per tag over the last `days` (1-3650),
        privately."""
        guild_id, _unused = require_guild(interaction)
        moods = await self.cog.tags.mood_by_tag(guild_id, interaction.user.id, days)
        await show_private(
            interaction, embed=ui.mood_embed(moods, days, member_language(interaction))
        )


def setup_tags_command(cog: CheckinTagsCog) -> app_commands.Command[Any, ..., None]:
    """/setup tags, attached to the settings' /setup group."""

    @app_commands.command(
        name="tags", description="The check-in tags members pick from here (Manage Server)"
    )
    @app_commands.describe(
        action="add, remove or list", tags="Tags separated by commas, e.g. 'slept badly, sang'"
    )
    async def tags(
        interaction: discord.Interaction,
        action: Literal["add", "remove", "list"],
        tags: app_commands.Range[str, 0, 1000] = "",
    ) -> None:
        """/setup tags, answered by `CheckinTagsCog.setup_tags`."""
        await cog.setup_tags(interaction, action, tags)

    return tags


class CheckinTagsCog(commands.Cog):
    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.tags: CheckinTags = bot.checkin_tags
        self.group = TagGroup(self)
        self.setup_command = setup_tags_command(self)
        bot.register_family(ui.TagPickSelect, self.on_pick)

    async def cog_load(self) -> None:
        """Adds /checkin tag to the /checkin group and the tags command to /setup."""
        attach(self.bot, "checkin", self.group, loader=__name__)
        attach(self.bot, "setup", self.setup_command, loader=__name__)

    async def cog_unload(self) -> None:
        """Takes /checkin tag and the /setup tags command out again."""
        detach(self.bot, "checkin", self.group.name)
        detach(self.bot, "setup", self.setup_command.name)

    async def on_pick(self, interaction: discord.Interaction, item: ui.TagPickSelect) -> None:
        """The tag select: the check-in's tags become what the member chose."""
        guild_id, _ = require_guild(interaction)
        saved = await self.tags.tag_picked(
            guild_id, interaction.user.id, item.checkin_id, item.chosen
        )
        locale = reply_language(self.bot.guild_settings, interaction)
        await interaction.response.edit_message(
            content=ui.picked_text(saved, locale), view=None, allowed_mentions=NONE
        )

    async def setup_tags(self, interaction: discord.Interaction, action: str, text: str) -> None:
        """/setup tags: add, remove or list the server's own tags (facilitators)."""
        guild_id, _ = require_guild(interaction)
        require_manage_server(interaction)
        locale = reply_language(self.bot.guild_settings, interaction)
        if action == "list":
            reply = ui.server_list_text(await self.tags.server_list(guild_id), locale)
        elif action == "add":
            added, now = await self.tags.add_server(guild_id, text)
            reply = ui.server_changed_text(action, added, now, locale)
        else:
            removed, now = await self.tags.remove_server(guild_id, text)
            reply = ui.server_changed_text(action, removed, now, locale)
        await reply_ephemeral(interaction, reply)


setup = cog_setup(CheckinTagsCog)
