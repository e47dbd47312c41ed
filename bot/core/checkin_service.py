"""Check-ins as a service: consent, answering and the server's care settings; what comes after
an answer (note, sharing, telling the facilitator: `extras`, bot.core.checkin_extras) and the
figures read from them (`reports`, bot.core.checkin_reports) hang off it.

No Discord here: the cog turns these results into messages. Every group figure goes through
the K_MIN rule of bot.core.checkins.
"""

from __future__ import annotations

from typing import cast

from bot.core.activities import Scale
from bot.core.checkin_batch import ALONE, AnswerBatches, Finish
from bot.core.checkin_extras import CheckinExtrasService
from bot.core.checkin_reports import CheckinReports
from bot.core.checkin_saved import ConsentNeeded as ConsentNeeded
from bot.core.checkin_saved import Saved as Saved
from bot.core.checkin_single import SingleAnswers
from bot.core.checkin_steps import CheckinSteps
from bot.core.checkins import is_low, low_threshold
from bot.core.clock import Clock
from bot.core.errors import Conflict, UserFacingError
from bot.core.guild_settings import CareLookup
from bot.core.run_service import RunService
from bot.core.runner import Runner
from bot.core.steps.checkin import CheckinStep
from bot.i18n import N_
from bot.records.sessions import SessionRecord
from bot.settings import CheckinSettings
from bot.store.store import Store

_UNKNOWN = -1_000_000
"""Not worked out yet (no threshold is this low)."""


class CheckinService(RunService):
    """Check-ins for the cogs: consent, answers to steps and outside them; notes, sharing and
    telling the facilitator (`extras`); the figures built from them (`reports`, K_MIN
    applied). Raises bot.core.errors' Conflict, NotFound and InvalidInput with catalogue texts,
    ConsentNeeded when consent is missing."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        runner: Runner,
        settings: CheckinSettings,
        care: CareLookup | None = None,
    ) -> None:
        super().__init__(store, clock, runner)
        self.settings = settings
        # Each server's own threshold and support text (/setup), the config's without one.
        self._care: CareLookup = care or (
            lambda _guild: (settings.low_score_max, settings.support_text)
        )
        self._thresholds: dict[tuple[str, int], int | None] = {}
        self._steps = steps = CheckinSteps(store, clock, runner)
        self.reports = CheckinReports(store, clock, runner)
        """The figures read from check-ins (summary, history, report, trends)."""
        self.extras = CheckinExtrasService(store, clock, runner, steps)
        """A member's own check-in after answering: its note, sharing it, telling the
        facilitator."""
        self._single = SingleAnswers(store, clock, runner, self.is_low)
        self._batches = AnswerBatches(
            store, runner, self.now, steps.live_step, steps.session_of, self.is_low
        )

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

    # ---------------------------------------------------------------- answering

    async def step_of(self, run_id: int, step_index: int) -> tuple[SessionRecord, CheckinStep]:
        """The session and the check-in step (as shown) of a run that is live at `step_index`.

        Raises Conflict when the step has ended or isn't a check-in, NotFound when the session
        is gone."""
        return await self._steps.step_of(run_id, step_index)

    async def step_scale(self, run_id: int, step_index: int) -> Scale | None:
        """The check-in step's scale, also after the step ended (None if it isn't one)."""
        return await self._steps.step_scale(run_id, step_index)

    async def step_after_consent(
        self, run_id: int, step_index: int, agreed: bool
    ) -> tuple[SessionRecord, CheckinStep] | None:
        """The check-in step (see `step_of`) a member just answered the consent question at;
        None when it has ended and they declined (nothing is waiting). Raises Conflict when it
        has ended and they agreed: their choice is kept, the answer isn't saved."""
        try:
            return await self._steps.step_of(run_id, step_index)
        except UserFacingError:
            if not agreed:
                return None
            raise Conflict(
                N_(
                    "Thank you, your choice is saved. That check-in has ended, so the answer "
                    "wasn't saved; your next check-ins will be."
                )
            ) from None

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
        can't write (a second answer, an anonymous step) is written by itself
        (bot/core/checkin_single.py).
        """
        outcome = await self._batches.add(run_id, step_index, user_id, value, value2)
        if type(outcome) is Saved:
            return outcome
        if outcome is ALONE:
            return await self._single.step_answer(run_id, step_index, user_id, value, value2)
        # The batch's last answer to a step that may be complete: the run moves on here, once.
        saved, answering, step = cast(Finish, outcome)
        saved.update = await self._runner.answered(answering, step, self.now())
        return saved

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
        return await self._single.now_answer(guild_id, user_id, scale, value, value2, replace_id)
