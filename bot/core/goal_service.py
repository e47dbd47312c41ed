"""Personal goals as a service (no Discord here; the cogs turn results into messages): consent,
adding and closing goals, rating them at a goal step, progress and the session's figures.
Times are UTC timestamps in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.errors import Conflict, NotFound
from bot.core.goals import (
    MAX_ACTIVE,
    SessionRating,
    check_can_add,
    check_rating,
    clean_goal,
    facilitator_line,
    per_session,
    progress_summary,
)
from bot.core.run_service import RunService
from bot.core.run_updates import RunUpdate
from bot.core.steps.goal import CONTRIBUTION_KIND, GoalStep, answer_payload
from bot.i18n import N_, _
from bot.records.goals import GoalRecord
from bot.records.sessions import SessionRecord

# -------------------------------------------------------------------------------- service


class ConsentNeeded(Conflict):
    """The member has not agreed to personal data being stored (the check-in consent). /goal set
    answers it with the consent question; anywhere else it is the refusal it carries (where to
    read the explanation)."""

    def __init__(self) -> None:
        super().__init__(
            N_("Goals are saved only with your agreement. Use /goal set to see the explanation.")
        )


@dataclass(frozen=True, slots=True)
class Rated:
    """What happened when a member rated one goal at a step."""

    goal: GoalRecord
    value: int | None
    replaced: bool
    done: bool
    """Every active goal of theirs has an answer at this step now."""
    update: RunUpdate | None


@dataclass(frozen=True, slots=True)
class GoalProgress:
    goal: GoalRecord
    points: list[SessionRating]

    def summary(self, locale: str | None) -> str:
        """One line about the ratings in ``locale`` (see progress_summary)."""
        return progress_summary([p.value for p in self.points], locale)


class GoalService(RunService):
    """Goals as a service: no Discord here; the cog turns results into messages."""

    # -------------------------------------------------------------- consent

    async def has_consent(self, guild_id: int, user_id: int) -> bool:
        """Whether the member agreed to personal data being stored here (the check-in consent)."""
        return await self._store.privacy.consent(guild_id, user_id) == "agreed"

    async def set_consent(self, guild_id: int, user_id: int, agreed: bool, name: str) -> None:
        """Keep the member's answer to the consent question, with the display name they had. Raises
        StorageUnavailable when the write can't be committed."""
        await self._store.privacy.set_consent(
            guild_id, user_id, "agreed" if agreed else "declined", self.now(), name
        )

    # ---------------------------------------------------------------- goals

    async def active(self, guild_id: int, user_id: int) -> list[GoalRecord]:
        """The member's active goals here, oldest first."""
        return await self._store.goals.active(guild_id, user_id)

    async def all_goals(self, guild_id: int, user_id: int) -> list[GoalRecord]:
        """Every goal of the member here (active, done or dropped), oldest first."""
        return await self._store.goals.for_member(guild_id, user_id)

    async def add(self, guild_id: int, user_id: int, text: str) -> GoalRecord:
        """Save a new active goal (consent first). Raises InvalidInput for an empty or too long
        goal, ConsentNeeded without the member's consent, Conflict for a fourth one or a repeat."""
        cleaned = clean_goal(text)
        if not await self.has_consent(guild_id, user_id):
            raise ConsentNeeded()
        check_can_add([g.text for g in await self.active(guild_id, user_id)], cleaned)
        record = await self._store.goals.add(guild_id, user_id, cleaned, self.now(), MAX_ACTIVE)
        if record is None:  # another click won the race for the last free place
            check_can_add([g.text for g in await self.active(guild_id, user_id)], cleaned)
            raise Conflict(
                N_("You already have {max_active} goals. See /goal list."), max_active=MAX_ACTIVE
            )
        return record

    async def own(self, guild_id: int, user_id: int, goal_id: int) -> GoalRecord:
        """The member's own goal `goal_id` in this server. Raises NotFound when it is someone
        else's, another server's, or doesn't exist."""
        goal = await self._store.goals.get(goal_id)
        if goal is None or goal.guild_id != guild_id or goal.user_id != user_id:
            raise NotFound(N_("I can't find that goal of yours. See /goal list for your goals."))
        return goal

    async def close(self, guild_id: int, user_id: int, goal_id: int, status: str) -> GoalRecord:
        """Mark a goal done or dropped; its ratings stay in the member's progress. Raises NotFound
        when it isn't the member's goal here, Conflict when it is done or dropped already (or
        changed meanwhile)."""
        goal = await self.own(guild_id, user_id, goal_id)
        if goal.status != "active":
            raise Conflict(
                N_("That goal is already done.")
                if goal.status == "done"
                else N_("That goal has already been dropped.")
            )
        if not await self._store.goals.close(goal.id, status, self.now()):
            raise Conflict(N_("That goal has just changed. See /goal list."))
        closed = await self._store.goals.get(goal.id)
        assert closed is not None
        return closed

    # ----------------------------------------------------------------- step

    async def step_of(self, run_id: int, step_index: int) -> tuple[SessionRecord, GoalStep]:
        """The session and the goal step the run is at now. Raises Conflict when the run moved past
        `step_index` (or ended) or the step isn't a goal step, NotFound when the session is
        gone."""
        run = await self._store.runs.get(run_id)
        if run is None or not run.live or run.step_index != step_index:
            raise Conflict(N_("That goal step has ended, so answers can't be changed any more."))
        step = self._runner.step(run)
        if not isinstance(step, GoalStep):
            raise Conflict(N_("That step isn't a goal step."))
        session = await self._store.sessions.get(run.session_id)
        if session is None:
            raise NotFound(N_("That session no longer exists."))
        return session, step

    async def step_ratings(
        self, run_id: int, step_index: int, user_id: int
    ) -> dict[int, int | None]:
        """This member's answers at this step so far: goal id -> value (None: passed)."""
        return {
            r.goal_id: r.value
            for r in await self._store.goals.ratings_at_step(run_id, step_index, user_id)
        }

    async def rate(
        self, run_id: int, step_index: int, user_id: int, goal_id: int, value: int | None
    ) -> Rated:
        """Save one goal's rating (value None: pass on that goal) at a live goal step. Raises
        InvalidInput for a rating outside 1-5, NotFound when the goal isn't the member's (or the
        run has ended), Conflict when the goal is done or dropped (or the step has ended),
        ConsentNeeded without the member's consent."""
        session, _ = await self.step_of(run_id, step_index)
        if value is not None:
            check_rating(value)
        goal = await self.own(session.guild_id, user_id, goal_id)
        if goal.status != "active":
            raise Conflict(
                N_("That goal is done now, so it isn't rated any more.")
                if goal.status == "done"
                else N_("That goal was dropped, so it isn't rated any more.")
            )
        if not await self.has_consent(session.guild_id, user_id):
            raise ConsentNeeded()
        active = {g.id for g in await self.active(session.guild_id, user_id)}
        earlier = await self.step_ratings(run_id, step_index, user_id)
        earlier[goal.id] = value
        done = active <= set(earlier)
        # "rated" only once a real value is given: passing on every goal is a pass.
        answer = "rated" if any(v is not None for v in earlier.values()) else "pass"
        outcome = await self._runner.contribute(
            run_id, step_index, user_id, CONTRIBUTION_KIND, answer_payload(answer, done)
        )
        replaced = await self._store.goals.rate(
            goal_id=goal.id,
            session_id=session.id,
            run_id=run_id,
            step_index=step_index,
            value=value,
            now=self.now(),
        )
        return Rated(goal=goal, value=value, replaced=replaced, done=done, update=outcome.update)

    async def pass_step(self, run_id: int, step_index: int, user_id: int) -> RunUpdate | None:
        """Pass the whole step; ratings already given stay. Raises Conflict when the step has
        ended, NotFound when the run or its session is gone."""
        await self.step_of(run_id, step_index)
        ratings = await self.step_ratings(run_id, step_index, user_id)
        rated = any(v is not None for v in ratings.values())
        payload = answer_payload("rated" if rated else "pass")
        outcome = await self._runner.contribute(
            run_id, step_index, user_id, CONTRIBUTION_KIND, payload
        )
        return outcome.update

    async def set_at_step(
        self, run_id: int, step_index: int, user_id: int, text: str
    ) -> tuple[GoalRecord, RunUpdate | None]:
        """A member without goals sets one from the step: that is their answer to it. Raises
        what `step_of` and `add` raise: Conflict (the step has ended; a fourth goal or a repeat),
        NotFound (the run or its session is gone), InvalidInput (an empty or too long goal),
        ConsentNeeded (no consent)."""
        session, _ = await self.step_of(run_id, step_index)
        had = await self.active(session.guild_id, user_id)
        goal = await self.add(session.guild_id, user_id, text)
        if had:
            return goal, None
        outcome = await self._runner.contribute(
            run_id, step_index, user_id, CONTRIBUTION_KIND, answer_payload("set")
        )
        return goal, outcome.update

    # ------------------------------------------------------------- progress

    async def progress(
        self, guild_id: int, user_id: int, goal_id: int | None = None
    ) -> list[GoalProgress]:
        """Ratings per session for one goal, or for the active goals (else the latest closed).
        Raises NotFound when `goal_id` isn't the member's goal here."""
        if goal_id is not None:
            goals = [await self.own(guild_id, user_id, goal_id)]
        else:
            every = await self.all_goals(guild_id, user_id)
            goals = [g for g in every if g.status == "active"]
            if not goals:
                closed = sorted(every, key=lambda g: g.closed_at or 0, reverse=True)
                goals = sorted(closed[:MAX_ACTIVE], key=lambda g: g.id)
        ratings = await self._store.goals.ratings_for([g.id for g in goals])
        return [
            GoalProgress(goal=g, points=per_session(r for r in ratings if r.goal_id == g.id))
            for g in goals
        ]

    # -------------------------------------------------------------- figures

    async def session_figures(self, session: SessionRecord) -> tuple[int, int] | None:
        """(members with goals, members who rated today) if the session reached a goal step."""
        reached = False
        for run in await self._store.runs.for_session(session.id):
            steps = self._runner.definition(run).steps
            if any(s.type == "goal" and i <= run.step_index for i, s in enumerate(steps)):
                reached = True
                break
        if not reached:
            return None
        return await self._store.goals.session_counts(session.id, session.guild_id)

    async def summary_lines(self, session: SessionRecord, locale: str) -> list[tuple[str, str]]:
        """The session summary's goal line (a SummaryContributor, in ``locale``): counts only,
        k >= 3."""
        figures = await self.session_figures(session)
        if figures is None:
            return []
        return [(_(N_("Personal goals"), locale), facilitator_line(*figures, locale))]
