"""Session lifecycle: open one per channel, join and leave, end with a summary."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from bot.core.clock import Clock, timestamp
from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.store.records import NO_FACILITATOR as NO_FACILITATOR
from bot.store.records import AttendanceRecord, SessionHistoryRow
from bot.store.records import RunRecord as RunRecord
from bot.store.records import SessionRecord as SessionRecord
from bot.store.sessions import SessionAlreadyOpen
from bot.store.store import Store

TITLE_MAX = 100

# Contributes extra lines (e.g. the group mood shift) to a session's summary.
SummaryContributor = Callable[[SessionRecord], Awaitable[list[tuple[str, str]]]]


@dataclass(frozen=True, slots=True)
class SessionSummary:
    session: SessionRecord
    duration_seconds: float
    attendance: int
    activities: tuple[str, ...]
    contributions: dict[str, tuple[int, int]]
    """kind -> (contributions, people behind them), counted when the summary is made."""
    extras: list[tuple[str, str]] = field(default_factory=list)


def clean_title(title: str) -> str:
    """A single line of at most TITLE_MAX characters, or a clear refusal."""
    flat = " ".join(title.split())
    if not flat:
        raise InvalidInput("Give the session a title, for example `Tuesday circle`.")
    if len(flat) > TITLE_MAX:
        flat = flat[: TITLE_MAX - 1].rstrip() + "…"
    return flat


class SessionService:
    """Rules for sessions; the cog turns its results into messages."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        summary_contributors: Sequence[SummaryContributor] = (),
    ) -> None:
        self._store = store
        self._clock = clock
        self._contributors = list(summary_contributors)

    def add_summary_contributor(self, contributor: SummaryContributor) -> None:
        self._contributors.append(contributor)

    def _now(self) -> float:
        return timestamp(self._clock)

    async def open(
        self,
        *,
        guild_id: int,
        channel_id: int,
        title: str,
        facilitator_id: int,
        voice_channel_id: int | None = None,
    ) -> SessionRecord:
        try:
            return await self._store.sessions.create(
                guild_id=guild_id,
                channel_id=channel_id,
                voice_channel_id=voice_channel_id,
                title=clean_title(title),
                facilitator_id=facilitator_id,
                now=self._now(),
            )
        except SessionAlreadyOpen:
            raise Conflict(
                "A session is already open in this channel. End it with /session end, "
                "or start yours in another channel."
            ) from None

    async def in_channel(self, channel_id: int) -> SessionRecord:
        session = await self._store.sessions.open_in_channel(channel_id)
        if session is None:
            raise NotFound(
                "There's no open session in this channel. A facilitator can open one with "
                "/session start."
            )
        return session

    async def get(self, session_id: int) -> SessionRecord:
        session = await self._store.sessions.get(session_id)
        if session is None:
            raise NotFound("That session no longer exists.")
        return session

    async def find_in_channel(self, channel_id: int) -> SessionRecord | None:
        """The session open in this channel, if any (no refusal: for events, not members)."""
        return await self._store.sessions.open_in_channel(channel_id)

    async def join(
        self, session: SessionRecord, user_id: int, display_name: str | None = None
    ) -> bool:
        """True when newly joined; False when already present. `display_name`, when given, is
        remembered first (boards and reports show it). Raises Conflict when the session ended.
        """
        if session.status != "open":
            raise Conflict("That session has ended.")
        if display_name is not None:
            await self.remember_name(session.guild_id, user_id, display_name)
        return await self._store.sessions.join(session.id, user_id, self._now())

    async def remember_name(self, guild_id: int, user_id: int, display_name: str) -> None:
        """Keep the member's display name for boards and reports (it goes with /forget)."""
        await self._store.members.remember_name(guild_id, user_id, display_name)

    async def live_step(self, run_id: int, step_index: int) -> tuple[SessionRecord, RunRecord]:
        """The session and run of a step that is still the live one.

        Raises Conflict when the run ended or moved on from `step_index`, NotFound when its
        session is gone."""
        run = await self._store.runs.get(run_id)
        if run is None or not run.live or run.step_index != step_index:
            raise Conflict("That step has ended.")
        return await self.get(run.session_id), run

    async def leave(self, session: SessionRecord, user_id: int) -> bool:
        return await self._store.sessions.leave(session.id, user_id, self._now())

    async def present(self, session: SessionRecord) -> list[AttendanceRecord]:
        return await self._store.sessions.present(session.id)

    async def is_present(self, session: SessionRecord, user_id: int) -> bool:
        return any(a.user_id == user_id for a in await self.present(session))

    async def end(self, session: SessionRecord) -> SessionSummary | None:
        """Close the session; None if someone else ended it a moment earlier."""
        if not await self._store.sessions.end(session.id, self._now()):
            return None
        ended = await self.get(session.id)
        return await self.summary(ended)

    async def summary(self, session: SessionRecord) -> SessionSummary:
        attendance = await self._store.sessions.attendance(session.id)
        runs = await self._store.runs.for_session(session.id)
        extras: list[tuple[str, str]] = []
        for contributor in self._contributors:
            extras.extend(await contributor(session))
        end = session.ended_at if session.ended_at is not None else self._now()
        return SessionSummary(
            session=session,
            duration_seconds=max(0.0, end - session.started_at),
            attendance=len({a.user_id for a in attendance}),
            activities=tuple(r.activity_id for r in runs),
            contributions=await self._store.contributions.counts_by_kind(session.id),
            extras=extras,
        )

    async def history(self, guild_id: int, limit: int) -> list[SessionHistoryRow]:
        return await self._store.sessions.history(guild_id, max(1, min(limit, 25)))

    async def all_open(self) -> list[SessionRecord]:
        return await self._store.sessions.all_open()
