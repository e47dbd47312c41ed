"""A listening set (`then:`): its rules, its length, and where a position falls in it."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.core.listening import piece_at, set_duration, set_tracks
from bot.core.steps.listen import ListenStep


def listen(**extra: Any) -> ListenStep:
    data = {
        "type": "listen",
        "title": "A set",
        "track": {"title": "One", "artist": "A", "file": "a.ogg", "duration": "1m"},
        **extra,
    }
    return ListenStep.model_validate(data)


def test_a_set_lasts_as_long_as_its_pieces() -> None:
    step = listen(
        then=[
            {"title": "Two", "artist": "B", "file": "b.ogg", "duration": 30},
            {"title": "Three", "artist": "C", "file": "c.ogg", "duration": "2m"},
        ]
    )
    assert set_duration(step) == 60 + 30 + 120
    assert [t.title for t in set_tracks(step)] == ["Two", "Three"]
    assert set_duration(listen()) == 60


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {
                "track": "from_vote",
                "then": [{"title": "B", "artist": "B", "file": "b.ogg", "duration": 5}],
            },
            "from_vote",
        ),
        ({"then": [{"title": "B", "artist": "B", "file": "b.ogg"}]}, "missing for piece 2"),
        (
            {"then": [{"title": "B", "artist": "B", "url": "https://x.test/b", "duration": 5}]},
            "mixes",
        ),
    ],
)
def test_a_set_must_be_playable_back_to_back(extra: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        listen(**extra)


def test_where_a_position_falls_in_a_set() -> None:
    lengths = [60.0, 30.0, 120.0]
    assert piece_at(lengths, 0) == (0, 0.0)
    assert piece_at(lengths, 59.5) == (0, 59.5)
    assert piece_at(lengths, 60) == (1, 0.0)
    assert piece_at(lengths, 100) == (2, 10.0)
    assert piece_at(lengths, 500) == (2, 410.0)  # past the end: the last piece
