"""A server's settings on both engines: one job reads the old value, writes the new one and
records the change; setting the same value again records nothing; None resets to the default."""

from __future__ import annotations

from bot.store.store import Store


async def test_each_change_is_recorded_with_the_value_it_replaced(store: Store) -> None:
    settings = store.guild_settings
    first = await settings.change(1, "timezone", '"Europe/Berlin"', changed_by=7, now=10.0)
    assert first is not None and (first.old_value, first.new_value) == (None, '"Europe/Berlin"')
    assert await settings.change(1, "timezone", '"Europe/Berlin"', changed_by=8, now=11.0) is None
    second = await settings.change(1, "timezone", '"Europe/Madrid"', changed_by=8, now=12.0)
    assert second is not None and second.old_value == '"Europe/Berlin"'
    await settings.change(2, "language", '"de"', changed_by=9, now=13.0)
    assert await settings.overrides(1) == {"timezone": '"Europe/Madrid"'}
    assert await settings.all_overrides() == {
        1: {"timezone": '"Europe/Madrid"'},
        2: {"language": '"de"'},
    }
    reset = await settings.change(1, "timezone", None, changed_by=7, now=14.0)
    assert reset is not None and (reset.old_value, reset.new_value) == ('"Europe/Madrid"', None)
    assert await settings.overrides(1) == {}
    history = await settings.history(1, limit=2)
    assert [(c.changed_by, c.new_value, c.changed_at) for c in history] == [
        (7, None, 14.0),
        (8, '"Europe/Madrid"', 12.0),
    ]


async def test_the_bots_own_facts_are_not_a_servers_settings(store: Store) -> None:
    # Guild 0 holds the bot's own facts (bot_state.py): never listed as a server's overrides.
    await store.guild_settings.change(0, "commands_hash", '"abc"', changed_by=0, now=1.0)
    await store.guild_settings.change(3, "timezone", '"UTC"', changed_by=7, now=2.0)
    assert await store.guild_settings.all_overrides() == {3: {"timezone": '"UTC"'}}


async def test_setting_change_records_old_and_new_and_skips_no_ops(store: Store) -> None:
    repo = store.guild_settings
    first = await repo.change(1, "language", '"de"', 7, 10.0)
    assert first is not None and (first.old_value, first.new_value) == (None, '"de"')
    assert await repo.change(1, "language", '"de"', 7, 11.0) is None
    reset = await repo.change(1, "language", None, 8, 12.0)
    assert reset is not None and (reset.old_value, reset.new_value) == ('"de"', None)
    assert await repo.overrides(1) == {}
    assert [c.changed_by for c in await repo.history(1, 10)] == [8, 7]
    assert await repo.history(2, 10) == []
