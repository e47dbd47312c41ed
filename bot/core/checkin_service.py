"""Check-ins as a service: consent, answering, notes and sharing (the figures read from them:
bot.core.checkin_reports).

No Discord here: the cog turns these results into messages. Every group figure goes through
the K_MIN rule of bot.core.checkins.
"""

from __future__ import annotations

from typing import cast

from bot.core.activities import Scale
from bot.core.checkin_batch import ALONE, ANSWER_KINDS, AnswerBatches, Finish
from bot.core.checkin_reports import CheckinReports
from bot.core.checkin_saved import ConsentNeeded as ConsentNeeded
from bot.core.checkin_saved import Saved as Saved
from bot.core.checkins import (
    DEFAULT_NOTE_MAX,
    check_value,
    is_low,
    low_threshold,
    scale_key,
    scale_of,
    strip_mentions,
)
from bot.core.clock import Clock, timestamp
from bot.core.errors import Conflict, InvalidInput, NotFound, UserFacingError
from bot.core.guild_settings import CareLookup
from bot.core.runner import Runner
from bot.core.steps.checkin import CheckinStep
from bot.core.text import clean_member_text
from bot.i18n import N_
from bot.records.checkins import CheckinRecord
from bot.records.sessions import RunRecord, SessionRecord
from bot.settings import CheckinSettings
from bot.store.checkins import CheckinAnswer, NewCheckin, NoConsent
from bot.store.store import Store

_STEP_ENDED = N_(
    "That check-in has ended, so its answer, note and sharing can't be changed any "
    "more. What you saved stays saved."
)
_NO_PAYLOAD: dict[str, object] = {}
"""A check-in's contribution carries nothing (the value is in the check-in row)."""
_UNKNOWN = -1_000_000
"""Not worked out yet (no threshold is this low)."""

CLOSED_FOR_EXTRAS = N_("This check-in has closed, so sharing and notes are no longer available.")


