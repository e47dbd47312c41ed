"""/session commands and the board's buttons."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import attendance, controls
from bot.cogs.checkins import session_report
from bot.cogs.extension import cog_setup, server_group
from bot.cogs.options import CLOSED_GROUP, Capacity, SessionTitle, closed_group
from bot.core.activities import localize
from bot.core.errors import NotFound, UserFacingError
from bot.core.session import SessionRecord
from bot.i18n import N_, _
from bot.records.errors import StorageUnavailable
from bot.ui.board import BoardButton, board_embed
from bot.ui.locale import member_language, server_language
from bot.ui.replies import reply_ephemeral, show_private
from bot.ui.sessions import ManageSelect, history_embed, manage_message, summary_embed

log = logging.getLogger("chorus.sessions")
NONE = discord.AllowedMentions.none()
# What a member of a closed session is told by DM when the facilitator lets them in or takes
# them out (`attendance.tell_placed`).
ADMITTED = N_(
    "🎶 The facilitator has let you into **{title}**: you're in now. "
    "Welcome! The session is in {channel}."
)
REMOVED = N_(
    "The facilitator has taken you out of **{title}** for now. If you'd like "
    "to talk about it, please message them."
)


BOARD_CONTROLS: dict[str, Callable[[discord.Interaction, SessionRecord], Awaitable[None]]] = {
    "join": attendance.join,
    "leave": attendance.leave,
    "next": controls.next_step,
    "pause": controls.pause,
    "resume": controls.resume,
    "stop": controls.stop,
}
"""The board's buttons that are the same control as a slash command, by `BoardButton.action`."""


