"""/activity commands: browse the catalog and run an activity step by step."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import ChorusBot
from bot.cogs import controls
from bot.cogs.access import is_facilitator
from bot.cogs.errors import reply_ephemeral
from bot.core.activities import Catalog
from bot.core.errors import NotFound
from bot.ui import limits
from bot.ui.activities import activity_embed, catalog_embed, reload_text

NONE = discord.AllowedMentions.none()


class ActivitiesCog(commands.Cog):
    """The activity catalog and the runner's controls."""

    activity = app_commands.Group(
        name="activity", description="Browse and run activities", guild_only=True
    )

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot

    async def activity_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Autocomplete over ids and titles, best matches first."""
        from bot.core.activities import localize

        needle = current.casefold().strip()
        matches = []
        for activity in self.bot.catalog.activities.values():
            title = localize(activity.title)
            haystack = f"{activity.id} {title}".casefold()
            if needle in haystack:
                rank = (
                    0
                    if activity.id.startswith(needle) or title.casefold().startswith(needle)
                    else 1
                )
                label = f"{title} ({activity.duration_minutes} min)"
                matches.append(
                    (
                        rank,
                        title,
                        app_commands.Choice(name=limits.choice_name(label), value=activity.id),
                    )
                )
        matches.sort(key=lambda m: (m[0], m[1]))
        return [m[2] for m in matches[:25]]

    def _get(self, activity_id: str) -> object:
        activity = self.bot.catalog.get(activity_id)
        if activity is None:
            raise NotFound(
                f"There's no activity called `{activity_id[:60]}`. /activity list shows them all."
            )
        return activity

    @activity.command(name="list", description="The activities you can run, with their length")
    @app_commands.describe(
        tag="Only show activities with this tag, e.g. listening",
        page="Which page of the list (8 activities a page)",
    )
    async def list_(
        self,
        interaction: discord.Interaction,
        tag: str | None = None,
        page: app_commands.Range[int, 1, 50] = 1,
    ) -> None:
        embed = catalog_embed(self.bot.catalog, tag, page)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NONE)

    @activity.command(
        name="info", description="The steps of an activity, and notes for facilitators"
    )
    @app_commands.describe(activity="Which activity")
    @app_commands.autocomplete(activity=activity_ids)
    async def info(self, interaction: discord.Interaction, activity: str) -> None:
        found = self.bot.catalog.get(activity)
        if found is None:
            self._get(activity)
            return
        facilitator = is_facilitator(interaction.user, self.bot.settings.facilitator_roles)
        await interaction.response.send_message(
            embed=activity_embed(found, facilitator), ephemeral=True, allowed_mentions=NONE
        )

    @activity.command(
        name="start", description="Start an activity in this channel's session (facilitators)"
    )
    @app_commands.describe(activity="Which activity (type to search)")
    @app_commands.autocomplete(activity=activity_ids)
    async def start(self, interaction: discord.Interaction, activity: str) -> None:
        controls.facilitator_only(interaction)
        session = await controls.session_here(interaction)
        found = self.bot.catalog.get(activity)
        if found is None:
            self._get(activity)
            return
        update = await self.bot.runner.start(session.id, found)
        from bot.core.activities import localize

        await reply_ephemeral(
            interaction,
            f"▶ Starting **{localize(found.title)}** ({len(found.steps)} steps). "
            "Use the board's Next button (or /activity next) to move on.",
        )
        await self.bot.live.apply(update)

    @activity.command(name="next", description="Move on to the next step (facilitators)")
    async def next_(self, interaction: discord.Interaction) -> None:
        await controls.next_step(interaction, await controls.session_here(interaction))

    @activity.command(name="pause", description="Pause the activity and its clock (facilitators)")
    async def pause(self, interaction: discord.Interaction) -> None:
        await controls.pause(interaction, await controls.session_here(interaction))

    @activity.command(name="resume", description="Carry on after a pause (facilitators)")
    async def resume(self, interaction: discord.Interaction) -> None:
        await controls.resume(interaction, await controls.session_here(interaction))

    @activity.command(name="extend", description="Give the current step more time (facilitators)")
    @app_commands.describe(minutes="Minutes to add (1-60)")
    async def extend(
        self, interaction: discord.Interaction, minutes: app_commands.Range[int, 1, 60]
    ) -> None:
        await controls.extend(interaction, await controls.session_here(interaction), minutes)

    @activity.command(
        name="stop", description="Stop the activity; the session stays open (facilitators)"
    )
    async def stop(self, interaction: discord.Interaction) -> None:
        await controls.stop(interaction, await controls.session_here(interaction))

    @activity.command(
        name="reload", description="Reload activity files and report what changed (facilitators)"
    )
    async def reload(self, interaction: discord.Interaction) -> None:
        controls.facilitator_only(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        # Off the event loop: a large broken file can take seconds to word (see yaml_marks).
        fresh = await asyncio.to_thread(
            Catalog.load, list(self.bot.settings.activities_dirs), self.bot.settings.media_dir
        )
        diff = self.bot.catalog.diff(fresh)
        self.bot.catalog = fresh
        await reply_ephemeral(interaction, reload_text(fresh, diff))


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, ChorusBot)
    await bot.add_cog(ActivitiesCog(bot))
