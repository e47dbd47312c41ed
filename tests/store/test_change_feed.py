"""Two processes on one PostgreSQL: what one changes reaches what the other keeps in memory.

Each "process" is its own Store with its own services; LISTEN/NOTIFY carries consent, /forget,
server settings and server activity libraries between them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from discord.utils import utcnow

from bot.core.activities import Catalog
from bot.core.guild_library import GuildLibrary
from bot.core.guild_settings import GuildSettingsService
from bot.settings import Settings
from bot.store.store import Store
from tests.engines import TestDatabase

GUILD = 4242
ACTIVITY = b"""id: feed-test
title: Feed test
summary: s
version: 1
duration_minutes: 5
steps:
  - type: prompt
    title: Read
    text: hello
"""


@pytest.fixture
async def pair(postgres: TestDatabase) -> AsyncIterator[tuple[Store, Store]]:
    first, second = Store(postgres.url), Store(postgres.url)
    await first.open()
    await second.open()
    yield first, second
    await second.close()
    await first.close()


async def heard(store: Store, count: int) -> None:
    """Wait (at most 5 s) until `store` has handled `count` notifications."""
    for _ in range(500):
        if store.changes.heard >= count:
            await store.changes.settled()
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"heard {store.changes.heard} of {count} notifications")


async def test_consent_and_forget_reach_the_other_processs_cache(
    pair: tuple[Store, Store],
) -> None:
    first, second = pair
    await first.privacy.set_consent(GUILD, 7, "agreed", 1.0)
    assert await second.privacy.consent(GUILD, 7) == "agreed"  # now cached there
    await first.privacy.set_consent(GUILD, 7, "declined", 2.0)
    await heard(second, 2)
    assert await second.privacy.consent(GUILD, 7) == "declined"
    await first.privacy.forget(GUILD, 7, 3.0)
    await heard(second, 3)
    assert await second.privacy.consent(GUILD, 7) is None
    # A process ignores its own notifications.
    assert first.changes.heard == 0


async def test_server_settings_and_library_reach_the_other_process(
    pair: tuple[Store, Store],
) -> None:
    first, second = pair
    settings = Settings()
    shipped = Catalog.load([Path("activities")], settings.media_dir)
    services = [
        (
            GuildSettingsService(store, utcnow, settings),
            GuildLibrary(store, utcnow, shipped, settings.servers),
        )
        for store in pair
    ]
    for guild_settings, library in services:
        await guild_settings.load()
        await library.load()
    (settings_a, library_a), (settings_b, library_b) = services
    assert settings_b.for_guild(GUILD).timezone == "UTC"

    await settings_a.change(GUILD, 7, "timezone", "Europe/Berlin")
    await library_a.upload(GUILD, 7, "feed-test.yaml", ACTIVITY)
    await heard(second, 2)
    assert settings_b.for_guild(GUILD).timezone == "Europe/Berlin"
    found = library_b.get(GUILD, "feed-test")
    assert found is not None and found.title == "Feed test"

    await library_a.delete(GUILD, "feed-test")
    await settings_a.change(GUILD, 7, "timezone", None)
    await heard(second, 4)
    assert library_b.get(GUILD, "feed-test") is None
    assert settings_b.for_guild(GUILD).timezone == "UTC"
    assert first.changes.heard == 0
