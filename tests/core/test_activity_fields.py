"""What every step has and what a track is, in the activity format: an auto step needs an end,
a track exactly one source, and a media file stays inside the media directory."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from bot.core.activity_fields import StepBase, Track, TrackRef
from bot.core.steps.prompt import PromptStep

PIECE = {"title": "Clair de lune", "artist": "Debussy"}


def refusal(model: type[pydantic.BaseModel], data: dict[str, Any]) -> str:
    with pytest.raises(pydantic.ValidationError) as refused:
        model.model_validate(data)
    (error,) = refused.value.errors()
    return str(error["msg"])


def test_a_step_moving_on_by_itself_needs_a_time_limit_unless_answers_end_it() -> None:
    auto = {"type": "prompt", "title": "Read", "text": "hello", "advance": "auto"}
    assert "advance: auto needs a time_limit" in refusal(PromptStep, auto)
    timed = PromptStep.model_validate({**auto, "time_limit": "1m30s"})
    assert timed.time_limit == 90
    # A kind that answers can end (the base's rule) moves on when everyone has answered.
    assert (
        StepBase.model_validate({"type": "any", "title": "x", "advance": "auto"}).advance == "auto"
    )


def test_a_track_is_a_link_or_a_file_never_both_nor_neither() -> None:
    assert Track.model_validate({**PIECE, "url": "https://example.org/a.mp3"}).file is None
    assert Track.model_validate({**PIECE, "file": "calm/piano.ogg"}).url is None
    both = {**PIECE, "url": "https://example.org/a.mp3", "file": "a.ogg"}
    assert refusal(Track, both) == "a track needs exactly one of url or file"
    assert refusal(Track, PIECE) == "a track needs exactly one of url or file"


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("calm\\piano.ogg", "use forward slashes"),
        ("/srv/media/a.ogg", "not an absolute path"),
        ("~/a.ogg", "not an absolute path"),
        ("C:/music/a.ogg", "not an absolute path"),
        ("../secrets.ogg", "'..' is not allowed"),
        (".", "file must name a file"),
    ],
)
def test_a_media_file_stays_inside_the_media_directory(path: str, says: str) -> None:
    assert says in refusal(Track, {**PIECE, "file": path})


def test_a_track_reference_is_a_track_or_from_vote() -> None:
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(TrackRef)
    assert adapter.validate_python("from_vote") == "from_vote"
    assert isinstance(adapter.validate_python({**PIECE, "file": "a.ogg"}), Track)
    with pytest.raises(pydantic.ValidationError, match="expected a track"):
        adapter.validate_python(42)
