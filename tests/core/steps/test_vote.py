"""The vote step (bot/core/steps/vote.py): choices from options, previous answers or the
playlist; tally and tie-break; its handler."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.activities import Activity
from bot.core.checkins import K_MIN
from bot.core.errors import InvalidInput
from bot.core.steps import StepContext
from bot.core.steps.vote import (
    VoteChoice,
    VoteHandler,
    VoteStep,
    fixed_choices,
    is_tie,
    playlist_choices,
    previous_choices,
    shown_detail,
    tally,
    vote_step_for,
    voters,
    winner,
)
from bot.records.media import NominationRecord
from bot.records.sessions import ContributionRecord, RunRecord

URL = "https://example.test/a.mp3"
RUN = RunRecord(1, 1, "a", "h", "{}", 0, 0.0, None, None, None, "{}", None, "running", 0.0, None)


def vote(cid: int, author: int, key: str) -> ContributionRecord:
    return ContributionRecord(cid, 1, 0, author, "vote", {"choice": key}, 0.0, 0.0)


def nomination(
    nid: int, at: float, user: int = 7, removed: float | None = None
) -> NominationRecord:
    return NominationRecord(nid, 1, user, f"Song {nid}", "Band", None, None, at, removed)


def step(**extra: Any) -> VoteStep:
    return VoteStep.model_validate({"type": "vote", "title": "V", "question": "Which?", **extra})


def test_tally_counts_and_breaks_ties_by_order() -> None:
    choices = playlist_choices([nomination(3, 1.0), nomination(2, 2.0), nomination(5, 3.0)])
    assert [c.key for c in choices] == ["n3", "n2", "n5"]
    ranked = tally(choices, [vote(1, 10, "n5"), vote(2, 11, "n2"), vote(3, 12, "gone")])
    assert [(t.choice.key, t.votes) for t in ranked] == [("n2", 1), ("n5", 1), ("n3", 0)]
    assert is_tie(ranked)
    top = winner(choices, [vote(1, 10, "n5"), vote(2, 11, "n5"), vote(3, 12, "n2")])
    assert top is not None and top.choice.key == "n5" and top.votes == 2


def test_nobody_voted_means_the_first_choice() -> None:
    choices = playlist_choices([nomination(1, 1.0), nomination(2, 2.0)])
    top = winner(choices, [])
    assert top is not None and top.choice.key == "n1" and top.votes == 0
    assert winner([], []) is None


def test_playlist_choices_credit_and_removed_entries() -> None:
    choices = playlist_choices(
        [nomination(1, 1.0, user=7), nomination(2, 2.0, user=8), nomination(3, 3.0, removed=4.0)],
        hidden_credit=frozenset({8}),
    )
    assert [c.key for c in choices] == ["n1", "n2"]
    # Never a raw mention (it shows as <@7> inside an embed): a name, or "a member".
    assert choices[0].track is not None and choices[0].track.credit == "Suggested by a member"
    assert choices[1].track is not None and choices[1].track.credit is None
    named = playlist_choices([nomination(1, 1.0, user=7)], names={7: "ana"})
    assert named[0].track is not None and named[0].track.credit == "Suggested by ana"


def test_detail_does_not_repeat_the_label() -> None:
    choices = fixed_choices(
        step(
            options=[
                {"label": "Morning", "track": {"title": "Morning", "artist": "Grieg", "url": URL}},
                {"label": "Calm", "track": {"title": "Gymnopédie", "artist": "Satie", "url": URL}},
            ]
        ),
        "en",
    )
    assert [shown_detail(c) for c in choices] == ["Grieg", "Gymnopédie — Satie"]
    assert shown_detail(VoteChoice("n1", "Blackbird", "Blackbird")) == ""


def test_voters_counts_people_once() -> None:
    assert voters([vote(1, 10, "o0"), vote(2, 11, "o1")]) == 2
    assert K_MIN == 3


def test_previous_choices_never_show_private_reflections() -> None:
    answers = [
        ContributionRecord(1, 1, 0, 5, "reflection", {"text": "shared one", "shared": True}, 0, 0),
        ContributionRecord(2, 1, 0, 6, "reflection", {"text": "private", "shared": False}, 0, 0),
        ContributionRecord(3, 1, 0, 7, "line", {"text": "a lyric line " * 20}, 0, 0),
    ]
    choices = previous_choices(answers)
    assert [c.key for c in choices] == ["c1", "c3"]
    assert len(choices[1].label) <= 100


def test_fixed_choices_carry_tracks() -> None:
    s = step(
        options=[
            {"label": "Calm", "track": {"title": "A", "artist": "X", "url": "https://a.test"}},
            {"label": "Lively", "track": {"title": "B", "artist": "Y", "url": "https://b.test"}},
        ]
    )
    choices = fixed_choices(s, "en")
    assert [c.key for c in choices] == ["o0", "o1"]
    assert choices[1].track is not None and choices[1].track.url == "https://b.test"


def test_handler_accepts_only_keys_of_its_source() -> None:
    handler = VoteHandler()
    fixed = step(options=["a", "b"])
    playlist = step(**{"from": "playlist"})

    def ctx(s: VoteStep) -> StepContext[VoteStep]:
        return StepContext(run=RUN, step=s, present=[], now=0.0, language="en")

    assert handler.accept(ctx(fixed), "vote", {"choice": "o1"})["choice"] == "o1"
    assert handler.accept(ctx(playlist), "vote", {"choice": "n12"})["choice"] == "n12"
    for s, bad in ((fixed, "o2"), (fixed, "n1"), (playlist, "o0"), (playlist, "c3"), (fixed, "x")):
        with pytest.raises(InvalidInput):
            handler.accept(ctx(s), "vote", {"choice": bad})
    assert handler.one_answer_per_member(fixed)


def test_vote_step_for_finds_the_latest_vote() -> None:
    activity = Activity.model_validate(
        {
            "id": "x",
            "title": "X",
            "summary": "s",
            "version": 1,
            "duration_minutes": 5,
            "steps": [
                {"type": "vote", "title": "v1", "question": "q", "from": "playlist"},
                {"type": "prompt", "title": "p", "text": "t"},
                {"type": "vote", "title": "v2", "question": "q", "from": "playlist"},
                {"type": "listen", "title": "l", "track": "from_vote"},
            ],
        }
    )
    assert vote_step_for(activity.steps, 3) == 2
    assert vote_step_for(activity.steps, 1) == 0
    assert vote_step_for(activity.steps, 0) is None
