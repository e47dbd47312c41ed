"""Check-in figures for facilitators and members: the session summary's mood shift, a
member's own history, /session report and /checkin trends.

No Discord here: the ui turns these into embeds and charts. Every group figure goes through
the K_MIN rule of bot.core.checkins (a figure from fewer than K_MIN people is never shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.core.activities import localize
from bot.core.checkin_figures import Answer, Pair, group_shifts, pairs, shift_lines, too_few_pairs
from bot.core.checkins import K_MIN, to_ten
from bot.core.errors import NotFound
from bot.core.run_service import RunService
from bot.i18n import N_, _
from bot.records.checkins import CheckinRecord
from bot.records.sessions import SessionRecord

DAY = 86400.0
"""Seconds in a day."""


def answer_of(record: CheckinRecord) -> Answer:
    """A stored check-in as the pairing and figure rules (bot.core.checkins) see it."""
    return Answer(
        user_id=record.user_id,
        scale=record.scale,
        phase=record.phase,
        measure=record.measure,
        value=record.value,
        passed=record.passed,
        created_at=record.created_at,
        session_id=record.session_id,
    )


@dataclass(frozen=True, slots=True)
class StepFigure:
    """How many answered one step of a session's run, for /session report."""

    activity: str
    step: str
    kind: str
    answered: int
    expected: int = 0
    """Who was asked: the attendance without the facilitator, unless they answered too (the
    board's and auto-advance's count), never below `answered`."""


@dataclass(frozen=True, slots=True)
class SessionReport:
    """The facilitator's /session report: attendance, per-step counts and the group's
    before/after answers on the 0-10 axis (empty lists below K_MIN), with the mood-shift lines."""

    session: SessionRecord
    attendance: int
    steps: list[StepFigure]
    before: list[float]
    after: list[float]
    shift_lines: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """One week of /checkin trends (week_start: UTC timestamp of its Monday 00:00); the mean
    shift only with at least K_MIN pairs."""

    week_start: float
    sessions: int
    people: int
    pairs: int
    mean_shift: float | None


class CheckinReports(RunService):
    """Reads check-ins into figures (K_MIN applied). Raises bot.core.errors.NotFound when a
    session asked for is not this server's."""

    async def summary_lines(self, session: SessionRecord, locale: str) -> list[tuple[str, str]]:
        """The session summary's mood shift (a SummaryContributor: in ``locale``)."""
        answers = [answer_of(r) for r in await self._store.checkins.for_session(session.id)]
        if not any(a.phase in ("before", "after") for a in answers):
            return []
        found = pairs(answers)
        if not found:
            return [(_("Mood shift", locale), too_few_pairs(locale))]
        return shift_lines(group_shifts(found), locale)

    async def history(
        self, guild_id: int, user_id: int, days: int
    ) -> tuple[list[Answer], list[Pair]]:
        """A member's answers in this server over the last `days` days, oldest first, and
        the before/after pairs among them."""
        since = self.now() - days * DAY
        answers = [
            answer_of(r) for r in await self._store.checkins.for_member(guild_id, user_id, since)
        ]
        return answers, pairs(answers)

    async def session_to_report(
        self, guild_id: int, channel_id: int, session_id: int | None
    ) -> SessionRecord:
        """The session /session report is about: `session_id` if given, else the one open in
        the channel, else the server's latest.

        Raises NotFound when there is none, or it belongs to another server."""
        session: SessionRecord | None
        if session_id is not None:
            session = await self._store.sessions.get(session_id)
        else:
            session = await self._store.sessions.open_in_channel(channel_id)
            if session is None:
                latest = await self._store.checkins.latest_session(guild_id)
                session = await self._store.sessions.get(latest) if latest is not None else None
        if session is None or session.guild_id != guild_id:
            raise NotFound(N_("I can't find that session in this server. See /session history."))
        return session

    async def report(self, session: SessionRecord, locale: str) -> SessionReport:
        """The facilitator's report of a session; texts (titles, mood lines) in ``locale``."""
        attendance = {a.user_id for a in await self._store.sessions.attendance(session.id)}
        runs = {r.id: r for r in await self._store.runs.for_session(session.id)}
        steps: list[StepFigure] = []
        for count in await self._store.checkins.step_counts(session.id):
            run = runs.get(count.run_id)
            if run is None:
                continue
            activity = self._runner.definition(run)
            step = activity.steps[count.step_index]
            authors = {
                c.author_id
                for c in await self._store.contributions.for_step(count.run_id, count.step_index)
            }
            asked = attendance - {session.facilitator_id} | (attendance & authors)
            steps.append(
                StepFigure(
                    activity=localize(activity.title, locale),
                    step=localize(step.title, locale),
                    kind=step.type,
                    answered=count.answered,
                    expected=max(len(asked), count.answered),
                )
            )
        records = await self._store.checkins.for_session(session.id)
        before, after = [], []
        for r in records:
            if r.passed or r.value is None:
                continue
            scaled = to_ten(r.scale, r.value)
            if scaled is None:
                continue
            if r.phase == "before":
                before.append(scaled)
            elif r.phase == "after":
                after.append(scaled)
        return SessionReport(
            session=session,
            attendance=len(attendance),
            steps=steps,
            before=before if len(before) >= K_MIN else [],
            after=after if len(after) >= K_MIN else [],
            shift_lines=await self.summary_lines(session, locale),
        )

    async def trends(self, guild_id: int, weeks: int) -> list[WeekFigures]:
        """Week by week: sessions, distinct people, and the mean shift of before/after pairs."""
        now = datetime.fromtimestamp(self.now(), UTC)
        this_monday = (now - timedelta(days=now.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        first = this_monday - timedelta(weeks=weeks - 1)
        sessions = await self._store.checkins.guild_sessions(guild_id, first.timestamp())
        result: list[WeekFigures] = []
        for index in range(weeks):
            start = first + timedelta(weeks=index)
            end = start + timedelta(weeks=1)
            inside = [s for s in sessions if start.timestamp() <= s[1] < end.timestamp()]
            people: set[int] = set()
            shifts: list[int] = []
            for session_id, *_rest in inside:
                people |= {a.user_id for a in await self._store.sessions.attendance(session_id)}
                records = await self._store.checkins.for_session(session_id)
                shifts += [p.shift for p in pairs(answer_of(r) for r in records)]
            result.append(
                WeekFigures(
                    week_start=start.timestamp(),
                    sessions=len(inside),
                    people=len(people),
                    pairs=len(shifts),
                    mean_shift=round(sum(shifts) / len(shifts), 2)
                    if len(shifts) >= K_MIN
                    else None,
                )
            )
        return result
