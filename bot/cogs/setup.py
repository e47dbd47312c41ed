"""/setup: a server's own Chorus settings, changed from Discord by members with Manage Server."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import controls
from bot.cogs.access import require_guild, require_manage_server
from bot.cogs.extension import cog_setup, server_group
from bot.cogs.options import time_zones
from bot.core.guild_settings import LANGUAGES, SPECS, SUPPORT_TEXT_MAX, parse_support_links
from bot.core.time_zones import zone
from bot.i18n import _
from bot.ui.checkin_care import care_message
from bot.ui.locale import reply_language
from bot.ui.replies import reply_ephemeral, show_private
from bot.ui.setup import change_text, history_embed, settings_embed


class SetupCog(commands.Cog):
    """Facilitator roles, time zone, language, care, retention and the board, per server."""

    setup = server_group("setup", "This server's Chorus settings")

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot

    async def _change(self, interaction: discord.Interaction, key: str, value: Any | None) -> str:
        guild_id, _unused = require_guild(interaction)
        require_manage_server(interaction)
        change = await self.bot.guild_settings.change(guild_id, interaction.user.id, key, value)
        return change_text(change, key, self._language(interaction))

    def _language(self, interaction: discord.Interaction) -> str:
        return reply_language(self.bot.guild_settings, interaction)

    @setup.command(name="show", description="This server's Chorus settings (facilitators)")
    async def show(self, interaction: discord.Interaction) -> None:
        """/setup show: this server's settings and which differ from the defaults, privately
        (facilitators)."""
        guild_id, _unused = controls.facilitator_here(interaction)
        service = self.bot.guild_settings
        await show_private(
            interaction,
            embed=settings_embed(
                service.for_guild(guild_id),
                service.overridden(guild_id),
                service.limits,
                self._language(interaction),
            ),
        )

    @setup.command(name="roles", description="Which roles are facilitators here (Manage Server)")
    @app_commands.describe(
        role="A facilitator role",
        second_role="Another facilitator role (optional)",
        third_role="Another facilitator role (optional)",
    )
    async def roles(
        self,
        interaction: discord.Interaction,
        role: discord.Role,
        second_role: discord.Role | None = None,
        third_role: discord.Role | None = None,
    ) -> None:
        """/setup roles: the facilitator roles set to the one to three given (Manage Server),
        privately confirmed."""
        chosen = [r for r in (role, second_role, third_role) if r is not None]
        ids = sorted({r.id for r in chosen})
        text = await self._change(interaction, "facilitator_roles", ids)
        locale = self._language(interaction)
        await reply_ephemeral(
            interaction,
            _("{text}\nMembers with Manage Server are always facilitators too.", locale, text=text),
        )

    @setup.command(name="timezone", description="The time zone schedules use here (Manage Server)")
    @app_commands.describe(zone_name="An IANA zone such as Europe/Berlin (type to search)")
    @app_commands.rename(zone_name="zone")
    @app_commands.autocomplete(zone_name=time_zones)
    async def timezone(self, interaction: discord.Interaction, zone_name: str) -> None:
        """/setup timezone: the server's IANA zone for schedules (Manage Server), confirmed with the
        local time now. Raises InvalidInput for an unknown zone."""
        require_manage_server(interaction)
        tz = zone(zone_name)
        text = await self._change(interaction, "timezone", tz.key)
        local = self.bot.clock().astimezone(tz)
        locale = self._language(interaction)
        await reply_ephemeral(
            interaction,
            _(
                "🕰 {text} It's {local} there now. New schedules read times in it; sessions "
                "already scheduled keep their time.",
                locale,
                text=text,
                local=f"{local:%H:%M}",
            ),
        )

    @setup.command(
        name="language", description="The language of Chorus's posts here (Manage Server)"
    )
    @app_commands.describe(language="Used for public posts where Chorus has a translation")
    @app_commands.choices(
        language=[
            app_commands.Choice(name=name, value=code)
            for code, name in (("en", "English"), ("de", "Deutsch"), ("es", "Español"))
            if code in LANGUAGES
        ]
    )
    async def language(self, interaction: discord.Interaction, language: str) -> None:
        """/setup language: the server's language for public posts (Manage Server)."""
        await reply_ephemeral(interaction, await self._change(interaction, "language", language))

    @setup.command(
        name="care", description="When a check-in shows the support text (Manage Server)"
    )
    @app_commands.describe(
        low_score="Answers at or below this, on a 0-10 scale, privately show the support text"
    )
    async def care(
        self, interaction: discord.Interaction, low_score: app_commands.Range[int, 0, 10]
    ) -> None:
        """/setup care: the highest 0-10 score that counts as low and offers support (Manage
        Server)."""
        await reply_ephemeral(
            interaction, await self._change(interaction, "low_score_max", low_score)
        )

    @setup.command(
        name="support", description="The support text and links members see (Manage Server)"
    )
    @app_commands.describe(
        text="What a member reads after a low check-in and with /support",
        links="Helplines as 'Label https://address', separated by ';' (up to 3)",
    )
    async def support(
        self,
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, SUPPORT_TEXT_MAX] | None = None,
        links: app_commands.Range[str, 1, 1000] | None = None,
    ) -> None:
        """Change the text, the links, or both; the reply previews what a member will see."""
        guild_id, _unused = require_guild(interaction)
        require_manage_server(interaction)
        parsed = parse_support_links(links) if links is not None else None
        locale = self._language(interaction)
        replies: list[str] = []
        if text is not None:
            replies.append(await self._change(interaction, "support_text", text.strip()))
        if parsed is not None:
            value = [{"label": link.label, "url": link.url} for link in parsed]
            replies.append(await self._change(interaction, "support_links", value))
        if not replies:
            replies.append(
                _("Here is what a member sees now. Give `text` or `links` to change it.", locale)
            )
        embed, view = care_message(self.bot.guild_settings.for_guild(guild_id), None, locale)
        await show_private(
            interaction,
            _(
                "{replies}\n**Preview** (after a low check-in; /support shows the same):",
                locale,
                replies="\n".join(replies),
            ),
            embed=embed,
            view=view,
        )

    @setup.command(
        name="retention",
        description="How long check-ins and leavers' data are kept (Manage Server)",
    )
    @app_commands.describe(
        checkin_days="Delete check-ins older than this many days",
        leave_days="Delete a member's data this many days after they leave the server",
    )
    async def retention(
        self,
        interaction: discord.Interaction,
        checkin_days: app_commands.Range[int, 7, 3650] | None = None,
        leave_days: app_commands.Range[int, 0, 3650] | None = None,
    ) -> None:
        """/setup retention: how many days check-ins and leave records are kept (Manage Server);
        asks for at least one of the two."""
        locale = self._language(interaction)
        if checkin_days is None and leave_days is None:
            await reply_ephemeral(
                interaction,
                _("Give `checkin_days`, `leave_days` or both (see /setup show).", locale),
            )
            return
        replies = []
        if checkin_days is not None:
            replies.append(await self._change(interaction, "retention_days", checkin_days))
        if leave_days is not None:
            replies.append(await self._change(interaction, "leave_grace_days", leave_days))
        await reply_ephemeral(interaction, "\n".join(replies))

    @setup.command(
        name="board", description="How often the session board is edited (Manage Server)"
    )
    @app_commands.describe(seconds="Seconds between edits of the live board")
    async def board(
        self, interaction: discord.Interaction, seconds: app_commands.Range[float, 0, 60]
    ) -> None:
        """/setup board: the seconds (0-60) between the session board's edits (Manage Server)."""
        await reply_ephemeral(
            interaction, await self._change(interaction, "board_edit_interval", seconds)
        )

    @setup.command(name="reset", description="Put one setting back to its default (Manage Server)")
    @app_commands.describe(setting="Which setting")
    @app_commands.choices(
        setting=[app_commands.Choice(name=spec.label, value=key) for key, spec in SPECS.items()]
    )
    async def reset(self, interaction: discord.Interaction, setting: str) -> None:
        """/setup reset: one setting back to the config's default (Manage Server)."""
        await reply_ephemeral(interaction, await self._change(interaction, setting, None))

    @setup.command(name="history", description="Who changed which setting, and when (facilitators)")
    @app_commands.describe(limit="How many changes to show (1-25, default 10)")
    async def history(
        self, interaction: discord.Interaction, limit: app_commands.Range[int, 1, 25] = 10
    ) -> None:
        """/setup history: the last `limit` (1-25) setting changes, who made them and when,
        privately (facilitators)."""
        guild_id, _unused = controls.facilitator_here(interaction)
        changes = await self.bot.guild_settings.history(guild_id, limit)
        await show_private(interaction, embed=history_embed(changes, self._language(interaction)))


setup = cog_setup(SetupCog)
