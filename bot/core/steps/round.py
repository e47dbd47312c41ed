"""The `round` step: the go-around. Each member in turn has the floor for a set time, speaks (or
answers in a form) and presses Done, or passes; time moves it on too.

The handler state (stored with the run, so a restart resumes the turn with the time left):

- ``order``: member ids in speaking order (late joiners are appended when the floor moves);
- ``turns``: one ``{"user": id, "outcome": spoke|pass|answer|skipped|time|left|gone}`` per
  finished turn (skipped: the facilitator pressed Done for a speaker of a text-only session who
  hadn't answered; left: before their turn; gone: left the session, the server or the voice
  channel while they had the floor);
- ``speaker``: who has the floor now (None before a volunteer starts, and once all have spoken);
- ``turn_no``: counts turns, so a form opened in an earlier turn is refused;
- ``turn_deadline``: when the speaker's time ends (UTC timestamp, seconds);
- ``volunteer``: True while a ``volunteer_first`` round waits for someone to start;
- ``finished``: True once everyone in the order has had (or missed) their turn;
- ``away``: members who left the session's voice channel before their turn (and haven't come
  back): skipped when their turn comes, like members who left the session;
- ``floor_left``: ``{"user": id, "turn_no": n, "at": t, "where": "session"|"voice"}`` right after the
  speaker of turn n left and the floor moved on (the cog says so once in the channel, and marks
  it ``"told": true`` first through `Runner.claim_note`); dropped at the next change of the floor.

The handler works on the mapping; everyone else reads these keys typed, as `RoundState`
(`bot/core/round_state.py`; ``StepState.of(run).kind(RoundState)``, `bot/core/step_state.py`).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import Field

from bot.core.activity_fields import StepBase, TurnSeconds
from bot.core.errors import Conflict, InvalidInput
from bot.core.field_texts import Text
from bot.core.round_state import FLOOR_LEFT, RESUME_WHOLE, RoundState, had_turn, skipped, upcoming
from bot.core.step_state import StepState, as_count, as_member, as_members
from bot.core.step_turns import TurnTaking, turn_starts
from bot.core.steps.base import PASSES, StepContext, StepKind, SummaryCount, Wake
from bot.core.text import clean_member_text
from bot.i18n import N_
from bot.records.sessions import ContributionRecord

Order = Literal["joined", "shuffled", "volunteer_first"]
Outcome = Literal["spoke", "pass", "answer", "skipped", "time", "left", "gone"]

LEFT_VOICE = "left_voice"
"""Contribution kind: a member left the session's voice channel (told by the round cog, never
pressed; bookkeeping, not counted as an answer): the speaker gives up the floor, a member still
to speak is skipped at their turn unless they come back (`BACK_VOICE`)."""
BACK_VOICE = "back_voice"
"""Contribution kind: a member who left the voice channel before their turn came back."""


class RoundStep(StepBase):
    """The go-around: members take the floor one at a time."""

    type: Literal["round"]
    question: Text
    """What each member speaks to when they have the floor."""
    turn_seconds: TurnSeconds = 60
    """How long each member has the floor: seconds, or e.g. "45s", "1m", "1m30s"."""
    order: Order = "joined"
    """joined: in the order members joined; shuffled: a random order drawn when the round
    starts; volunteer_first: whoever presses "I'll start" goes first, then join order."""
    pass_allowed: bool = True
    """Members may pass their turn (always offered in therapy-style groups)."""
    share: Literal["group", "private"] = "group"
    """Text-only sessions: group posts each written answer in the channel with the writer's
    name; private keeps it with the session record only."""
    max_chars: int = Field(default=500, ge=10, le=1500)
    """The longest written answer (text-only sessions)."""


def _ids(values: Any) -> list[int]:
    # /forget scrubs ids out of stored state; whatever isn't an id any more is nobody.
    return list(as_members(values))


class RoundHandler(TurnTaking[RoundStep]):
    """Who has the floor, who may move it on, and what time does when it runs out (a member may
    speak, pass or answer more than once in a round)."""

    # ---------------------------------------------------------------- turns

    def _start(self, state: dict[str, Any], step: RoundStep, speaker: int, now: float) -> Wake:
        state["speaker"] = speaker
        return turn_starts(state, step.turn_seconds, now)

    def _next(self, state: dict[str, Any], ctx: StepContext[RoundStep]) -> Wake:
        """The floor moves on: late joiners go to the end, members who left are skipped."""
        step = ctx.step
        order = _ids(state.get("order"))
        order += [uid for uid in ctx.expected if uid not in order]
        state["order"] = order
        state["speaker"] = None
        state["turn_deadline"] = None
        present = set(ctx.expected) - set(_ids(state.get("away")))
        turns = list(state.get("turns") or [])
        done = had_turn(state)
        for uid in order:
            if uid in done:
                continue
            if uid in present:
                state["turns"] = turns
                return self._start(state, step, uid, ctx.now)
            turns.append({"user": uid, "outcome": "left"})
        state["turns"] = turns
        if not order:
            # Nobody to call yet: look again after one turn's time (joining wakes no handler).
            return Wake(at=ctx.now + step.turn_seconds, state=state)
        state["finished"] = True
        return Wake(at=None, state=state)

    def _close_turn(self, state: dict[str, Any], outcome: Outcome) -> None:
        speaker = state.get("speaker")
        turns = list(state.get("turns") or [])
        if isinstance(speaker, int):
            turns.append({"user": speaker, "outcome": outcome})
        state["turns"] = turns

    def enter(self, ctx: StepContext[RoundStep]) -> Wake:
        """The round's order (join order, shuffled once with a seed from the session and the
        moment, or volunteer first: nobody holds the floor until someone starts, or one turn's
        time has passed), then the first turn."""
        step = ctx.step
        order = list(ctx.expected)
        if step.order == "shuffled":
            # Drawn once, when the round starts, and kept in the state; seeded by the session
            # and the moment so the handler stays pure (a replay draws the same order).
            random.Random(f"{ctx.run.session_id}:{ctx.now}").shuffle(order)
        state: dict[str, Any] = {
            "order": order,
            "turns": [],
            "speaker": None,
            "turn_no": 0,
            "turn_deadline": None,
            "volunteer": False,
            "finished": False,
        }
        if step.order == "volunteer_first":
            # Nobody has the floor until someone starts; after one turn's time, join order.
            state["volunteer"] = True
            state["turn_deadline"] = ctx.now + step.turn_seconds
            return Wake(at=state["turn_deadline"], state=state)
        return self._next(state, ctx)

    def on_wake(self, ctx: StepContext[RoundStep]) -> Wake:
        """The speaker's time is up (or nobody volunteered): the floor moves on."""
        state = dict(ctx.state)
        state.pop(FLOOR_LEFT, None)
        if state.get("finished"):
            return Wake(at=None, state=state)
        if state.get("volunteer"):
            state["volunteer"] = False
        elif state.get("speaker") is not None:
            self._close_turn(state, "time")
        return self._next(state, ctx)

    def attendance_changed(self, ctx: StepContext[RoundStep]) -> Wake | None:
        """A late joiner goes to the end of the order now (so the card shows them at once);
        when nobody had the floor for want of members, the first to join gets it; when the
        speaker has left the session (or the server), the floor moves on at once."""
        state = dict(ctx.state)
        if state.get("finished"):
            return None
        state.pop(FLOOR_LEFT, None)
        order = _ids(state.get("order"))
        joined = [uid for uid in ctx.expected if uid not in order]
        speaker = state.get("speaker")
        gone = isinstance(speaker, int) and speaker not in ctx.expected
        if not joined and not gone:
            return None
        state["order"] = order + joined
        if gone:
            return self._speaker_left(state, ctx, "session")
        if speaker is None and not state.get("volunteer"):
            return self._next(state, ctx)
        return Wake(at=StepState(ctx.state).wake_at, state=state)

    def _speaker_left(self, state: dict[str, Any], ctx: StepContext[RoundStep], where: str) -> Wake:
        """The speaker left while they had the floor: their turn ends as `gone` and the floor
        moves on; `FLOOR_LEFT` lets the cog say so in the channel."""
        left = {
            "user": state.get("speaker"),
            "turn_no": int(state.get("turn_no", 0)),
            "at": ctx.now,
        }
        self._close_turn(state, "gone")
        wake = self._whole_at_resume(self._next(state, ctx), ctx)
        return Wake(at=wake.at, state={**wake.state, FLOOR_LEFT: {**left, "where": where}})

    # ---------------------------------------------------------------- answers

    def accept(
        self, ctx: StepContext[RoundStep], contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Kinds: spoke (Done), pass, answer (the form) and volunteer ("I'll start");
        `payload["by"]` is who pressed; `payload["heard"]` is True when the session meets in
        voice (the speaker was heard there). The facilitator's Done on someone else's turn in a
        text-only session is stored with `skipped: True` (they didn't answer: absent, silent).
        Refuses with Conflict/InvalidInput saying why."""
        step = ctx.step
        state = ctx.state
        by = payload.get("by")
        if not isinstance(by, int):
            raise InvalidInput(N_("I couldn't tell who pressed that."))
        if state.get("finished"):
            raise Conflict(N_("Everyone has had their turn: the round is complete."))
        if contribution_kind in (LEFT_VOICE, BACK_VOICE):
            return self._voice_moved(state, contribution_kind, by, payload)
        if contribution_kind == "volunteer":
            if not state.get("volunteer"):
                raise Conflict(N_("The round has already started; wait for your turn."))
            if by not in ctx.expected:
                raise Conflict(N_("Only members taking part can start the round."))
            return {"by": by}
        speaker = state.get("speaker")
        if speaker is None:
            raise Conflict(N_("Nobody has the floor yet: someone can press **I'll start**."))
        if contribution_kind in ("spoke", "pass"):
            if by != speaker and by != ctx.facilitator_id:
                raise Conflict(
                    N_(
                        "It isn't your turn: only the member speaking now, or the facilitator, "
                        "can move the round on. Your turn comes; passing is fine when it does."
                    )
                )
            if contribution_kind == "pass" and not step.pass_allowed and by == speaker:
                raise Conflict(N_("This round asks everyone for a few words; say what you can."))
            moved: dict[str, Any] = {
                "by": by,
                "speaker": speaker,
                "turn_no": int(state.get("turn_no", 0)),
            }
            if contribution_kind == "spoke" and by != speaker and not payload.get("heard"):
                moved["skipped"] = True
            return moved
        if contribution_kind == "answer":
            turn_no = payload.get("turn_no")
            if isinstance(turn_no, int) and turn_no != state.get("turn_no"):
                raise Conflict(
                    N_("Your turn ended before your answer arrived, so it wasn't posted.")
                )
            if by != speaker:
                raise Conflict(N_("Only the member who has the floor can answer now."))
            text = clean_member_text(str(payload.get("text", "")), step.max_chars)
            if not text:
                raise InvalidInput(N_("Your answer was empty. Write a few words, or press Pass."))
            return {"by": by, "speaker": speaker, "turn_no": state.get("turn_no"), "text": text}
        raise InvalidInput(N_("Use the round's buttons: Done, Pass or Answer."))

    def _voice_moved(
        self, state: Mapping[str, Any], kind: str, by: int, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Told by the round cog, never pressed: Conflict when it changes nothing."""
        away = _ids(state.get("away"))
        speaker = state.get("speaker")
        if kind == BACK_VOICE:
            if by not in away:
                raise Conflict(N_("That turn has already ended."))
            return {"by": by}
        if by == speaker and payload.get("turn_no") == state.get("turn_no"):
            return {"by": by, "speaker": speaker, "turn_no": state.get("turn_no")}
        if by != speaker and by not in away and by in upcoming(state):
            return {"by": by}
        raise Conflict(N_("That turn has already ended."))

    def still_applies(self, ctx: StepContext[RoundStep], contribution: ContributionRecord) -> bool:
        """Whether the turn the contribution was for is still current in `ctx`'s state: a Done,
        Pass, answer or the speaker leaving voice name their turn (`turn_no`); a volunteer
        needs the round still waiting for one; a member leaving voice before their turn needs
        it still to come, and one coming back to be still away. False when another process
        moved the floor on meanwhile (a timeout, a volunteer), so that turn isn't closed twice
        and the next speaker's is left alone."""
        state = RoundState.read(ctx.state)
        payload = contribution.payload
        by = as_member(payload.get("by"))
        if state.finished or by is None:
            return False
        if contribution.kind == "volunteer":
            return state.volunteer
        if "turn_no" in payload:
            return as_count(payload.get("turn_no")) == state.turn_no and state.speaker is not None
        if contribution.kind == LEFT_VOICE:
            return by in state.upcoming
        if contribution.kind == BACK_VOICE:
            return by in state.away
        return True

    def after_contribution(
        self, ctx: StepContext[RoundStep], contribution: ContributionRecord
    ) -> Wake:
        """A volunteer takes the floor first; a turn that ended (spoke, answered or passed) is
        recorded and the floor goes to the next member present."""
        state = dict(ctx.state)
        state.pop(FLOOR_LEFT, None)
        if contribution.kind in (LEFT_VOICE, BACK_VOICE):
            by = int(contribution.payload["by"])
            if contribution.payload.get("speaker") == by:
                return self._speaker_left(state, ctx, "voice")
            away = [uid for uid in _ids(state.get("away")) if uid != by]
            state["away"] = [*away, by] if contribution.kind == LEFT_VOICE else away
            return Wake(at=StepState(ctx.state).wake_at, state=state)
        if contribution.kind == "volunteer":
            by = int(contribution.payload["by"])
            order = _ids(state.get("order"))
            state["order"] = [by] + [uid for uid in order if uid != by]
            state["volunteer"] = False
            return self._whole_at_resume(self._start(state, ctx.step, by, ctx.now), ctx)
        outcome: Outcome = "pass" if contribution.kind == "pass" else "spoke"
        if contribution.kind == "answer":
            outcome = "answer"
        elif skipped(contribution):
            outcome = "skipped"
        self._close_turn(state, outcome)
        return self._whole_at_resume(self._next(state, ctx), ctx)

    def _whole_at_resume(self, wake: Wake, ctx: StepContext[RoundStep]) -> Wake:
        """A turn given while the activity is paused starts, whole, at Resume (the runner
        keeps its time); `RESUME_WHOLE` lets the card say so."""
        if ctx.run.state != "paused" or not isinstance(wake.state.get("speaker"), int):
            return wake
        return Wake(at=wake.at, state={**wake.state, RESUME_WHOLE: True})

    def resumed(self, state: Mapping[str, Any], paused_for: float) -> dict[str, Any]:
        """The turn's end moves on by the pause: its time runs only while the step does."""
        moved = super().resumed(state, paused_for)
        moved.pop(RESUME_WHOLE, None)
        moved.pop(FLOOR_LEFT, None)
        return moved

    def is_complete(
        self, ctx: StepContext[RoundStep], contributions: Sequence[ContributionRecord]
    ) -> bool:
        """The round went all the way round (its state says `finished`)."""
        return bool(ctx.state.get("finished"))


KIND = StepKind(
    handler=RoundHandler,
    order=9,
    summary_counts={
        "spoke": SummaryCount(
            "{count} turn taken in a go-around",
            "{count} turns taken in a go-around",
            N_("turns taken in a go-around by fewer than {k} people"),
        ),
        "answer": SummaryCount(
            "{count} written answer in a go-around",
            "{count} written answers in a go-around",
            N_("written answers in a go-around from fewer than {k} people"),
        ),
        "pass": PASSES,
    },
    state=RoundState,
)