class SessionsCog(commands.Cog):
    """Opening, joining, leaving and ending sessions."""

    session = server_group("session", "Group sessions: open, join, leave, end")

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.register_family(BoardButton, self.on_board_button)
        bot.register_family(ManageSelect, self.on_manage_select)

    def titles(self, guild_id: int | None, locale: str) -> dict[str, str]:
        """Every activity's title in ``locale``, by activity id, for the server `guild_id`."""
        catalog = self.bot.library.catalog_for(guild_id)
        return {a.id: localize(a.title, locale) for a in catalog.activities.values()}

    @session.command(
        name="start", description="Open a session in this channel and post its board (facilitators)"
    )
    @app_commands.describe(
        title="What the group will see, e.g. 'Tuesday circle'",
        voice_channel="A voice channel for listening together (optional)",
        **CLOSED_GROUP,
    )
    async def start(
        self,
        interaction: discord.Interaction,
        title: SessionTitle,
        voice_channel: discord.VoiceChannel | None = None,
        capacity: Capacity | None = None,
        role: discord.Role | None = None,
        invite_only: bool = False,
    ) -> None:
        """/session start: opens a session in this channel with its board; facilitators only
        (UserFacingError when not; the tree's `on_error` answers it privately). Raises Conflict when
        one is already open here, InvalidInput for an empty title or a bad capacity."""
        guild_id, channel_id = controls.facilitator_here(interaction)
        session = await self.bot.sessions.open(
            guild_id=guild_id,
            channel_id=channel_id,
            title=title,
            facilitator_id=interaction.user.id,
            voice_channel_id=voice_channel.id if voice_channel else None,
            limits=closed_group(capacity, role, invite_only),
        )
        await self.bot.sessions.join(session, interaction.user.id, interaction.user.display_name)
        board = await self.bot.live.post_board(session, notify=False)
        if board is None:
            await self.bot.sessions.close(session)
            raise UserFacingError(
                N_(
                    "I couldn't post the session board here, so the session was not opened. "
                    "Please give me the **Send Messages** and **Embed Links** permissions in this "
                    "channel and try again."
                )
            )
        await reply_ephemeral(
            interaction,
            _(
                "Session **{title}** is open. Members join with the board's Join button. "
                "Start an activity with /activity start.",
                member_language(interaction),
                title=session.title,
            ),
        )

    @session.command(name="join", description="Join the session in this channel")
    async def join(self, interaction: discord.Interaction) -> None:
        """/session join: the member joins this channel's session (admitted, waitlisted or asking;
        see `attendance.join`)."""
        await attendance.join(interaction, await controls.session_here(interaction))

    @session.command(name="leave", description="Leave the session in this channel")
    async def leave(self, interaction: discord.Interaction) -> None:
        """/session leave: the member leaves this channel's session (or its waitlist)."""
        await attendance.leave(interaction, await controls.session_here(interaction))

    @session.command(name="status", description="Privately see who is here and what is running")
    async def status(self, interaction: discord.Interaction) -> None:
        """/session status: the session board in the reader's language, privately."""
        session = await controls.session_here(interaction)
        state = await self.bot.live.board_state(session)
        # The board in the reader's language: this copy is private.
        state = dataclasses.replace(state, locale=member_language(interaction))
        await show_private(interaction, embed=board_embed(state))

    @session.command(
        name="end", description="End the session here and post its summary (facilitators)"
    )
    async def end(self, interaction: discord.Interaction) -> None:
        """/session end: stops any running activity and ends this channel's session (facilitators).
        Raises NotFound when no session is open here (UserFacingError in direct messages)."""
        controls.facilitator_only(interaction)
        session = await controls.session_here(interaction)
        run = await self.bot.runner.live_run(session.id)
        if run is not None:
            try:
                update = await self.bot.runner.stop(run.id)
            except NotFound:  # another facilitator ended it a moment ago
                pass
            else:
                await self.bot.live.apply(update)
        # The summary is posted for the group: the server's language.
        language = server_language(self.bot.guild_settings, interaction.guild_id)
        summary = await self.bot.sessions.end(session, language)
        await interaction.response.send_message(
            embed=summary_embed(summary, self.titles(interaction.guild_id, language), language),
            allowed_mentions=NONE,
        )
        await self.bot.live.refresh_board(session.id)

    @session.command(name="history", description="Past sessions in this server (facilitators)")
    @app_commands.describe(limit="How many sessions to show (1-25, default 10)")
    async def history(
        self, interaction: discord.Interaction, limit: app_commands.Range[int, 1, 25] = 10
    ) -> None:
        """/session history: the server's last `limit` (1-25) sessions, privately (facilitators)."""
        guild_id, _ = controls.facilitator_here(interaction)
        rows = await self.bot.sessions.history(guild_id, limit)
        await show_private(
            interaction,
            embed=history_embed(
                rows,
                self.titles(interaction.guild_id, member_language(interaction)),
                member_language(interaction),
            ),
        )

    @session.command(name="report", description="Attendance, participation and mood (facilitators)")
    @app_commands.describe(session="Session number from /session history (default: this one)")
    async def report(self, interaction: discord.Interaction, session: int | None = None) -> None:
        """/session report: a session's attendance, participation and mood shift, privately
        (facilitators; see `checkins.session_report`)."""
        await session_report(interaction, session)

    async def on_board_button(self, interaction: discord.Interaction, item: BoardButton) -> None:
        """A board button: the same control as its slash command (`BOARD_CONTROLS`), or the
        facilitator's Manage and Extend."""
        session = await controls.session_by_id(interaction, item.session_id)
        if item.action == "manage":
            await self.manage(interaction, session)
        elif item.action == "extend":
            await controls.extend(interaction, session, 2)
        elif (control := BOARD_CONTROLS.get(item.action)) is not None:
            await control(interaction, session)

    async def manage(self, interaction: discord.Interaction, session: SessionRecord) -> None:
        """A closed session's line and members, privately, to let someone in or take them out."""
        controls.facilitator_only(interaction)
        present = [a.user_id for a in await self.bot.sessions.present(session)]
        line = [(w.user_id, w.state) for w in await self.bot.sessions.waitlist(session)]
        names = await self.bot.sessions.names(session.guild_id, [*present, *(u for u, _ in line)])
        text, view = manage_message(
            session.id, present, line, names, session.facilitator_id, member_language(interaction)
        )
        if view is None:
            await reply_ephemeral(interaction, text)
            return
        await show_private(interaction, text, view=view)

    async def on_manage_select(self, interaction: discord.Interaction, item: ManageSelect) -> None:
        """The facilitator's Manage select: a member let in or taken out of a closed session.
        Raises InvalidInput when the choice isn't one this version offers (an old select)."""
        controls.facilitator_only(interaction)
        session = await controls.session_by_id(interaction, item.session_id)
        action, user_id = item.choice()
        mine = member_language(interaction)
        if action == "admit":
            if await self.bot.sessions.admit(session, user_id):
                await attendance.tell_placed(self.bot, session, user_id, ADMITTED)
                await reply_ephemeral(
                    interaction,
                    _("{member} is in; I've told them privately.", mine, member=f"<@{user_id}>"),
                )
                await attendance.attendance_changed(self.bot, session)
            else:
                await reply_ephemeral(
                    interaction, _("{member} was already here.", mine, member=f"<@{user_id}>")
                )
            return
        departure = await self.bot.sessions.remove(session, user_id)
        await attendance.tell_placed(self.bot, session, user_id, REMOVED)
        await attendance.tell_moved_up(self.bot, session, departure.moved_up)
        moved = (
            " "
            + _(
                "{member} moved up from the waitlist.",
                mine,
                member=f"<@{departure.moved_up[0]}>",
            )
            if departure.moved_up
            else ""
        )
        out = _(
            "{member} is out of this session and can't rejoin unless you let them in.",
            mine,
            member=f"<@{user_id}>",
        )
        await reply_ephemeral(interaction, out + moved)
        await attendance.attendance_changed(self.bot, session)  # a speaker taken out, too

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        """A member who left the server is out of its open sessions: a place they held goes
        to the next in line, and a round they had the floor in moves on. With the database
        unavailable they stay listed until the session ends (a warning says so); a turn of
        theirs runs out on its timer."""
        user_id = payload.user.id
        try:
            # Only this server's sessions: members leave every server all day long.
            for session in await self.bot.sessions.open_in_guild(payload.guild_id):
                departure = await self.bot.sessions.leave(session, user_id)
                if not (departure.left or departure.left_waitlist):
                    continue
                await attendance.tell_moved_up(self.bot, session, departure.moved_up)
                await attendance.attendance_changed(self.bot, session)
        except StorageUnavailable as exc:
            log.warning(
                "member %d left server %d, but the database is unavailable (%s): they stay "
                "listed in its open sessions until they end; a turn of theirs runs out on its "
                "timer",
                user_id,
                payload.guild_id,
                exc,
            )

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        """A session's channel was deleted: the session ends."""
        session = await self.bot.sessions.find_in_channel(channel.id)
        if session is not None:
            await self.bot.live.channel_gone(session)


setup = cog_setup(SessionsCog)