class CheckinService:
    """Check-ins for the cogs: consent, answers to steps and outside them, notes, sharing
    and the figures built from them (K_MIN applied). Raises bot.core.errors' Conflict,
    NotFound and InvalidInput with catalogue texts, ConsentNeeded when consent is missing."""

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
        self._thresholds: dict[tuple[str, int], int | None] = {}
        self.reports = CheckinReports(store, clock, runner)
        """The figures read from check-ins (summary, history, report, trends)."""
        self._batches = AnswerBatches(
            store, runner, self.now, self._live_checkin_step, self._session_of, self.is_low
        )

    def now(self) -> float:
        """Now as a UTC timestamp in seconds (the injected clock)."""
        return timestamp(self._clock)

    # ------------------------------------------------------------------ consent

    async def has_consent(self, guild_id: int, user_id: int) -> bool:
        """Whether the member agreed to their check-ins being stored in this server."""
        return await self._store.privacy.consent(guild_id, user_id) == "agreed"

    async def consent_state(self, guild_id: int, user_id: int) -> str | None:
        """'agreed', 'declined', or None when never asked."""
        return await self._store.privacy.consent(guild_id, user_id)

    async def set_consent(self, guild_id: int, user_id: int, agreed: bool, name: str) -> None:
        """Record the member's answer to the consent question (now, with their display name)."""
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
        """The session and the check-in step (as shown) of a run that is live at `step_index`.

        Raises Conflict when the step has ended or isn't a check-in, NotFound when the session
        is gone."""
        run = await self._store.runs.get(run_id)
        step = self._live_checkin_step(run, step_index)
        assert run is not None  # _live_checkin_step raised otherwise
        return await self._session_of(run), step

    async def step_after_consent(
        self, run_id: int, step_index: int, agreed: bool
    ) -> tuple[SessionRecord, CheckinStep] | None:
        """The check-in step (see `step_of`) a member just answered the consent question at;
        None when it has ended and they declined (nothing is waiting). Raises Conflict when it
        has ended and they agreed: their choice is kept, the answer isn't saved."""
        try:
            return await self.step_of(run_id, step_index)
        except UserFacingError:
            if not agreed:
                return None
            raise Conflict(
                N_(
                    "Thank you, your choice is saved. That check-in has ended, so the answer "
                    "wasn't saved; your next check-ins will be."
                )
            ) from None

    def _live_checkin_step(self, run: RunRecord | None, step_index: int) -> CheckinStep:
        """The check-in step (as shown) of `run` live at `step_index`; raises Conflict when the
        step has ended or isn't a check-in. Not a coroutine: the answer's hot path calls it."""
        if run is None or not run.live or run.step_index != step_index:
            raise Conflict(_STEP_ENDED)
        step = self._runner.step(run)
        if not isinstance(step, CheckinStep):
            raise Conflict(N_("That step isn't a check-in."))
        return step

    async def _session_of(self, run: RunRecord) -> SessionRecord:
        session = await self._store.sessions.get(run.session_id)
        if session is None:
            raise NotFound(N_("That session no longer exists."))
        return session

    def is_low(self, guild_id: int, scale: Scale, value: int | None) -> bool:
        """A value at the low end of its scale in this server (the care message follows it)."""
        if value is None:
            return False
        low_max = self.low_score_max(guild_id)
        if scale.kind == "custom":
            return is_low(scale, value, low_max)
        # A built-in scale's threshold depends on its kind and the setting only: worked out
        # once per pair (the answer's hot path).
        key = (scale.kind, low_max)
        threshold = self._thresholds.get(key, _UNKNOWN)
        if threshold is _UNKNOWN:
            threshold = self._thresholds[key] = low_threshold(scale, low_max)
        return threshold is not None and value <= threshold

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

        Consent is read inside the same commit as the answer; a member who said No thanks
        before is not asked again and their answer counts as a pass. Returns once committed.
        Raises Conflict when the step has ended (or isn't a check-in), NotFound when the session
        is gone, InvalidInput for a value the scale doesn't offer, ConsentNeeded when the member
        was never asked.

        The hottest path of the bot (everyone checking in at a session's start): the answers
        that arrive in the same turn of the event loop are validated and written together
        (bot/core/checkin_batch.py), each caller getting its own outcome; what the batch
        can't write (a second answer, an anonymous step) is written by itself here.
        """
        outcome = await self._batches.add(run_id, step_index, user_id, value, value2)
        if type(outcome) is Saved:
            return outcome
        if outcome is ALONE:
            return await self._answer_alone(run_id, step_index, user_id, value, value2)
        # The batch's last answer to a step that may be complete: the run moves on here, once.
        saved, answering, step = cast(Finish, outcome)
        saved.update = await self._runner.answered(answering, step, self.now())
        return saved

    async def _answer_alone(
        self,
        run_id: int,
        step_index: int,
        user_id: int,
        value: int | None,
        value2: int | None,
    ) -> Saved:
        """`answer_step` for one answer by itself (one write job of its own)."""
        run = await self._store.runs.get(run_id)
        step = self._live_checkin_step(run, step_index)
        assert run is not None  # _live_checkin_step raised otherwise
        session = await self._session_of(run)
        passed = value is None
        if not passed:
            assert value is not None
            check_value(step.scale, value)
            if step.scale.kind == "sam":
                if value2 is None:
                    raise InvalidInput(N_("Please choose your energy level too."))
                check_value(step.scale, value2, "arousal")
        now = self.now()
        guild_id = session.guild_id
        if not step.anonymous:
            # The usual case, inlined (one coroutine frame fewer per answer): what
            # `_save_answer` does for a named member.
            try:
                outcome = await self._runner.contribute_to(
                    run,
                    user_id,
                    "pass" if passed else "checkin",
                    _NO_PAYLOAD,
                    now=now,
                    replaces=ANSWER_KINDS,
                    also=CheckinAnswer(
                        _row(guild_id, user_id, session.id, run, step, value, value2, now),
                        (guild_id, user_id),
                        passed,
                    ),
                )
            except NoConsent as refusal:
                if not refusal.declined:
                    raise ConsentNeeded() from None
            else:
                return Saved(
                    outcome.also,
                    outcome.replaced,
                    outcome.update,
                    not passed and self.is_low(guild_id, step.scale, value),
                    False,
                    passed,
                )
        else:
            try:
                return await self._save_answer(session, step, run, user_id, value, value2, now)
            except NoConsent as refusal:
                if not refusal.declined:
                    raise ConsentNeeded() from None
        # They said No thanks before: counted as a pass, nothing about their mood stored.
        return await self._save_answer(
            session, step, run, user_id, value, value2, now, declined=True
        )

    async def _save_answer(
        self,
        session: SessionRecord,
        step: CheckinStep,
        run: RunRecord,
        user_id: int,
        value: int | None,
        value2: int | None,
        now: float,
        *,
        declined: bool = False,
    ) -> Saved:
        passed = value is None
        anonymous = step.anonymous
        guild_id = session.guild_id
        new = None
        if not declined:
            member = None if anonymous else user_id
            new = _row(guild_id, member, session.id, run, step, value, value2, now)
        # One commit: consent, the contribution (replacing an earlier answer or pass), the row.
        outcome = await self._runner.contribute_to(
            run,
            user_id,
            "pass" if passed or declined else "checkin",
            _NO_PAYLOAD,
            now=now,
            anonymous=anonymous,
            replaces=ANSWER_KINDS,
            also=CheckinAnswer(new, None if anonymous or declined else (guild_id, user_id), passed),
        )
        return Saved(
            outcome.also,
            outcome.replaced,
            outcome.update,
            not passed and self.is_low(guild_id, step.scale, value),
            anonymous,
            passed,
            declined,
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
        """/checkin now: an answer outside any activity (phase `any`). Raises InvalidInput when a
        value isn't one of the scale's (or a `sam` answer lacks its energy level), ConsentNeeded
        when the member hasn't chosen about consent yet (a declined member's answer is not
        stored: `Saved.declined`)."""
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
        """A member's own check-in, still open for changes. Raises NotFound when it isn't theirs
        (or is gone), Conflict when its check-in step has moved on."""
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

    async def own_with_note(self, checkin_id: int, user_id: int) -> tuple[CheckinRecord, int]:
        """A member's own open check-in (see `own`) and its note limit (characters). Raises
        Conflict when its step takes no note, and what `own` raises."""
        record = await self.own(checkin_id, user_id)
        _scale, limit, allowed = await self.scale_and_note(record)
        if not allowed:
            raise Conflict(N_("This check-in doesn't ask for a note."))
        return record, limit

    async def set_note(self, checkin_id: int, user_id: int, text: str, limit: int) -> str | None:
        """Set (or clear, with empty text) the note on a member's own open check-in: mentions
        stripped, cleaned and cut to `limit` characters; the note as stored (None when cleared).

        Raises NotFound (not theirs or gone), Conflict (its step has ended, or it was a pass)."""
        record = await self.own(checkin_id, user_id)
        if record.passed:
            raise Conflict(N_("You passed on this check-in, so there's nothing to add a note to."))
        note = clean_member_text(strip_mentions(text), limit) or None
        await self._store.checkins.set_note(record.id, note)
        return note

    async def share(self, checkin_id: int, user_id: int) -> CheckinRecord:
        """Mark a member's own open answer as shared with the group; the record as stored.

        Raises NotFound (not theirs or gone), Conflict (its step has ended, nothing to share, or
        shared already)."""
        record = await self.own(checkin_id, user_id)
        if record.shared:
            raise Conflict(N_("You've already shared this answer with the group."))
        if record.passed or record.value is None:
            raise Conflict(N_("There's no answer to share."))
        await self._store.checkins.set_shared(record.id, True)
        found = await self._store.checkins.get(record.id)
        assert found is not None
        return found


def _row(
    guild_id: int,
    user_id: int | None,
    session_id: int,
    run: RunRecord,
    step: CheckinStep,
    value: int | None,
    value2: int | None,
    now: float,
) -> NewCheckin:
    """An answer (`value` None: a pass) to `run`'s check-in step `step` as its row: the step's
    scale, phase and measure; `value2` kept on a two-axis scale only; `now` UTC seconds."""
    return NewCheckin(
        guild_id,
        user_id,
        session_id,
        run.id,
        run.step_index,
        scale_key(step.scale),
        step.phase,
        step.measure,
        value,
        value2 if step.scale.kind == "sam" else None,
        value is None,
        now,
    )
