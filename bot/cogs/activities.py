"""/activity commands: browse the catalog and run an activity step by step."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import controls
from bot.cogs.access import is_facilitator
from bot.cogs.extension import cog_setup, server_group
from bot.cogs.options import ActivityId, OwnActivityId
from bot.core.activities import localize
from bot.core.guild_library import Refused
from bot.i18n import _, ngettext
from bot.ui.activities import activity_embed, catalog_embed, reload_text
from bot.ui.library import (
    deleted_text,
    export_file,
    saved_text,
    send_upload_errors,
    versions_embed,
)
from bot.ui.locale import reply_language
from bot.ui.replies import reply_ephemeral, show_private

NONE = discord.AllowedMentions.none()
OWN_ACTIVITY = "One of this server's own activities"
"""What Discord shows under an `OwnActivityId` option (/activity delete and versions)."""


class ActivitiesCog(commands.Cog):
    """The activity catalog and the runner's controls."""

    activity = server_group("activity", "Browse and run activities")

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot

    def _language(self, interaction: discord.Interaction) -> str:
        return reply_language(self.bot.guild_settings, interaction)

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
        """/activity list: one page of the server's catalog (8 activities a page, optionally only
        those with `tag`), in the channel."""
        embed = catalog_embed(
            self.bot.library.catalog_for(interaction.guild_id),
            tag,
            page,
            locale=self._language(interaction),
        )
        await show_private(interaction, embed=embed)

    @activity.command(
        name="info", description="The steps of an activity, and notes for facilitators"
    )
    @app_commands.describe(activity="Which activity")
    async def info(self, interaction: discord.Interaction, activity: ActivityId) -> None:
        """/activity info: an activity's steps, with the facilitator notes for facilitators. Raises
        NotFound for an unknown id."""
        found = self.bot.library.find(interaction.guild_id, activity)
        facilitator = is_facilitator(
            interaction.user, self.bot.guild_settings.for_guild(interaction.guild_id)
        )
        await show_private(
            interaction, embed=activity_embed(found, facilitator, self._language(interaction))
        )

    @activity.command(
        name="start", description="Start an activity in this channel's session (facilitators)"
    )
    @app_commands.describe(activity="Which activity (type to search)")
    async def start(self, interaction: discord.Interaction, activity: ActivityId) -> None:
        """/activity start: runs `activity` in this channel's open session; facilitators only
        (UserFacingError when not; the tree's `on_error` answers it privately). Raises NotFound for
        an unknown activity or no open session here."""
        controls.facilitator_only(interaction)
        session = await controls.session_here(interaction)
        found = self.bot.library.find(interaction.guild_id, activity)
        update = await self.bot.runner.start(session.id, found)
        locale = self._language(interaction)
        await reply_ephemeral(
            interaction,
            ngettext(
                "▶ Starting **{title}** ({count} step). Use the board's Next button "
                "(or /activity next) to move on.",
                "▶ Starting **{title}** ({count} steps). Use the board's Next button "
                "(or /activity next) to move on.",
                len(found.steps),
                locale,
                title=localize(found.title, locale),
            ),
        )
        await self.bot.live.apply(update)

    @activity.command(name="next", description="Move on to the next step (facilitators)")
    async def next_(self, interaction: discord.Interaction) -> None:
        """/activity next: the running activity moves to its next step (facilitators; see
        `controls.next_step`)."""
        await controls.next_step(interaction, await controls.session_here(interaction))

    @activity.command(name="pause", description="Pause the activity and its clock (facilitators)")
    async def pause(self, interaction: discord.Interaction) -> None:
        """/activity pause: the running step's clock stops until /activity resume (facilitators)."""
        await controls.pause(interaction, await controls.session_here(interaction))

    @activity.command(name="resume", description="Carry on after a pause (facilitators)")
    async def resume(self, interaction: discord.Interaction) -> None:
        """/activity resume: a paused step carries on with the time it had left (facilitators)."""
        await controls.resume(interaction, await controls.session_here(interaction))

    @activity.command(name="extend", description="Give the current step more time (facilitators)")
    @app_commands.describe(minutes="Minutes to add (1-60)")
    async def extend(
        self, interaction: discord.Interaction, minutes: app_commands.Range[int, 1, 60]
    ) -> None:
        """/activity extend: the running step's deadline moves `minutes` (1-60) later
        (facilitators)."""
        await controls.extend(interaction, await controls.session_here(interaction), minutes)

    @activity.command(
        name="stop", description="Stop the activity; the session stays open (facilitators)"
    )
    async def stop(self, interaction: discord.Interaction) -> None:
        """/activity stop: the running activity ends; the session stays open (facilitators)."""
        await controls.stop(interaction, await controls.session_here(interaction))

    @activity.command(
        name="reload", description="Reload activity files and report what changed (facilitators)"
    )
    async def reload(self, interaction: discord.Interaction) -> None:
        """/activity reload: the shipped activity files read again on every process, with a private
        report of what changed (facilitators)."""
        controls.facilitator_only(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        # Every process on the database reloads too (the change feed).
        fresh, diff = await self.bot.library.reload_shipped()
        await reply_ephemeral(interaction, reload_text(fresh, diff, self._language(interaction)))

    # ------------------------------------------------------------ this server's library

    @activity.command(
        name="upload", description="Add or update an activity from a YAML file (facilitators)"
    )
    @app_commands.describe(file="The activity file (.yaml); /activity export gives one to start")
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """/activity upload: a .yaml file saved as this server's own activity (a new version when
        the id exists); facilitators only (UserFacingError when not; the tree's `on_error` answers
        it privately). Raises InvalidInput for a file that isn't .yaml, and `GuildLibrary.upload`'s
        refusals (UploadsDisabled, InvalidInput, Conflict); a file that doesn't validate is answered
        with its located errors."""
        guild_id, _unused = controls.facilitator_here(interaction)
        name = file.filename
        self.bot.library.check_file(name, file.size)  # before downloading it
        await interaction.response.defer(ephemeral=True, thinking=True)
        raw = await file.read()
        result = await self.bot.library.upload(guild_id, interaction.user.id, name, raw)
        if isinstance(result, Refused):
            await send_upload_errors(interaction, name, result.errors, self._language(interaction))
            return
        text = saved_text(
            result.activity,
            result.record.version,
            result.shadows_shipped,
            copied=False,
            locale=self._language(interaction),
        )
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)

    @activity.command(name="export", description="Get an activity's YAML file to edit")
    @app_commands.describe(activity="Which activity (yours or a shipped one)")
    async def export(self, interaction: discord.Interaction, activity: ActivityId) -> None:
        """/activity export: an activity's YAML (this server's own version, else the shipped one) as
        a private file (facilitators). Raises NotFound for an unknown id."""
        guild_id, _unused = controls.facilitator_here(interaction)
        exported = await self.bot.library.export(guild_id, activity)
        locale = self._language(interaction)
        where = (
            _("this server's own version", locale)
            if exported.own
            else _("the shipped file", locale)
        )
        await show_private(
            interaction,
            _(
                "📄 `{activity}`: {where}. Edit it and `/activity upload` it again (change its "
                "`id` to keep both).",
                locale,
                activity=activity,
                where=where,
            ),
            file=export_file(exported.file_name, exported.data),
        )

    @activity.command(
        name="copy", description="Start your own activity from an existing one (facilitators)"
    )
    @app_commands.describe(
        activity="The activity to start from", new_id="The copy's id, e.g. my-opening-circle"
    )
    async def copy(
        self,
        interaction: discord.Interaction,
        activity: ActivityId,
        new_id: app_commands.Range[str, 1, 64],
    ) -> None:
        """/activity copy: `activity` saved as this server's own activity under `new_id`
        (facilitators). Raises InvalidInput for a bad or taken id, NotFound for an unknown
        activity."""
        guild_id, _unused = controls.facilitator_here(interaction)
        saved = await self.bot.library.copy(guild_id, interaction.user.id, activity, new_id)
        await reply_ephemeral(
            interaction,
            saved_text(
                saved.activity,
                saved.record.version,
                False,
                copied=True,
                locale=self._language(interaction),
            ),
        )

    @activity.command(
        name="delete", description="Remove one of this server's own activities (facilitators)"
    )
    @app_commands.describe(activity=OWN_ACTIVITY)
    async def delete(self, interaction: discord.Interaction, activity: OwnActivityId) -> None:
        """/activity delete: this server's own version of `activity` removed (a shipped one of that
        id shows again); facilitators only, answered privately."""
        guild_id, _unused = controls.facilitator_here(interaction)
        removed = await self.bot.library.delete(guild_id, activity)
        shipped_back = activity in self.bot.library.shipped.activities
        await reply_ephemeral(
            interaction, deleted_text(activity, removed, shipped_back, self._language(interaction))
        )

    @activity.command(
        name="versions", description="Every uploaded version of an activity here (facilitators)"
    )
    @app_commands.describe(activity=OWN_ACTIVITY)
    async def versions(self, interaction: discord.Interaction, activity: OwnActivityId) -> None:
        """/activity versions: every uploaded version of one of this server's activities, privately
        (facilitators)."""
        guild_id, _unused = controls.facilitator_here(interaction)
        found = await self.bot.library.versions(guild_id, activity)
        await show_private(
            interaction, embed=versions_embed(activity, found, self._language(interaction))
        )


setup = cog_setup(ActivitiesCog)
