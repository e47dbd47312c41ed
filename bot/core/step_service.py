"""What the services of a step kind with its own commands share (listening, lyrics)."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.clock import Clock
from bot.core.runner import Runner
from bot.records.sessions import RunRecord
from bot.store.store import Store


class StepService:
    """The store, the clock and the runner, and the runs a step's cog looks up.

    ``server_language(guild_id)`` is the language of the server's public posts (bot/i18n/languages.py
    public_language): what the step stores for the group (a song's theme and sections, a
    play's title) is worded in it."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        runner: Runner,
        server_language: Callable[[int], str],
    ) -> None:
        self._store = store
        self._clock = clock
        self._runner = runner
        self._server_language = server_language

    def _now(self) -> float:
        """Now, as UTC seconds."""
        return self._clock().timestamp()

    async def run(self, run_id: int) -> RunRecord | None:
        """The run with this id, live or ended; None when there is none."""
        return await self._store.runs.get(run_id)

    async def live_runs(self) -> list[RunRecord]:
        """Every run not yet ended, in every server."""
        return await self._store.runs.all_live()
