"""The operator's limits on each server's library, refused with what to do instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ServerLimits, Settings
from tests.cogs.test_library import OUR_CIRCLE, followup_text, upload
from tests.conftest import ROOT, World
from tests.responses import reply_to

LIMITED = ServerLimits(
    max_activities=1, max_uploads_per_day=3, upload_max_kb=1, protected_activities=("lyric-circle",)
)


@pytest.fixture
def settings(tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """The usual test settings with this module's server limits (a parameter can replace them)."""
    limits = getattr(request, "param", LIMITED)
    return Settings(
        database_path=tmp_path / "data" / "chorus.db",
        activities_dirs=(ROOT / "activities", ROOT / "tests" / "cogs"),
        media_dir=tmp_path / "media",
        board_edit_interval=0,
        servers=limits,
    )


async def test_count_rate_and_size_limits(world: World) -> None:
    assert "Saved" in followup_text(await upload(world, OUR_CIRCLE))
    another = OUR_CIRCLE.replace("our-circle", "another-circle")
    full = await upload(world, another, "another.yaml")
    assert "already has 1 activities of its own, the most it can keep" in followup_text(full)
    again = await upload(world, OUR_CIRCLE.replace("look around", "look up"))
    assert "version 2" in followup_text(again)  # a new version of one it has is fine
    third = await upload(world, OUR_CIRCLE.replace("look around", "look down"))
    assert "version 3" in followup_text(third)
    today = await upload(world, OUR_CIRCLE.replace("look around", "look in"))
    assert "3 activity files in the last 24 hours" in followup_text(today)
    big = await upload(world, OUR_CIRCLE + "# " + "x" * 2000 + "\n")
    assert "can be at most 1 KiB" in followup_text(big)
    await world.env.advance_time(86_401)
    tomorrow = await upload(world, OUR_CIRCLE.replace("look around", "look in"))
    assert "version 4" in followup_text(tomorrow)


async def test_a_protected_shipped_id_cant_be_shadowed(world: World) -> None:
    mine = OUR_CIRCLE.replace("id: our-circle", "id: lyric-circle")
    refused = await upload(world, mine, "lyric-circle.yaml")
    assert "`lyric-circle` is a shipped activity that this Chorus keeps as it is" in followup_text(
        refused
    )
    assert world.bot().library.own_ids(world.guild.id) == []


@pytest.mark.parametrize("settings", [ServerLimits(uploads_enabled=False)], indirect=True)
async def test_uploads_turned_off_by_the_operator(world: World) -> None:
    refused = await upload(world, OUR_CIRCLE)
    assert "Uploading activities is turned off on this Chorus" in followup_text(refused)
    shown = await world.manager().slash(world.channel, "setup show")
    footer = reply_to(shown).embeds[0].footer.text or ""
    assert "activity uploads turned off by this Chorus's operator" in footer
