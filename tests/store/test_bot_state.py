"""The bot's own facts (the hash of the last command upload): one row every process shares."""

from __future__ import annotations

from bot.store.store import Store
from tests.engines import TestDatabase


async def test_a_fact_is_shared_by_every_process_on_the_database(engine: TestDatabase) -> None:
    one, two = Store(engine.url), Store(engine.url)
    await one.open()
    await two.open()
    try:
        assert await two.bot_state.get("command_tree:global") is None
        await one.bot_state.put("command_tree:global", "abc")
        assert await two.bot_state.get("command_tree:global") == "abc"
        await two.bot_state.put("command_tree:global", "def")  # replaced, not added
        assert await one.bot_state.get("command_tree:global") == "def"
        assert await one.bot_state.get("command_tree:5") is None
    finally:
        await two.close()
        await one.close()


async def test_the_bot_s_facts_are_no_server_s_settings(engine: TestDatabase) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        await store.bot_state.put("command_tree:global", "abc")
        await store.guild_settings.change(7, "language", '"de"', 1, 10.0)
        assert await store.guild_settings.all_overrides() == {7: {"language": '"de"'}}
    finally:
        await store.close()
