"""The listen step's rules: countdown, playing, after; no-skip; reactions and reflections."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pytest

from bot.core.errors import Conflict, InvalidInput
from bot.core.listening import (
    AFTER,
    COUNTDOWN,
    PLAYING,
    ResolvedTrack,
    reaction_counts,
)
from bot.core.steps import StepContext, Wake
from bot.core.steps.listen import ListenHandler, ListenState, ListenStep
from bot.records.sessions import ContributionRecord, RunRecord

RUN = RunRecord(1, 1, "a", "h", "{}", 0, 0.0, None, None, None, "{}", None, "running", 0.0, None)


def listen(**extra: Any) -> ListenStep:
    data: dict[str, Any] = {
        "type": "listen",
        "title": "Piece",
        "track": {"title": "T", "artist": "A", "url": "https://x.test/a.mp3", "duration": 200},
        "countdown_seconds": 5,
    }
    data.update(extra)
    return ListenStep.model_validate(data)


def ctx(
    step: ListenStep,
    now: float,
    state: dict[str, Any],
    present: Sequence[int] = (),
    language: str = "en",
) -> StepContext[ListenStep]:
    return StepContext(
        run=RUN, step=step, present=list(present), now=now, state=state, language=language
    )


def run_wake(step: ListenStep, wake: Wake, now: float) -> Wake:
    """What the runner does: store wake_at in the state, then call on_wake at that time."""
    state = {**wake.state, "wake_at": wake.at}
    return ListenHandler().on_wake(ctx(step, now, state))


def test_countdown_then_playing_then_after() -> None:
    step = listen()
    handler = ListenHandler()
    entered = handler.enter(ctx(step, 1000.0, {}))
    assert entered.at == 1005.0 and entered.state["phase"] == COUNTDOWN
    playing = run_wake(step, entered, 1005.0)
    assert playing.state["phase"] == PLAYING and playing.at == 1205.0
    after = run_wake(step, playing, 1205.0)
    assert after.state["phase"] == AFTER and after.at is None


def test_track_without_duration_goes_straight_to_after() -> None:
    step = listen(track={"title": "T", "artist": "A", "url": "https://x.test/a"})
    entered = ListenHandler().enter(ctx(step, 0.0, {}))
    assert run_wake(step, entered, 5.0).state["phase"] == AFTER


def test_a_voted_piece_plays_for_its_own_length_and_holds_no_skip() -> None:
    """A `from_vote` step has no length of its own: once its piece is decided (stored under
    `piece` during the countdown), the countdown, the piece, no_skip and the time left are
    timed by the piece's length."""
    step = listen(track="from_vote", no_skip=True)
    handler = ListenHandler()
    entered = handler.enter(ctx(step, 0.0, {}))
    assert entered.state["duration"] is None
    piece = {"title": "Evening", "artist": "Satie", "url": "https://x.test/e", "duration": 30}
    decided = {**entered.state, "piece": piece}
    counting = {**decided, "wake_at": entered.at}
    assert ListenState.read(counting).time_left(1.0) == 34.0
    early = handler.refuse_leaving(ctx(step, 1.0, counting), by_facilitator=True)
    assert isinstance(early, Conflict) and "34 s left" in str(early)
    playing = run_wake(step, Wake(entered.at, decided), 5.0)
    assert playing.state["phase"] == PLAYING and playing.at == 35.0
    state = {**playing.state, "wake_at": playing.at}
    assert ListenState.read(state).piece_start() == 5.0
    assert run_wake(step, playing, 35.0).state["phase"] == AFTER


def test_no_skip_refuses_members_and_early_next_with_time_left() -> None:
    step = listen(no_skip=True)
    handler = ListenHandler()
    entered = handler.enter(ctx(step, 0.0, {}))
    counting = {**entered.state, "wake_at": entered.at}
    member = handler.refuse_leaving(ctx(step, 1.0, counting), by_facilitator=False)
    assert isinstance(member, str) and "only a facilitator" in member
    early = handler.refuse_leaving(ctx(step, 1.0, counting), by_facilitator=True)
    # A refusal of its own (TimeLeft): its English wording, and the time in the reader's words.
    assert early is not None and "3 min 24 s left" in str(early)  # 4 s countdown + 200 s
    assert isinstance(early, Conflict) and "noch 3 Min. 24 Sek." in early.text("de")
    playing = run_wake(step, entered, 5.0)
    state = {**playing.state, "wake_at": playing.at}
    assert "1 min 40 s left" in str(handler.refuse_leaving(ctx(step, 105.0, state), True) or "")
    after = run_wake(step, playing, 205.0)
    assert handler.refuse_leaving(ctx(step, 205.0, dict(after.state)), True) is None


