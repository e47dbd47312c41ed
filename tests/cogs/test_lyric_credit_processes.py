"""A member's song credit is a stored fact every process reads when it draws a song: /song credit
answered by one process (another shard on the same database) shows on the song another process
finishes. The real bot through simcord on each engine; the other process is a second Store on
the same database writing what its /song credit would (simcord runs one bot per loop)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.store.store import Store
from tests.cogs.test_lyrics import start
from tests.conftest import World, find_message, open_store, settings_on
from tests.engines import TestDatabase
from tests.responses import fields_of


@pytest.fixture
def settings(tmp_path: Path, engine: TestDatabase) -> Settings:
    return settings_on(tmp_path, engine.url)


@pytest.fixture
async def other(settings: Settings) -> AsyncIterator[Store]:
    """The other process's store on the same database."""
    assert settings.database_url is not None
    async with open_store(settings.database_url) as store:
        yield store


async def test_a_credit_chosen_in_another_process_shows_on_the_finished_song(
    world: World, other: Store
) -> None:
    ana, ben, _ = world.members
    await start(world, "test-write-circle", [ana, ben])
    await world.facilitator.slash(world.channel, "song title", title="Red door")
    for who, text in ((ana, "one"), (ben, "two"), (ana, "three"), (ben, "four")):
        await who.slash(world.channel, "line", text=text)
    # Ben answers /song credit off in the other process, which holds none of these sheets.
    await other.songs.set_credit_opt_out(world.guild.id, ben.id, True)
    await world.facilitator.slash(world.channel, "activity next")
    song = find_message(world.channel, "Red door")
    assert fields_of(song.embeds[0])["Words by"] == "**ana** and the group"
