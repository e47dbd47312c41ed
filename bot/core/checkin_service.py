"""Check-ins as a service: consent, answering, notes, sharing, and the figures built from them.

No Discord here: the cog turns these results into messages. Every group figure goes through
the K_MIN rule of bot.core.checkins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.core.activities import Scale, localize
from bot.core.checkin_figures import Answer, Pair, group_shifts, pairs, shift_lines, too_few_pairs
from bot.core.checkins import (
    DEFAULT_NOTE_MAX,
    K_MIN,
    check_value,
    is_low,
    scale_key,
    scale_of,
    strip_mentions,
    to_ten,
)
from bot.core.clock import Clock, timestamp
from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.core.guild_settings import CareLookup
from bot.core.runner import Runner, RunUpdate
from bot.core.steps.checkin import CheckinStep
from bot.core.text import clean_member_text
from bot.i18n import N_, _
from bot.records.checkins import CheckinRecord
from bot.records.sessions import SessionRecord
from bot.settings import CheckinSettings
from bot.store.checkins import NewCheckin, NoConsent
from bot.store.store import Store

DAY = 86400.0


ANSWER_KINDS = ("checkin", "pass")
"""A member's one answer to a check-in step: a pass and an answer replace each other."""

CLOSED_FOR_EXTRAS = N_("This check-in has closed, so sharing and notes are no longer available.")


class ConsentNeeded(Exception):
    """The member has not agreed to their check-ins being stored (yet)."""


def answer_of(record: CheckinRecord) -> Answer:
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
class Saved:
    """What happened when a member answered."""

    record: CheckinRecord | None
    """None when nothing about their mood was stored (a pass without consent)."""
    replaced: bool
    update: RunUpdate | None
    low: bool
    anonymous: bool
    passed: bool
    declined: bool = False
    """They chose No thanks earlier: the answer was not saved (and they weren't asked again)."""


@dataclass(frozen=True, slots=True)
class StepFigure:
    activity: str
    step: str
    kind: str
    answered: int
    expected: int = 0
    """Who was asked: the attendance without the facilitator, unless they answered too (the
    board's and auto-advance's count), never below `answered`."""


@dataclass(frozen=True, slots=True)
class SessionReport:
    session: SessionRecord
    attendance: int
    steps: list[StepFigure]
    before: list[float]
    after: list[float]
    shift_lines: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class WeekFigures:
    week_start: float
    sessions: int
    people: int
    pairs: int
    mean_shift: float | None


