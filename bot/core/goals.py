"""Personal goals: the rules (limits, ratings, progress summaries) and the service (the `goal`
step's model and handler are in `bot/core/steps/goal.py`).

A member chooses up to MAX_ACTIVE goals per server ("feeling less anxious"), and at a goal step
rates privately how today went for each, on a 1-5 scale with words. Goals and ratings are private
to the member: the group and the facilitator only ever see counts, and only at K_MIN or more.

Ratings never travel in contributions: a member's one contribution (kind ``goal``) says only
``answer``: "rated" (with ``done``: every goal of theirs has an answer), "set" (they set a first
goal here) or "pass", so the runner can tell when everyone has answered; the values live in the
``goal_ratings`` table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import mean

from bot.core.checkins import K_MIN, strip_mentions
from bot.core.clock import Clock, timestamp
from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.core.run_updates import RunUpdate
from bot.core.runner import Runner
from bot.core.steps.goal import ANSWERS as ANSWERS
from bot.core.steps.goal import CONTRIBUTION_KIND as CONTRIBUTION_KIND
from bot.core.steps.goal import GoalStep
from bot.core.steps.goal import answer_payload as answer_payload
from bot.core.steps.goal import step_done as step_done
from bot.core.text import clean_member_text
from bot.i18n import N_, _, format_number, ngettext
from bot.records.goals import GoalRecord, RatingRecord
from bot.records.sessions import SessionRecord
from bot.store.store import Store

MAX_ACTIVE = 3
"""Active goals a member may have at once in one server."""
GOAL_MAX = 100
"""Longest goal text, in characters."""

RATINGS: tuple[tuple[int, str], ...] = (
    (1, N_("Hard")),
    (2, N_("Not great")),
    (3, N_("Okay")),
    (4, N_("Good")),
    (5, N_("Very good")),
)
"""The 1-5 answers to "How did today go for: <goal>?", each with words (catalogue msgids)."""
RATING_LABEL = dict(RATINGS)


# ---------------------------------------------------------------------------------- rules


def clean_goal(text: str) -> str:
    """A goal as stored: one line, no invisible tricks, 1 to GOAL_MAX characters."""
    cleaned = clean_member_text(strip_mentions(text), GOAL_MAX * 4, single_line=True)
    if not cleaned:
        raise InvalidInput(N_("Your goal is empty. Write it in a few words, e.g. *sleep better*."))
    if len(cleaned) > GOAL_MAX:
        raise InvalidInput(
            N_(
                "A goal can be at most {goal_max} characters; yours has {cleaned_length}. A few "
                "words are plenty."
            ),
            goal_max=GOAL_MAX,
            cleaned_length=len(cleaned),
        )
    return cleaned


def check_can_add(active: Sequence[str], text: str) -> None:
    """Refuse a fourth active goal, or the same goal twice."""
    if len(active) >= MAX_ACTIVE:
        raise Conflict(
            N_(
                "You already have {max_active} goals, the most at once. Mark one as done (/goal "
                "done) or drop it (/goal drop) to make room."
            ),
            max_active=MAX_ACTIVE,
        )
    if text.casefold() in {a.casefold() for a in active}:
        raise Conflict(N_("You already have that goal. See /goal list."))


def check_rating(value: int) -> int:
    if value not in RATING_LABEL:
        raise InvalidInput(N_("That isn't one of the answers (1 to 5). Please press a button."))
    return value


def describe_rating(value: int | None, locale: str | None) -> str:
    """How a rating is shown back to its member in ``locale`` (None: English): "4 · Good", or
    "passed"."""
    if value is None:
        return _("passed", locale)
    label = RATING_LABEL.get(value)
    return f"{value} · {_(label, locale) if label else '?'}"


# ------------------------------------------------------------------------------- progress


@dataclass(frozen=True, slots=True)
class SessionRating:
    """A goal's rating in one session (the latest, if it was asked twice)."""

    session_id: int | None
    at: float
    value: int


def per_session(ratings: Iterable[RatingRecord]) -> list[SessionRating]:
    """One point per session, oldest first; passes are left out."""
    latest: dict[object, RatingRecord] = {}
    for r in sorted(ratings, key=lambda r: (r.created_at, r.id)):
        if r.value is None:
            continue
        key: object = r.session_id if r.session_id is not None else ("rating", r.id)
        latest[key] = r
    points = [SessionRating(r.session_id, r.created_at, int(r.value or 0)) for r in latest.values()]
    return sorted(points, key=lambda p: p.at)


