"""A check-in answer written by itself, in one write job of its own: what the burst
(`checkin_batch.py`) hands back (an anonymous step, a member's second answer, a declined
member's pass) and /checkin now's answers outside any activity. No Discord here."""

from __future__ import annotations

from bot.core.activities import Scale
from bot.core.checkin_batch import ANSWER_KINDS, IsLow
from bot.core.checkin_saved import ConsentNeeded, Saved
from bot.core.checkin_steps import CheckinSteps
from bot.core.checkins import check_answer, scale_key
from bot.core.clock import Clock
from bot.core.runner import Runner
from bot.core.steps.checkin import CheckinStep
from bot.records.sessions import RunRecord, SessionRecord
from bot.store.checkins import CheckinAnswer, NewCheckin, NoConsent
from bot.store.store import Store

_NO_PAYLOAD: dict[str, object] = {}
"""A check-in's contribution carries nothing (the value is in the check-in row)."""


class SingleAnswers(CheckinSteps):
    """Check-in answers written one at a time (see the module docstring), each reading its
    check-in step itself; `CheckinService` hands them here with the server's `is_low` rule.
    Raises what its methods say, with catalogue texts."""

    def __init__(self, store: Store, clock: Clock, runner: Runner, is_low: IsLow) -> None:
        super().__init__(store, clock, runner)
        self._is_low = is_low

    async def step_answer(
        self,
        run_id: int,
        step_index: int,
        user_id: int,
        value: int | None,
        value2: int | None,
    ) -> Saved:
        """`CheckinService.answer_step` for one answer (`value` None: a pass) by itself: consent
        read in the answer's own commit; a member who declined earlier has it counted as a pass.
        Raises Conflict when the step has ended (or isn't a check-in), NotFound when the session
        is gone, InvalidInput for a value the scale doesn't offer, ConsentNeeded when the member
        was never asked."""
        run = await self._store.runs.get(run_id)
        step = self.live_step(run, step_index)
        assert run is not None  # live_step raised otherwise
        session = await self.session_of(run)
        check_answer(step.scale, value, value2)
        now = self.now()
        try:
            return await self._save(session, step, run, user_id, value, value2, now)
        except NoConsent as refusal:
            if not refusal.declined:
                raise ConsentNeeded() from None
        # They said No thanks before: counted as a pass, nothing about their mood stored.
        return await self._save(session, step, run, user_id, value, value2, now, declined=True)

    async def _save(
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
            not passed and self._is_low(guild_id, step.scale, value),
            anonymous,
            passed,
            declined,
        )

    async def now_answer(
        self,
        guild_id: int,
        user_id: int,
        scale: Scale,
        value: int | None,
        value2: int | None,
        replace_id: int | None,
    ) -> Saved:
        """`CheckinService.answer_now`: an answer (`value` None: a pass) outside any activity,
        replacing the member's check-in `replace_id` if given. Raises InvalidInput when a value
        isn't one of the scale's (or a `sam` answer lacks its energy level), ConsentNeeded when
        the member hasn't chosen about consent yet (a declined member's answer is not stored:
        `Saved.declined`)."""
        check_answer(scale, value, value2)
        record = None
        if value is not None:
            consent = await self._store.privacy.consent(guild_id, user_id)
            if consent != "agreed":
                if consent != "declined":
                    raise ConsentNeeded()
                low = self._is_low(guild_id, scale, value)
                return Saved(None, False, None, low, anonymous=False, passed=False, declined=True)
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
            low=value is not None and self._is_low(guild_id, scale, value),
            anonymous=False,
            passed=value is None,
        )


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
