"""A session's board and step cards as the store keeps them: what the live messages read
(`bot/ui/live.py`, `bot/ui/board_state.py`) and the message ids they remember, with the rule that
a board is posted once across processes (claimed on the session's row, released when the post
failed)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bot.core.clock import Clock, timestamp
from bot.records.sessions import ContributionRecord, RunRecord, SessionRecord
from bot.store.store import Store

log = logging.getLogger("chorus.live")


class Posted(Protocol):
    """A posted message, as far as the board's rule needs it (a `discord.Message` is one)."""

    @property
    def id(self) -> int:
        """The message's Discord id."""
        ...


Message = TypeVar("Message", bound=Posted)


@dataclass(frozen=True, slots=True)
class BoardFacts:
    """What the store holds for a session's board now."""

    present: list[int]
    """Members here now (user ids), in the order they (last) joined."""
    names: dict[int, str]
    """Remembered display names of those present and of the facilitator (others left out)."""
    run: RunRecord | None
    """The run live in the session, None between activities."""


@dataclass(frozen=True, slots=True)
class StepAnswers:
    """One step's contributions, in the order first made, and their authors' names."""

    contributions: list[ContributionRecord]
    names: dict[int, str]
    """Remembered display names by author id (anonymous and forgotten authors left out)."""


class BoardService:
    """The reads of the live messages and their two message ids (the board's, a step card's).

    Raises StorageUnavailable (from the store) when the database can't be reached."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def find(self, session_id: int) -> SessionRecord | None:
        """The session `session_id`, open or ended; None when there is no such session."""
        return await self._store.sessions.get(session_id)

    async def live_run(self, session_id: int) -> RunRecord | None:
        """The run that is live in the session, or None."""
        return await self._store.runs.live_for_session(session_id)

    async def facts(self, session: SessionRecord) -> BoardFacts:
        """Who is present, their (and the facilitator's) names, and the live run."""
        present = [a.user_id for a in await self._store.sessions.present(session.id)]
        names = await self._store.members.names(
            session.guild_id, [*present, session.facilitator_id]
        )
        return BoardFacts(present, names, await self.live_run(session.id))

    async def contributions(self, run_id: int, step_index: int) -> list[ContributionRecord]:
        """Every contribution to step `step_index` of run `run_id`, in the order first made."""
        return await self._store.contributions.for_step(run_id, step_index)

    async def answers(self, session: SessionRecord, run_id: int, step_index: int) -> StepAnswers:
        """A step's contributions with their authors' names (a closed step's card, summary)."""
        contributions = await self.contributions(run_id, step_index)
        authors = sorted({c.author_id for c in contributions if c.author_id is not None})
        return StepAnswers(
            contributions, await self._store.members.names(session.guild_id, authors)
        )

    async def post_once(
        self, session: SessionRecord, post: Callable[[], Awaitable[Message | None]]
    ) -> Message | None:
        """Post the session's board with `post` unless another process is posting it: claimed
        on the session's row as a compare-and-set against the board message id `session` holds
        (the one this process saw), at now (UTC seconds). A post that returns None (Discord
        refused it) gives the claim back so a later try may post; a posted board's id is
        remembered. None when not posted (claimed elsewhere, or `post` returned None)."""
        sessions = self._store.sessions
        if not await sessions.claim_board(session.id, session.board_message_id, self._now()):
            log.info("board of session %s is being posted by another process", session.id)
            return None
        message = await post()
        if message is None:
            await sessions.release_board(session.id)
            return None
        await sessions.set_board(session.id, message.id)
        return message

    async def step_posted(self, run_id: int, message_id: int) -> None:
        """Remember the message of the run's current step card (`message_id`, Discord's id)."""
        await self._store.runs.set_step_message(run_id, message_id)

    def _now(self) -> float:
        return timestamp(self._clock)
