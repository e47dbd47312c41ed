"""Option types several commands share (bot/cogs/options.py), through simcord: every activity
option offers the same autocomplete, whichever command it belongs to."""

from __future__ import annotations

from tests.conftest import World

ACTIVITY_OPTIONS = [
    ("activity info", "activity"),
    ("activity start", "activity"),
    ("activity export", "activity"),
    ("activity copy", "activity"),
    ("session schedule create", "plan"),
    ("session schedule edit", "plan"),
]
"""Every option typed `ActivityId`, by command and option name."""


async def test_every_activity_option_offers_the_same_choices(world: World) -> None:
    offered = {
        command: await world.facilitator.autocomplete(world.channel, command, option, "g")
        for command, option in ACTIVITY_OPTIONS
    }
    start = offered["activity start"]
    values = [c["value"] for c in start]
    # Those whose id or title starts with what was typed come first, by title, then those that
    # only hold it ("A song for this week" among them).
    assert values[:4] == ["go-around", "gratitude-song", "group-playlist", "guided-imagery"]
    assert "song-for-this-week" in values[4:], values
    assert start[0]["name"].startswith("Go-around (") and start[0]["name"].endswith(" min)")
    for command, choices in offered.items():
        assert choices == start, command