def trend(values: Sequence[int], locale: str | None) -> str | None:
    """The direction of the last three ratings, in words in ``locale`` (None: English); None for
    fewer than three."""
    if len(values) < 3:
        return None
    a, b, c = values[-3:]
    if a == b == c:
        return _("last three steady", locale)
    if a <= b <= c:
        return _("last three rising", locale)
    if a >= b >= c:
        return _("last three falling", locale)
    return _("last three up and down", locale)


def progress_summary(values: Sequence[int], locale: str | None) -> str:
    """One line about a goal's ratings in ``locale`` (None: English), e.g. "4 sessions, average
    3.5, last three rising"."""
    if not values:
        return _("No ratings yet: you'll be asked at a goal step in a session.", locale)
    count = len(values)
    if count == 1:
        return _("1 session, rated {rating}", locale, rating=describe_rating(values[0], locale))
    parts = [
        ngettext("{count} session", "{count} sessions", count, locale),
        _("average {mean}", locale, mean=format_number(mean(values), locale, decimals=1)),
    ]
    direction = trend(values, locale)
    if direction is not None:
        parts.append(direction)
    elif values[-1] > values[-2]:
        parts.append(_("up from last time", locale))
    elif values[-1] < values[-2]:
        parts.append(_("down from last time", locale))
    else:
        parts.append(_("same as last time", locale))
    return ", ".join(parts)


def facilitator_line(with_goals: int, rated: int, locale: str) -> str:
    """What a facilitator may see: counts only, each hidden below K_MIN (in ``locale``)."""
    if with_goals < K_MIN:
        return _(
            N_(
                "Fewer than {k} members here have personal goals, so no goal figures are shown. "
                "Goals and ratings stay private to each member."
            ),
            locale,
            k=K_MIN,
        )
    return _(
        N_(
            "{with_goals} members here have personal goals; {rated} rated them today. Goals and "
            "ratings stay private to each member."
        ),
        locale,
        with_goals=with_goals,
        rated=_(N_("fewer than {k}"), locale, k=K_MIN) if rated < K_MIN else rated,
    )


# -------------------------------------------------------------------------------- service


class ConsentNeeded(Exception):
    """The member has not agreed to personal data being stored (the check-in consent)."""


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


class GoalService:
    """Goals as a service: no Discord here; the cog turns results into messages."""

    def __init__(self, store: Store, clock: Clock, runner: Runner) -> None:
        self._store = store
        self._clock = clock
        self._runner = runner

    def now(self) -> float:
        return timestamp(self._clock)

    # -------------------------------------------------------------- consent

    async def has_consent(self, guild_id: int, user_id: int) -> bool:
        return await self._store.privacy.consent(guild_id, user_id) == "agreed"

    async def set_consent(self, guild_id: int, user_id: int, agreed: bool, name: str) -> None:
        await self._store.privacy.set_consent(
            guild_id, user_id, "agreed" if agreed else "declined", self.now(), name
        )

    # ---------------------------------------------------------------- goals

    async def active(self, guild_id: int, user_id: int) -> list[GoalRecord]:
        return await self._store.goals.active(guild_id, user_id)

    async def all_goals(self, guild_id: int, user_id: int) -> list[GoalRecord]:
        return await self._store.goals.for_member(guild_id, user_id)

    async def add(self, guild_id: int, user_id: int, text: str) -> GoalRecord:
        """Save a new active goal (consent first); refuses a fourth one or a repeat."""
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
        goal = await self._store.goals.get(goal_id)
        if goal is None or goal.guild_id != guild_id or goal.user_id != user_id:
            raise NotFound(N_("I can't find that goal of yours. See /goal list for your goals."))
        return goal

    async def close(self, guild_id: int, user_id: int, goal_id: int, status: str) -> GoalRecord:
        """Mark a goal done or dropped; its ratings stay in the member's progress."""
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
        """Save one goal's rating (value None: pass on that goal) at a live goal step."""
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
        """Pass the whole step; ratings already given stay."""
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
        """A member without goals sets one from the step: that is their answer to it."""
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
        """Ratings per session for one goal, or for the active goals (else the latest closed)."""
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
