"""What the live messages (`bot/ui/live.py`) need of the bot, as protocols: Discord's client calls,
the clock, the runner and the core services (the board's reads and writes are
`bot.core.boards.BoardService`'s). `ChorusBot` satisfies `LiveHost`; ui never imports the app
(or the store) to get them."""

from __future__ import annotations

from typing import Protocol

import discord

from bot.core.boards import BoardService
from bot.core.clock import Clock
from bot.core.deadline_timer import DeadlineTimer
from bot.core.guild_settings import GuildSettingsService
from bot.core.runner import Runner
from bot.core.session import SessionService


class BoardSettings(Protocol):
    @property
    def board_edit_interval(self) -> float:
        """Seconds between two edits of one board, unless a server chose its own."""
        ...


class LiveHost(Protocol):
    """What `LiveSessions` needs of the bot (`ChorusBot` is one): Discord's client calls, the
    clock (UTC), the runner and the core services."""

    clock: Clock
    """The bot's clock (UTC `datetime`s; virtual time in tests)."""
    runner: Runner
    """The step machine, for runs' steps and their state."""
    sessions: SessionService
    """The session service (closing a session, its limits and waitlist)."""
    boards: BoardService
    """The board's and step cards' reads and message ids (a board posted once)."""
    guild_settings: GuildSettingsService
    """Each server's settings (language, board interval)."""
    run_timer: DeadlineTimer
    """The run timer, for the time left on a step's deadline."""

    # Read-only (a property) where the bot's own value is a richer type than the one named here.
    @property
    def settings(self) -> BoardSettings:
        """The board's settings (its edit interval in seconds)."""

    def get_partial_messageable(
        self, id: int, *, guild_id: int | None = None
    ) -> discord.PartialMessageable:
        """discord.py's `Client.get_partial_messageable`: a channel to post in by id, without a
        fetch."""

    def get_user(self, id: int, /) -> discord.User | None:
        """discord.py's `Client.get_user`: a cached user, or None."""

    async def fetch_user(self, user_id: int, /) -> discord.User:
        """discord.py's `Client.fetch_user`: a user from Discord (raises discord.NotFound /
        HTTPException)."""

    def get_channel(self, id: int, /) -> object | None:
        """discord.py's `Client.get_channel`: a cached channel, or None."""
