"""/mydata and /forget, members leaving, and the daily retention purge."""

from __future__ import annotations

import asyncio
import io
import json
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs.access import require_guild
from bot.cogs.extension import cog_setup
from bot.cogs.mydata_exports import Format, send_export
from bot.core.privacy import Reconciled, check_asker
from bot.i18n import _
from bot.records.errors import StorageUnavailable
from bot.ui.file_names import MY_DATA, attachment_name
from bot.ui.locale import reply_language
from bot.ui.privacy import ForgetButton, export_message, forget_confirmation
from bot.ui.replies import show_private

log = logging.getLogger("chorus.privacy")

DAY = 86400.0
FIRST_PURGE_DELAY = 60.0
PURGE_RETRY = 3600.0
"""After a purge the database refused, the next try (seconds): a lost leave mark waits on it."""


class PrivacyCog(commands.Cog):
    """Members see and delete their own data; old and departed members' data goes by itself."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None
        bot.register_family(ForgetButton, self.on_forget_button)

    async def cog_load(self) -> None:
        """Arms the retention purge (first run `FIRST_PURGE_DELAY` seconds after start)."""
        self._arm(FIRST_PURGE_DELAY)

    async def cog_unload(self) -> None:
        """Cancels the retention purge's timer."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # ----------------------------------------------------------------- /mydata

    @app_commands.command(name="mydata", description="Get everything Chorus holds about you here")
    @app_commands.describe(format="json: everything (default); csv: a table; chart: a summary")
    @app_commands.guild_only()
    async def mydata(self, interaction: discord.Interaction, format: Format = "json") -> None:
        """/mydata: everything Chorus holds about the member in this server, as a private JSON file
        (or, for the other formats, the CSV/chart export)."""
        if format != "json":
            await send_export(self.bot, interaction, format)
            return
        guild_id, _unused = require_guild(interaction)
        locale = reply_language(self.bot.guild_settings, interaction)
        data = await self.bot.privacy.export(guild_id, interaction.user.id)
        # The keys stay English (a file for programs as much as people); the note is worded.
        document = {
            "about": _(
                "Everything Chorus holds about you in this server. Times are unix seconds "
                "(UTC). Delete it all with /forget.",
                locale,
            ),
            "server_id": guild_id,
            "user_id": interaction.user.id,
            "exported_at": self.bot.clock().timestamp(),
            **data,
        }
        body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
        await show_private(
            interaction,
            export_message(data, locale),
            file=discord.File(io.BytesIO(body), filename=attachment_name(MY_DATA, "json", locale)),
        )

    # ----------------------------------------------------------------- /forget

    @app_commands.command(
        name="forget", description="Delete everything Chorus holds about you here"
    )
    @app_commands.guild_only()
    async def forget(self, interaction: discord.Interaction) -> None:
        """/forget: a private confirmation with the button that deletes the member's data in this
        server."""
        require_guild(interaction)
        locale = reply_language(self.bot.guild_settings, interaction)
        embed, view = forget_confirmation(interaction.user.id, locale)
        await show_private(interaction, embed=embed, view=view)

    async def on_forget_button(self, interaction: discord.Interaction, item: ForgetButton) -> None:
        """/forget's Delete my data or Keep it: only the member who asked may press it (raises
        UserFacingError for anyone else)."""
        guild_id, _unused = require_guild(interaction)
        check_asker(item.user_id, interaction.user.id)
        locale = reply_language(self.bot.guild_settings, interaction)
        if item.answer != "yes":
            await interaction.response.edit_message(
                content=_("Nothing was deleted.", locale), embed=None, view=None
            )
            return
        report = await self.bot.privacy.forget(guild_id, interaction.user.id)
        log.info("forgot a member: %d rows", report.total)
        await self._refresh_boards(guild_id)
        await interaction.response.edit_message(
            content=_(
                "🧹 Done. Everything Chorus held about you in this server has been deleted.", locale
            ),
            embed=None,
            view=None,
        )

    async def _refresh_boards(self, guild_id: int) -> None:
        """Open boards here drop the forgotten member's name (their attendance is gone)."""
        for session in await self.bot.sessions.open_in_guild(guild_id):
            self.bot.live.request_board(session.id)

    # --------------------------------------------------------------- leaving

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        """A member left the server: what retention says goes with them is deleted after the
        leave grace. With the database unavailable the mark is made by the next purge instead
        (`reconcile`), and a warning says so."""
        try:
            await self.bot.privacy.member_left(payload.guild_id, payload.user.id)
        except StorageUnavailable as exc:
            log.warning(
                "member %d left server %d, but the database is unavailable (%s): the next purge "
                "(daily, the first a minute after a start) finds them gone from the server and "
                "marks them then",
                payload.user.id,
                payload.guild_id,
                exc,
            )

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        """A member joined the server, maybe again: a leave mark of theirs there goes, so their
        data stays. With the database unavailable the next purge clears it instead (`reconcile`,
        before it deletes anything), and a warning says so."""
        try:
            await self.bot.privacy.member_returned(member.guild.id, member.id)
        except StorageUnavailable as exc:
            log.warning(
                "member %d joined server %d, but the database is unavailable (%s): the next "
                "purge finds them in the server and keeps their data (a leave mark goes then)",
                member.id,
                member.guild.id,
                exc,
            )

    # ---------------------------------------------------------- daily purge

    def _arm(self, delay: float) -> None:
        """Re-arm a plain timer (never an Event wait, which would keep simcord from settling)."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(delay, self._fire)

    def _fire(self) -> None:
        self._timer = None
        self._task = asyncio.get_running_loop().create_task(self._purge_and_rearm())

    async def _purge_and_rearm(self) -> None:
        delay = DAY
        try:
            await self.purge()
        except StorageUnavailable as exc:
            delay = PURGE_RETRY
            log.warning("purge: the database is unavailable (%s); trying again in an hour", exc)
        except Exception:
            log.exception("daily purge failed; will try again tomorrow")
        finally:
            if not self.bot.is_closed():
                self._arm(delay)

    async def purge(self) -> tuple[int, int]:
        """Mark who left or came back unseen (`reconcile`), then delete check-ins past retention
        and members past the leave grace period (in servers whose member list is complete):
        how many of each."""
        await self.reconcile()
        old = await self.bot.privacy.purge_old_checkins()
        # A server whose member list isn't complete yet wasn't reconciled: a return made while
        # no process was watching would go unseen, so its departed members wait a purge too.
        unchecked = {guild.id for guild in self.bot.guilds if not guild.chunked}
        departed = await self.bot.privacy.purge_departed(waiting=unchecked)
        for guild_id in sorted({guild_id for guild_id, _user in departed}):
            await self._refresh_boards(guild_id)
        if old or departed:
            log.info("purge: %d old check-ins, %d departed members", old, len(departed))
        return old, len(departed)

    async def reconcile(self) -> Reconciled:
        """Members who left or came back while the database couldn't be written, or while no
        process was watching: from each server's member list, those gone are marked as gone now
        and those back lose their mark; a server whose list isn't complete yet (still being
        fetched) waits for the next purge. How many of each, in every server together."""
        marked = returned = 0
        for guild in self.bot.guilds:
            if guild.chunked:
                members = [member.id for member in guild.members]
                done = await self.bot.privacy.reconcile_members(guild.id, members)
                marked += done.marked
                returned += done.returned
        if marked:
            log.info("purge: %d members who left unseen are marked as gone", marked)
        if returned:
            log.info("purge: %d members who came back unseen keep their data", returned)
        return Reconciled(marked=marked, returned=returned)


setup = cog_setup(PrivacyCog)
