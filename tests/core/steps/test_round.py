"""The round step's YAML fields (located errors) and its handler's rules, without Discord."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from bot.core.activities import Activity
from bot.core.errors import Conflict
from bot.core.round_state import RoundState, answered_by, upcoming
from bot.core.steps.base import StepContext
from bot.core.steps.round import RoundHandler, RoundStep
from bot.records.sessions import ContributionRecord, RunRecord
from tests.activity_files import load_file

HEADER = """\
id: demo
title: Demo
summary: A demo.
version: 1
duration_minutes: 10
steps:
"""


def load(tmp_path: Path, body: str) -> Activity | list[str]:
    path = tmp_path / "demo.yaml"
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    result = load_file(path, tmp_path / "media")
    if isinstance(result, list):
        return [str(error).removeprefix(f"{tmp_path}/") for error in result]
    return result


def test_fields_load_with_durations_and_defaults(tmp_path: Path) -> None:
    body = """\
      - type: round
        title: Check-in round
        question: One word for today?
        turn_seconds: 1m30s
        order: shuffled
    """
    loaded = load(tmp_path, body)
    assert isinstance(loaded, Activity)
    step = loaded.steps[0]
    assert isinstance(step, RoundStep)
    assert (step.turn_seconds, step.order, step.pass_allowed, step.share) == (
        90,
        "shuffled",
        True,
        "group",
    )


def test_mistakes_get_located_messages(tmp_path: Path) -> None:
    body = """\
      - type: round
        title: Check-in round
        question: One word for today?
        turn_seconds: 5s
        order: random
        share: everyone
    """
    assert load(tmp_path, body) == [
        "demo.yaml:10:17: steps[0].turn_seconds: expected a duration between 10s and 15m; got 5s",
        "demo.yaml:11:10: steps[0].order: expected one of joined, shuffled, volunteer_first; "
        'got "random"',
        'demo.yaml:12:10: steps[0].share: expected one of group, private; got "everyone"',
    ]


def test_the_question_is_required(tmp_path: Path) -> None:
    assert load(tmp_path, "  - {type: round, title: Round}\n") == [
        "demo.yaml:7:3: steps[0].question: missing required field"
    ]


# ------------------------------------------------------------------ the handler's rules

FACILITATOR, ANA, BEN, CAI = 1, 2, 3, 4


def run_record() -> RunRecord:
    return RunRecord(
        id=7,
        session_id=3,
        activity_id="demo",
        version_hash="x",
        definition="",
        step_index=0,
        step_started_at=0.0,
        step_deadline=None,
        paused_remaining=None,
        step_message_id=None,
        step_state="{}",
        wake_at=None,
        state="running",
        started_at=0.0,
        ended_at=None,
    )


def step(**fields: Any) -> RoundStep:
    return RoundStep.model_validate(
        {"type": "round", "title": "Round", "question": "How are you?", **fields}
    )


def ctx(
    the_step: RoundStep, present: list[int], now: float, state: dict[str, Any] | None = None
) -> StepContext[RoundStep]:
    return StepContext(
        run=run_record(),
        step=the_step,
        present=present,
        now=now,
        state=state or {},
        facilitator_id=FACILITATOR,
        language="en",
    )


def contribution(kind: str, payload: dict[str, Any]) -> ContributionRecord:
    return ContributionRecord(
        id=1,
        run_id=7,
        step_index=0,
        author_id=payload.get("by"),
        kind=kind,
        payload=payload,
        created_at=0.0,
        updated_at=0.0,
    )


def test_joined_order_leaves_out_the_facilitator_and_times_turns() -> None:
    handler = RoundHandler()
    wake = handler.enter(ctx(step(turn_seconds=45), [FACILITATOR, ANA, BEN], now=100.0))
    assert wake.at == 145.0
    assert wake.state["order"] == [ANA, BEN]
    assert wake.state["speaker"] == ANA
    assert upcoming(wake.state) == [BEN]


def test_shuffled_order_is_drawn_once_and_kept() -> None:
    handler = RoundHandler()
    people = [FACILITATOR, *range(10, 30)]
    first = handler.enter(ctx(step(order="shuffled"), people, now=100.0)).state
    again = handler.enter(ctx(step(order="shuffled"), people, now=100.0)).state
    assert sorted(first["order"]) == list(range(10, 30))
    assert first["order"] != list(range(10, 30))
    assert first["order"] == again["order"]


def test_only_the_speaker_or_the_facilitator_moves_it_on() -> None:
    handler = RoundHandler()
    the_step = step()
    state = dict(handler.enter(ctx(the_step, [ANA, BEN], now=0.0)).state)
    with pytest.raises(Conflict, match="It isn't your turn"):
        handler.accept(ctx(the_step, [ANA, BEN], 1.0, state), "spoke", {"by": BEN})
    accepted = handler.accept(ctx(the_step, [ANA, BEN], 1.0, state), "pass", {"by": FACILITATOR})
    assert accepted == {"by": FACILITATOR, "speaker": ANA, "turn_no": 1}
    floor = RoundState.read(state)
    assert floor.answer_refusal(BEN) is not None and floor.answer_refusal(ANA) is None


def test_only_the_member_with_the_floor_opens_the_answer_form() -> None:
    handler = RoundHandler()
    state = dict(handler.enter(ctx(step(), [ANA, BEN], now=0.0)).state)
    RoundState.read(state).check_floor(ANA)
    with pytest.raises(Conflict, match="It isn't your turn yet"):
        RoundState.read(state).check_floor(BEN)
    with pytest.raises(Conflict, match="the round is complete"):
        RoundState.read({**state, "finished": True}).check_floor(ANA)


def test_pass_refused_when_not_allowed() -> None:
    handler = RoundHandler()
    the_step = step(pass_allowed=False)
    state = dict(handler.enter(ctx(the_step, [ANA], now=0.0)).state)
    with pytest.raises(Conflict, match="say what you can"):
        handler.accept(ctx(the_step, [ANA], 1.0, state), "pass", {"by": ANA})


def test_the_facilitators_done_on_a_text_turn_is_a_skip_not_an_answer() -> None:
    handler = RoundHandler()
    the_step = step(pass_allowed=False)
    state = dict(handler.enter(ctx(the_step, [ANA, BEN], now=0.0)).state)
    now = ctx(the_step, [ANA, BEN], 1.0, state)
    skipped = handler.accept(now, "spoke", {"by": FACILITATOR})
    assert skipped == {"by": FACILITATOR, "speaker": ANA, "turn_no": 1, "skipped": True}
    # In voice the speaker was heard; their own Done is never a skip.
    assert "skipped" not in handler.accept(now, "spoke", {"by": FACILITATOR, "heard": True})
    assert "skipped" not in handler.accept(now, "spoke", {"by": ANA})
    moved = handler.after_contribution(now, contribution("spoke", skipped)).state
    assert moved["turns"] == [{"user": ANA, "outcome": "skipped"}]
    assert moved["speaker"] == BEN
    spoke = {"by": BEN, "speaker": BEN, "turn_no": 2}
    both = [contribution("spoke", skipped), contribution("spoke", spoke)]
    assert answered_by(both) == {BEN}


def test_late_joiner_at_the_end_leaver_skipped_and_finish() -> None:
    handler = RoundHandler()
    the_step = step()
    state = dict(handler.enter(ctx(the_step, [ANA, BEN], now=0.0)).state)
    # Cai joins, Ben leaves; Ana's time runs out.
    state = dict(handler.on_wake(ctx(the_step, [ANA, CAI], 60.0, state)).state)
    assert state["order"] == [ANA, BEN, CAI]
    assert state["speaker"] == CAI
    assert state["turns"] == [
        {"user": ANA, "outcome": "time"},
        {"user": BEN, "outcome": "left"},
    ]
    wake = handler.after_contribution(
        ctx(the_step, [ANA, CAI], 70.0, state),
        contribution("spoke", {"by": CAI, "speaker": CAI, "turn_no": 2}),
    )
    assert wake.at is None and wake.state["finished"] is True and wake.state["speaker"] is None
    assert handler.is_complete(ctx(the_step, [ANA, CAI], 70.0, dict(wake.state)), [])


def test_volunteer_first_waits_one_turn_then_goes_in_join_order() -> None:
    handler = RoundHandler()
    the_step = step(order="volunteer_first", turn_seconds=30)
    wake = handler.enter(ctx(the_step, [ANA, BEN], now=0.0))
    assert wake.state["volunteer"] is True and wake.state["speaker"] is None and wake.at == 30.0
    nobody = handler.on_wake(ctx(the_step, [ANA, BEN], 30.0, dict(wake.state)))
    assert nobody.state["speaker"] == ANA and nobody.state["turns"] == []
    volunteered = handler.after_contribution(
        ctx(the_step, [ANA, BEN], 5.0, dict(wake.state)), contribution("volunteer", {"by": BEN})
    )
    assert volunteered.state["order"] == [BEN, ANA] and volunteered.state["speaker"] == BEN


def test_forgotten_ids_in_the_state_are_nobody() -> None:
    """/forget scrubs ids out of stored JSON; the round goes on without them."""
    handler = RoundHandler()
    the_step = step()
    state = {"order": [None, BEN], "turns": [{"user": None, "outcome": "spoke"}], "speaker": None}
    wake = handler.on_wake(ctx(the_step, [BEN], 10.0, state))
    assert wake.state["speaker"] == BEN


def test_a_round_with_nobody_present_waits_for_members() -> None:
    handler = RoundHandler()
    the_step = step(turn_seconds=30)
    waiting = handler.enter(ctx(the_step, [FACILITATOR], now=0.0))
    assert waiting.at == 30.0 and not waiting.state["finished"]
    assert waiting.state["speaker"] is None
    joined = handler.on_wake(ctx(the_step, [FACILITATOR, ANA], 30.0, dict(waiting.state)))
    assert joined.state["speaker"] == ANA and joined.at == 60.0


def test_the_speaker_leaving_the_session_gives_up_the_floor_at_once() -> None:
    handler = RoundHandler()
    the_step = step()
    state = dict(handler.enter(ctx(the_step, [ANA, BEN, CAI], now=0.0)).state)
    wake = handler.attendance_changed(ctx(the_step, [BEN, CAI], 10.0, state))
    assert wake is not None and wake.at == 70.0  # Ben's whole turn, from now
    assert wake.state["speaker"] == BEN and wake.state["turn_no"] == 2
    assert wake.state["turns"] == [{"user": ANA, "outcome": "gone"}]
    assert wake.state["floor_left"] == {
        "user": ANA,
        "turn_no": 1,
        "at": 10.0,
        "where": "session",
    }
    # The next change of the floor drops the mark (the channel was told once).
    after = handler.after_contribution(
        ctx(the_step, [BEN, CAI], 20.0, dict(wake.state)),
        contribution("spoke", {"by": BEN, "speaker": BEN, "turn_no": 2}),
    )
    assert "floor_left" not in after.state and after.state["speaker"] == CAI
    # Someone else leaving changes nothing about the floor.
    assert handler.attendance_changed(ctx(the_step, [CAI], 25.0, dict(after.state))) is None


def test_voice_leaving_and_coming_back() -> None:
    handler = RoundHandler()
    the_step = step()
    people = [ANA, BEN, CAI]
    state = dict(handler.enter(ctx(the_step, people, now=0.0)).state)
    # Ben steps out of voice before his turn; Cai steps out and back.
    for kind, who in (("left_voice", BEN), ("left_voice", CAI), ("back_voice", CAI)):
        clean = handler.accept(ctx(the_step, people, 1.0, state), kind, {"by": who})
        wake = handler.after_contribution(
            ctx(the_step, people, 1.0, {**state, "wake_at": 60.0}), contribution(kind, clean)
        )
        assert wake.at == 60.0  # Ana's turn keeps its time
        state = dict(wake.state)
    assert state["away"] == [BEN] and upcoming(state) == [CAI]
    # Nothing to record: Ben is away already, Ana is not back from anywhere, a stale turn.
    for kind, payload in (
        ("left_voice", {"by": BEN}),
        ("back_voice", {"by": ANA}),
        ("left_voice", {"by": ANA, "turn_no": 0}),
    ):
        with pytest.raises(Conflict):
            handler.accept(ctx(the_step, people, 2.0, state), kind, payload)
    # Ana (the speaker) leaves voice: the floor skips Ben (away) and goes to Cai.
    clean = handler.accept(
        ctx(the_step, people, 5.0, state), "left_voice", {"by": ANA, "turn_no": 1}
    )
    wake = handler.after_contribution(
        ctx(the_step, people, 5.0, state), contribution("left_voice", clean)
    )
    assert wake.state["speaker"] == CAI
    assert wake.state["turns"] == [
        {"user": ANA, "outcome": "gone"},
        {"user": BEN, "outcome": "left"},
    ]
    assert wake.state["floor_left"] == {"user": ANA, "turn_no": 1, "at": 5.0, "where": "voice"}


def test_a_contribution_still_applies_only_while_its_turn_is_current() -> None:
    """Asked when the state was read again after another process changed the run (see
    `Contributing._follow`): a Done for a turn the floor has left applies no more."""
    handler = RoundHandler()
    the_step = step()
    people = [ANA, BEN, CAI]
    state = dict(handler.enter(ctx(the_step, people, now=0.0)).state)
    now = ctx(the_step, people, 1.0, state)
    done = contribution("spoke", handler.accept(now, "spoke", {"by": ANA}))
    away = contribution("left_voice", handler.accept(now, "left_voice", {"by": CAI}))
    assert handler.still_applies(now, done) and handler.still_applies(now, away)
    # Ana's time ran out elsewhere: Ben has the floor (turn 2).
    moved = dict(handler.on_wake(ctx(the_step, people, 60.0, state)).state)
    later = ctx(the_step, people, 61.0, moved)
    assert not handler.still_applies(later, done)
    assert handler.still_applies(later, away)  # Cai's turn is still to come
    assert not handler.still_applies(later, contribution("back_voice", {"by": CAI}))
    assert not handler.still_applies(later, contribution("volunteer", {"by": CAI}))
    finished = ctx(the_step, people, 62.0, {**moved, "finished": True})
    assert not handler.still_applies(finished, away)
