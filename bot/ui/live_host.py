"""What the live messages (`bot/ui/live.py`) need of the bot, as protocols: Discord's client calls,
the clock, the runner and services, and the store's reads. `ChorusBot` satisfies `LiveHost`; ui
never imports the app (or the store's repositories) to get them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import discord

from bot.core.clock import Clock
from bot.core.deadline_timer import DeadlineTimer
from bot.core.guild_settings import GuildSettingsService
from bot.core.runner import Runner
from bot.core.session import SessionService
from bot.records.sessions import AttendanceRecord, ContributionRecord, RunRecord, SessionRecord


class SessionRows(Protocol):
    """The store's sessions, as far as the live messages need them."""

    async def get(self, session_id: int, /) -> SessionRecord | None:
        """The session `session_id`, or None when there is no such row."""

    async def present(self, session_id: int, /) -> Sequence[AttendanceRecord]:
        """Members here now, in the order they (last) joined."""

    async def set_board(self, session_id: int, message_id: int | None, /) -> None:
        """Remember the session board's message id (None: the board is gone)."""

    async def claim_board(self, session_id: int, seen: int | None, now: float, /) -> bool:
        """Claim posting the session's board: a compare-and-set against the message id the caller
        `seen`, at `now` (Unix seconds); True for the one caller that wins."""

    async def release_board(self, session_id: int, /) -> None:
        """Give a board claim back (its post failed), so another process may post it."""


class RunRows(Protocol):
    async def live_for_session(self, session_id: int, /) -> RunRecord | None:
        """The run that is live in the session, or None."""

    async def set_step_message(self, run_id: int, message_id: int | None, /) -> None:
        """Remember the run's current step card's message id (None: none posted)."""


class ContributionRows(Protocol):
    async def for_step(self, run_id: int, step_index: int, /) -> list[ContributionRecord]:
        """Every contribution to one step of a run, in the order they were first made."""


class MemberNames(Protocol):
    async def names(self, guild_id: int, user_ids: list[int], /) -> dict[int, str]:
        """Display names by user id for the members of `guild_id` the store knows (others are left
        out)."""


class LiveStore(Protocol):
    """The reads (and two message-id writes) the live messages make (`bot.store.Store`)."""

    @property
    def sessions(self) -> SessionRows:
        """Session rows (read, board message id, board claims)."""

    @property
    def runs(self) -> RunRows:
        """Run rows (the live run, its step card's message id)."""

    @property
    def contributions(self) -> ContributionRows:
        """Contributions to a run's steps."""

    @property
    def members(self) -> MemberNames:
        """Members' display names."""


class BoardSettings(Protocol):
    @property
    def board_edit_interval(self) -> float:
        """Seconds between two edits of one board, unless a server chose its own."""
        ...


class LiveHost(Protocol):
    """What `LiveSessions` needs of the bot (`ChorusBot` is one): Discord's client calls, the
    clock (UTC), the runner and services, and the store's reads."""

    clock: Clock
    """The bot's clock (UTC `datetime`s; virtual time in tests)."""
    runner: Runner
    """The step machine, for runs' steps and their state."""
    sessions: SessionService
    """The session service (attendance, boards)."""
    guild_settings: GuildSettingsService
    """Each server's settings (language, board interval)."""
    run_timer: DeadlineTimer
    """The run timer, for the time left on a step's deadline."""

    # Read-only (a property) where the bot's own value is a richer type than the one named here.
    @property
    def settings(self) -> BoardSettings:
        """The board's settings (its edit interval in seconds)."""

    @property
    def store(self) -> LiveStore:
        """The reads (and message-id writes) the live messages make."""

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
