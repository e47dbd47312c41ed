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

    async def get(self, session_id: int, /) -> SessionRecord | None: ...

    async def present(self, session_id: int, /) -> Sequence[AttendanceRecord]: ...

    async def set_board(self, session_id: int, message_id: int | None, /) -> None: ...

    async def claim_board(self, session_id: int, seen: int | None, now: float, /) -> bool: ...

    async def release_board(self, session_id: int, /) -> None: ...


class RunRows(Protocol):
    async def live_for_session(self, session_id: int, /) -> RunRecord | None: ...

    async def set_step_message(self, run_id: int, message_id: int | None, /) -> None: ...


class ContributionRows(Protocol):
    async def for_step(self, run_id: int, step_index: int, /) -> list[ContributionRecord]: ...


class MemberNames(Protocol):
    async def names(self, guild_id: int, user_ids: list[int], /) -> dict[int, str]: ...


class LiveStore(Protocol):
    """The reads (and two message-id writes) the live messages make (`bot.store.Store`)."""

    @property
    def sessions(self) -> SessionRows: ...

    @property
    def runs(self) -> RunRows: ...

    @property
    def contributions(self) -> ContributionRows: ...

    @property
    def members(self) -> MemberNames: ...


class BoardSettings(Protocol):
    @property
    def board_edit_interval(self) -> float:
        """Seconds between two edits of one board, unless a server chose its own."""
        ...


class LiveHost(Protocol):
    """What `LiveSessions` needs of the bot (`ChorusBot` is one): Discord's client calls, the
    clock (UTC), the runner and services, and the store's reads."""

    @property
    def settings(self) -> BoardSettings: ...

    @property
    def store(self) -> LiveStore: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def runner(self) -> Runner: ...

    @property
    def sessions(self) -> SessionService: ...

    @property
    def guild_settings(self) -> GuildSettingsService: ...

    @property
    def run_timer(self) -> DeadlineTimer: ...

    def get_partial_messageable(
        self, id: int, *, guild_id: int | None = None
    ) -> discord.PartialMessageable: ...

    def get_user(self, id: int, /) -> discord.User | None: ...

    async def fetch_user(self, user_id: int, /) -> discord.User: ...

    def get_channel(self, id: int, /) -> object | None: ...