def test_without_no_skip_next_is_always_allowed() -> None:
    step = listen()
    entered = ListenHandler().enter(ctx(step, 0.0, {}))
    assert ListenHandler().refuse_leaving(ctx(step, 1.0, dict(entered.state)), True) is None


def test_time_left_while_paused_uses_the_frozen_remainder() -> None:
    state = {"phase": PLAYING, "_paused_wake_remaining": 30.0, "wake_at": None}
    assert ListenState.read(state).time_left(99999.0) == 30.0


def test_reactions_and_reflections_are_validated() -> None:
    step = listen()
    handler = ListenHandler()
    after = ctx(step, 0.0, {"phase": AFTER})
    assert handler.accept(after, "reaction", {"reaction": 1}) == {"reaction": 1, "label": "moved"}
    with pytest.raises(InvalidInput):
        handler.accept(after, "reaction", {"reaction": 9})
    with pytest.raises(InvalidInput, match="hasn't started"):
        handler.accept(ctx(step, 0.0, {"phase": COUNTDOWN}), "reaction", {"reaction": 0})
    clean = handler.accept(after, "reflection", {"text": "  so\u200b calm  ", "shared": 1})
    assert clean == {"text": "so calm", "shared": True}
    with pytest.raises(InvalidInput):
        handler.accept(after, "reflection", {"text": "   "})
    with pytest.raises(InvalidInput):
        handler.accept(after, "vote", {})


def test_a_german_sessions_reaction_is_stored_with_its_german_label() -> None:
    """The label is the session's language (the StepContext's, from the server's settings, as
    the write step's lines are checked in it), whatever a payload says."""
    step = listen(reflection={"reactions": ["calm", "moved", {"label": "wach", "emoji": "👀"}]})
    handler = ListenHandler()
    german = ctx(step, 0.0, {"phase": AFTER}, language="de")
    assert handler.accept(german, "reaction", {"reaction": 1}) == {
        "reaction": 1,
        "label": "berührt",
    }
    told_english = {"reaction": 0, "language": "en"}
    assert handler.accept(german, "reaction", told_english)["label"] == "ruhig"
    assert handler.accept(german, "reaction", {"reaction": 2})["label"] == "wach"
    spanish = ctx(step, 0.0, {"phase": AFTER}, language="es")
    assert handler.accept(spanish, "reaction", {"reaction": 0})["label"] == "en calma"


def _c(cid: int, author: int, kind: str, payload: dict[str, Any]) -> ContributionRecord:
    return ContributionRecord(cid, 1, 0, author, kind, payload, 0.0, 0.0)


def test_complete_only_after_the_piece_when_everyone_took_part() -> None:
    step = listen()
    handler = ListenHandler()
    answers = [_c(1, 10, "reaction", {"reaction": 0}), _c(2, 11, "reflection", {"text": "x"})]
    assert handler.is_complete(ctx(step, 0.0, {"phase": AFTER}, [10, 11]), answers)
    assert not handler.is_complete(ctx(step, 0.0, {"phase": PLAYING}, [10, 11]), answers)
    assert not handler.is_complete(ctx(step, 0.0, {"phase": AFTER}, [10, 11, 12]), answers)


def test_reaction_counts_in_step_order() -> None:
    step = listen()
    counts = reaction_counts(
        step,
        [
            _c(1, 10, "reaction", {"reaction": 1}),
            _c(2, 11, "reaction", {"reaction": 1}),
            _c(3, 12, "reaction", {"reaction": 0}),
            _c(4, 12, "reflection", {"text": "x"}),
        ],
        "en",
    )
    assert [(label, n) for label, _, n in counts] == [
        ("calm", 1),
        ("moved", 2),
        ("energised", 0),
        ("nostalgic", 0),
        ("unsettled", 0),
    ]


def test_a_stored_piece_reads_back_without_a_members_name() -> None:
    """`ResolvedTrack.stored` is what `ListenState.piece` keeps: a member's credit (their name)
    is left out, their id kept; `from_stored` reads it back leniently."""
    suggested = ResolvedTrack(
        "Harvest Moon",
        "Neil Young",
        url="https://example.test/h",
        credit="Suggested by ana",
        suggested_by=7,
        nomination_id=3,
    )
    stored = suggested.stored()
    assert stored["credit"] is None and stored["suggested_by"] == 7
    assert ResolvedTrack.from_stored(stored) == dataclasses.replace(suggested, credit=None)
    authored = ResolvedTrack("Air", "Bach", credit="Public domain (Musopen)")
    assert ResolvedTrack.from_stored(authored.stored()) == authored
    assert ResolvedTrack.from_stored({"title": 5}) is None
    assert ResolvedTrack.from_stored({"title": "X", "duration": "long", "suggested_by": True}) == (
        ResolvedTrack("X", "")
    )