class CheckinService:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        runner: Runner,
        settings: CheckinSettings,
        care: CareLookup | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._runner = runner
        self.settings = settings
        # Each server's own threshold and support text (/setup), the config's without one.
        self._care: CareLookup = care or (
            lambda _guild: (settings.low_score_max, settings.support_text)
        )

    def now(self) -> float:
        return timestamp(self._clock)

    # ------------------------------------------------------------------ consent

    async def has_consent(self, guild_id: int, user_id: int) -> bool:
        return await self._store.privacy.consent(guild_id, user_id) == "agreed"

    async def consent_state(self, guild_id: int, user_id: int) -> str | None:
        """'agreed', 'declined', or None when never asked."""
        return await self._store.privacy.consent(guild_id, user_id)

    async def set_consent(self, guild_id: int, user_id: int, agreed: bool, name: str) -> None:
        await self._store.privacy.set_consent(
            guild_id, user_id, "agreed" if agreed else "declined", self.now(), name
        )

    def support_text(self, guild_id: int) -> str:
        """The server's support text (its own, or the operator's default)."""
        return self._care(guild_id)[1]

    def low_score_max(self, guild_id: int) -> int:
        """The server's low check-in threshold on a 0-10 scale."""
        return self._care(guild_id)[0]

    # ---------------------------------------------------------------- answering

    async def step_of(self, run_id: int, step_index: int) -> tuple[SessionRecord, CheckinStep]:
        run = await self._store.runs.get(run_id)
        if run is None or not run.live or run.step_index != step_index:
            raise Conflict(
                N_(
                    "That check-in has ended, so its answer, note and sharing can't be changed any "
                    "more. What you saved stays saved."
                )
            )
        step = self._runner.step(run)
        if not isinstance(step, CheckinStep):
            raise Conflict(N_("That step isn't a check-in."))
        session = await self._store.sessions.get(run.session_id)
        if session is None:
            raise NotFound(N_("That session no longer exists."))
        return session, step

    def is_low(self, guild_id: int, scale: Scale, value: int | None) -> bool:
        """A value at the low end of its scale in this server (the care message follows it)."""
        return is_low(scale, value, self.low_score_max(guild_id))

    async def step_scale(self, run_id: int, step_index: int) -> Scale | None:
        """The check-in step's scale, also after the step ended (None if it isn't one)."""
        run = await self._store.runs.get(run_id)
        if run is None:
            return None
        steps = self._runner.definition(run).steps
        step = steps[step_index] if 0 <= step_index < len(steps) else None
        return step.scale if isinstance(step, CheckinStep) else None

    async def answer_step(
        self,
        run_id: int,
        step_index: int,
        user_id: int,
        value: int | None,
        value2: int | None = None,
    ) -> Saved:
        """Save an answer (value) or a pass (value None) to a check-in step.

        Consent is read inside the same commit as the answer (one write job per answer); a
        member who said No thanks before is not asked again and their answer counts as a pass.
        """
        session, step = await self.step_of(run_id, step_index)
        passed = value is None
        if not passed:
            assert value is not None
            check_value(step.scale, value)
            if step.scale.kind == "sam":
                if value2 is None:
                    raise InvalidInput(N_("Please choose your energy level too."))
                check_value(step.scale, value2, "arousal")
        try:
            return await self._save_answer(
                session, step, run_id, step_index, user_id, value, value2
            )
        except NoConsent as refusal:
            if not refusal.declined:
                raise ConsentNeeded() from None
        # They said No thanks before: counted as a pass, nothing about their mood stored.
        return await self._save_answer(
            session, step, run_id, step_index, user_id, value, value2, declined=True
        )

    async def _save_answer(
        self,
        session: SessionRecord,
        step: CheckinStep,
        run_id: int,
        step_index: int,
        user_id: int,
        value: int | None,
        value2: int | None,
        *,
        declined: bool = False,
    ) -> Saved:
        passed = value is None
        kind = "pass" if passed or declined else "checkin"
        new = None
        if not declined:
            new = NewCheckin(
                guild_id=session.guild_id,
                user_id=None if step.anonymous else user_id,
                session_id=session.id,
                run_id=run_id,
                step_index=step_index,
                scale=scale_key(step.scale),
                phase=step.phase,
                measure=step.measure,
                value=value,
                value2=value2 if step.scale.kind == "sam" else None,
                passed=passed,
                created_at=self.now(),
            )
        # One commit: consent, the contribution (replacing an earlier answer or pass), the row.
        outcome = await self._runner.contribute(
            run_id,
            step_index,
            user_id,
            kind,
            {},
            anonymous=step.anonymous,
            replaces=ANSWER_KINDS,
            also=self._store.checkins.answer_job(
                new,
                consent_of=None if step.anonymous or declined else (session.guild_id, user_id),
                passed=passed,
            ),
        )
        record: CheckinRecord | None = outcome.also
        return Saved(
            record=record,
            replaced=outcome.replaced,
            update=outcome.update,
            low=not passed and self.is_low(session.guild_id, step.scale, value),
            anonymous=step.anonymous,
            passed=passed,
            declined=declined,
        )

    async def answer_now(
        self,
        guild_id: int,
        user_id: int,
        scale: Scale,
        value: int | None,
        value2: int | None = None,
        replace_id: int | None = None,
    ) -> Saved:
        """/checkin now: an answer outside any activity (phase `any`)."""
        passed = value is None
        if not passed:
            assert value is not None
            check_value(scale, value)
            if scale.kind == "sam":
                if value2 is None:
                    raise InvalidInput(N_("Please choose your energy level too."))
                check_value(scale, value2, "arousal")
            consent = await self.consent_state(guild_id, user_id)
            if consent != "agreed":
                if consent != "declined":
                    raise ConsentNeeded()
                return Saved(
                    record=None,
                    replaced=False,
                    update=None,
                    low=self.is_low(guild_id, scale, value),
                    anonymous=False,
                    passed=False,
                    declined=True,
                )
        record = None
        if not passed:
            record = await self._store.checkins.save(
                NewCheckin(
                    guild_id=guild_id,
                    user_id=user_id,
                    session_id=None,
                    run_id=None,
                    step_index=None,
                    scale=scale_key(scale),
                    phase="any",
                    measure=None,
                    value=value,
                    value2=value2 if scale.kind == "sam" else None,
                    passed=False,
                    created_at=self.now(),
                ),
                replace_id=replace_id,
            )
        return Saved(
            record=record,
            replaced=record is not None and record.id == replace_id,
            update=None,
            low=not passed and self.is_low(guild_id, scale, value),
            anonymous=False,
            passed=passed,
        )

    async def own(self, checkin_id: int, user_id: int) -> CheckinRecord:
        """A member's own check-in, still open for changes."""
        record = await self._store.checkins.get(checkin_id)
        if record is None or record.user_id != user_id:
            raise NotFound(N_("I can't find that check-in of yours any more."))
        if record.run_id is not None and record.step_index is not None:
            run = await self._store.runs.get(record.run_id)
            if run is None or not run.live or run.step_index != record.step_index:
                raise Conflict(CLOSED_FOR_EXTRAS)
        return record

    async def scale_and_note(self, record: CheckinRecord) -> tuple[Scale, int, bool]:
        """The record's scale, its note limit (characters) and whether its step takes a note
        (/checkin now answers always do).

        Raises Conflict when its check-in step has ended, NotFound when its session is gone."""
        if record.run_id is not None and record.step_index is not None:
            _, step = await self.step_of(record.run_id, record.step_index)
            return step.scale, step.note.max_chars, step.note.mode == "optional"
        return scale_of(record.scale), DEFAULT_NOTE_MAX, True

    async def set_note(self, checkin_id: int, user_id: int, text: str, limit: int) -> str | None:
        record = await self.own(checkin_id, user_id)
        if record.passed:
            raise Conflict(N_("You passed on this check-in, so there's nothing to add a note to."))
        note = clean_member_text(strip_mentions(text), limit) or None
        await self._store.checkins.set_note(record.id, note)
        return note

    async def share(self, checkin_id: int, user_id: int) -> CheckinRecord:
        record = await self.own(checkin_id, user_id)
        if record.passed or record.value is None:
            raise Conflict(N_("There's no answer to share."))
        await self._store.checkins.set_shared(record.id, True)
        found = await self._store.checkins.get(record.id)
        assert found is not None
        return found

    # ------------------------------------------------------------------ figures

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
