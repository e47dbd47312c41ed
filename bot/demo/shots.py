"""The screenshot plan of the scripted session: which stage is photographed under which name,
and the `Shoot` callback that takes a picture (`screenshots.py`'s, or none for the demo test)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from simcord.actors import MemberActor

Shoot = Callable[[str, MemberActor | None], Awaitable[None]]
"""`shoot(name, viewer)`: photograph the channel as `viewer` sees it (None: the camera's viewer)."""

# Screenshots by (activity, step index): taken when the group has acted on the step, or for
# "enter" as soon as the step is posted (the song sheet sits just above the step after it).
SHOTS = {
    ("opening-checkin", 0): ("02-opening-checkin", "acted"),
    ("go-around", 1): ("02b-go-around", "acted"),
    ("song-for-this-week", 1): ("03-listening", "acted"),
    ("song-choice", 1): ("03-listening", "acted"),
    ("lyric-circle", 2): ("05-song-sheet", "enter"),
    ("closing-checkin", 0): ("06-closing-checkin", "acted"),
}
# Taken when the activity has ended (what the group shared, the song sheet).
AFTER_SHOTS = {
    "song-for-this-week": "04-shared-reflections",
    "song-choice": "04-shared-reflections",
}


async def no_shots(name: str, viewer: MemberActor | None) -> None:
    """The `Shoot` of a run without screenshots: takes none."""
    return None
