"""Session lifecycle: open one per channel, join and leave, end with a summary."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field

from bot.core.clock import Clock, timestamp
from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.i18n import N_
from bot.records.session_access import Admission as Admission
from bot.records.session_access import Departure as Departure
from bot.records.session_access import SessionLimits as SessionLimits
from bot.records.session_access import WaitingMember as WaitingMember
from bot.records.sessions import NO_FACILITATOR as NO_FACILITATOR
from bot.records.sessions import AttendanceRecord, NewSession, SessionHistoryRow
from bot.records.sessions import RunRecord as RunRecord
from bot.records.sessions import SessionRecord as SessionRecord
from bot.store.sessions import SessionAlreadyOpen
from bot.store.store import Store

TITLE_MAX = 100
CAPACITY_MAX = 1000

# Contributes extra lines (e.g. the group mood shift) to a session's summary.
SummaryContributor = Callable[[SessionRecord, str], Awaitable[list[tuple[str, str]]]]
"""(field name, value) lines a feature adds to the session summary, worded in the language code
it is given (the summary is public: the server's language)."""


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
    """A single line of at most TITLE_MAX characters (longer is cut, with "…"). Raises
    InvalidInput when the title is blank."""
    flat = " ".join(title.split())
    if not flat:
        raise InvalidInput(N_("Give the session a title, for example `Tuesday circle`."))
    if len(flat) > TITLE_MAX:
        flat = flat[: TITLE_MAX - 1].rstrip() + "…"
    return flat


def check_limits(limits: SessionLimits | None) -> SessionLimits | None:
    """The limits as given, None when they close nothing; raises InvalidInput for a capacity
    outside 1-CAPACITY_MAX."""
    if limits is None or not limits.closed:
        return None
    if limits.capacity is not None and not 1 <= limits.capacity <= CAPACITY_MAX:
        raise InvalidInput(
            N_(
                "A session's capacity is a number of places from 1 to {CAPACITY_MAX}, for example `8`. Leave it out for no cap."
            ),
            CAPACITY_MAX=CAPACITY_MAX,
        )
    return limits


def leads(session: SessionRecord, user_id: int, server_facilitator: bool) -> bool:
    """Whether member `user_id` leads `session`: the facilitator who opened it, or one of the
    server's facilitators (`server_facilitator`: their roles or permissions on Discord say so,
    see `bot.cogs.access.is_facilitator`)."""
    return user_id == session.facilitator_id or server_facilitator


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
        """Let a feature add its own lines to every session summary (see SummaryContributor)."""
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
        limits: SessionLimits | None = None,
    ) -> SessionRecord:
        """Open a session; `limits` close it (a cap, a role, invitation only). Raises Conflict
        when the channel has an open session, InvalidInput for a bad title or capacity."""
        try:
            new = NewSession(
                guild_id=guild_id,
                channel_id=channel_id,
                voice_channel_id=voice_channel_id,
                title=clean_title(title),
                facilitator_id=facilitator_id,
            )
            return await self._store.sessions.create(new, self._now(), check_limits(limits))
        except SessionAlreadyOpen:
            raise Conflict(
                N_(
                    "A session is already open in this channel. End it with /session end, "
                    "or start yours in another channel."
                )
            ) from None

    async def in_channel(self, channel_id: int) -> SessionRecord:
        """The open session in this text channel. Raises NotFound (saying how to open one) when
        there is none."""
        session = await self._store.sessions.open_in_channel(channel_id)
        if session is None:
            raise NotFound(
                N_(
                    "There's no open session in this channel. A facilitator can open one with "
                    "/session start."
                )
            )
        return session

    async def get(self, session_id: int) -> SessionRecord:
        """The session with this id, open or ended. Raises NotFound when it no longer exists."""
        session = await self._store.sessions.get(session_id)
        if session is None:
            raise NotFound(N_("That session no longer exists."))
        return session

    async def open_by_id(self, session_id: int) -> SessionRecord:
        """The open session with this id (a board's button names it). Raises NotFound when it no
        longer exists and Conflict when it has ended."""
        session = await self.get(session_id)
        if session.status != "open":
            raise Conflict(N_("That session has ended."))
        return session

    async def find_in_channel(self, channel_id: int) -> SessionRecord | None:
        """The session open in this channel, if any (no refusal: for events, not members)."""
        return await self._store.sessions.open_in_channel(channel_id)

    async def join(
        self, session: SessionRecord, user_id: int, display_name: str | None = None
    ) -> bool:
        """True when newly joined; False when already present. `display_name`, when given, is
        remembered first (boards and reports show it). Raises Conflict when the session ended.

        No closed-session checks: for the facilitator and a scheduled session's starter. A
        member's Join press is `request_join`.
        """
        if session.status != "open":
            raise Conflict(N_("That session has ended."))
        if display_name is not None:
            await self.remember_name(session.guild_id, user_id, display_name)
        if await self.limits(session) is not None:
            return await self._store.session_access.admit(session.id, user_id, self._now())
        return await self._store.sessions.join(session.id, user_id, self._now())

    async def request_join(
        self,
        session: SessionRecord,
        user_id: int,
        display_name: str | None = None,
        role_ids: Collection[int] = (),
    ) -> Admission:
        """A member's Join press. Open sessions: in (`joined`) or `already`. Closed sessions
        (see SessionLimits): decided and recorded in one store job, so simultaneous presses
        never fill more places than the cap. Raises Conflict when the session ended."""
        if session.status != "open":
            raise Conflict(N_("That session has ended."))
        if display_name is not None:
            await self.remember_name(session.guild_id, user_id, display_name)
        if await self.limits(session) is None:
            joined = await self._store.sessions.join(session.id, user_id, self._now())
            return Admission("joined" if joined else "already")
        return await self._store.session_access.request(session.id, user_id, role_ids, self._now())

    async def limits(self, session: SessionRecord) -> SessionLimits | None:
        """The session's cap, role and invitation rule; None when anyone may join."""
        return await self._store.session_access.limits(session.id)

    async def waitlist(self, session: SessionRecord) -> list[WaitingMember]:
        """Members in line for a place (by place), then those asking to join."""
        return await self._store.session_access.waitlist(session.id)

    async def admit(self, session: SessionRecord, user_id: int) -> bool:
        """The facilitator lets a member in, past cap, role and invitation (their call);
        False when already present. Raises Conflict when the session ended."""
        if session.status != "open":
            raise Conflict(N_("That session has ended."))
        return await self._store.session_access.admit(session.id, user_id, self._now())

    async def remove(self, session: SessionRecord, user_id: int) -> Departure:
        """The facilitator takes a member out (present or in line); they can't rejoin by
        pressing Join until admitted again. Whoever is next in line moves up. Raises Conflict
        when the session has ended."""
        if session.status != "open":
            raise Conflict(N_("That session has ended."))
        return await self._store.session_access.leave(
            session.id, user_id, self._now(), removed=True
        )

    async def remember_name(self, guild_id: int, user_id: int, display_name: str) -> None:
        """Keep the member's display name for boards and reports (it goes with /forget)."""
        await self._store.members.remember_name(guild_id, user_id, display_name)

    async def names(self, guild_id: int, user_ids: list[int]) -> dict[int, str]:
        """Remembered display names by member id (members who used /forget are missing)."""
        return await self._store.members.names(guild_id, user_ids)

    async def check_answering(self, session: SessionRecord, user_id: int, leads: bool) -> bool:
        """May this member answer a step of `session`? True when they are to be joined first (an
        open session: taking part joins you), False when nothing is to be done (a closed session
        they are in, or they lead it: `leads`, the facilitator or one of the server's). Raises
        Conflict, saying how to ask for a place, for anyone else in a closed session: there only
        Join admits (the cap, role and invitation hold; nobody is put in line untold)."""
        if await self.limits(session) is None:
            return True
        if leads or user_id in {a.user_id for a in await self.present(session)}:
            return False
        raise Conflict(
            N_(
                "**{title}** is a closed group and you're not in it yet, so your answer "
                "wasn't saved. To ask for a place, press **Join** on the session board (or "
                "use /session join); the facilitator can let you in."
            ),
            title=session.title,
        )

    async def live_step(self, run_id: int, step_index: int) -> tuple[SessionRecord, RunRecord]:
        """The session and run of a step that is still the live one.

        Raises Conflict when the run ended or moved on from `step_index`, NotFound when its
        session is gone."""
        run = await self._store.runs.get(run_id)
        if run is None or not run.live or run.step_index != step_index:
            raise Conflict(N_("That step has ended."))
        return await self.get(run.session_id), run

    async def leave(self, session: SessionRecord, user_id: int) -> Departure:
        """The member leaves (or leaves the line); in a capped session the freed place goes
        to the next in line in the same job (`moved_up`)."""
        if await self.limits(session) is None:
            return Departure(await self._store.sessions.leave(session.id, user_id, self._now()))
        return await self._store.session_access.leave(session.id, user_id, self._now())

    async def present(self, session: SessionRecord) -> list[AttendanceRecord]:
        """Members in the session now, in the order they (last) joined."""
        return await self._store.sessions.present(session.id)

    async def close(self, session: SessionRecord) -> bool:
        """Close the session without a summary (nobody reads one: a scheduled session that
        never began); False if someone else ended it a moment earlier."""
        return await self._store.sessions.end(session.id, self._now())

    async def end(self, session: SessionRecord, locale: str) -> SessionSummary:
        """Close the session and give its summary, whose feature lines are worded in ``locale``
        (a language code). Raises Conflict when someone else ended it a moment earlier."""
        if not await self.close(session):
            raise Conflict(N_("This session has already been ended."))
        ended = await self.get(session.id)
        return await self.summary(ended, locale)

    async def summary(self, session: SessionRecord, locale: str) -> SessionSummary:
        """The session's summary: how long it ran (seconds, until now while open), who came, the
        activities it ran, and every feature's own lines worded in `locale`."""
        attendance = await self._store.sessions.attendance(session.id)
        runs = await self._store.runs.for_session(session.id)
        extras: list[tuple[str, str]] = []
        for contributor in self._contributors:
            extras.extend(await contributor(session, locale))
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
        """The server's latest sessions, newest first; `limit` is held to 1-25."""
        return await self._store.sessions.history(guild_id, max(1, min(limit, 25)))

    async def open_in_voice(
        self, guild_id: int, voice_channel_ids: Sequence[int]
    ) -> list[SessionRecord]:
        """The server's open sessions meeting in one of these voice channels (Discord ids), by
        id. Raises StorageUnavailable when the store can't be read."""
        return await self._store.sessions.open_in_voice(guild_id, voice_channel_ids)

    async def open_in_guild(self, guild_id: int) -> list[SessionRecord]:
        """The server's open sessions, by id. Raises StorageUnavailable when the store can't be
        read."""
        return await self._store.sessions.open_in_guild(guild_id)

    async def all_open(self) -> list[SessionRecord]:
        """Every open session in every server, by id."""
        return await self._store.sessions.all_open()
