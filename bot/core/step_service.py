"""What the services of a step kind with its own commands share (listening, lyrics): a
`RunService` that also knows each server's language."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.clock import Clock
from bot.core.run_service import RunService
from bot.core.runner import Runner
from bot.store.store import Store


class StepService(RunService):
    """A `RunService` (the store, the clock, the runner, `now()` and the runs a step's cog looks
    up) given the server's language.

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
        super().__init__(store, clock, runner)
        self._server_language = server_language
