"""The lease keeper of a sharded process: which shards' unposted steps it recovers (only those
taken from a dead holder) and which guilds' timers it fires. Each "process" is its own Store on
one database of each engine (the `two` fixture)."""

from __future__ import annotations

from pathlib import Path

from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.settings import Settings
from bot.shards import LeaseKeeper, identify_gate, process_name, shard_of, start_leases
from bot.store.runs import ShardScope
from bot.store.store import Store
from tests.store.test_shard_leases import SHARDS, Clock, guild_on, nothing


async def two_keepers(two: tuple[Store, Store], clock: Clock) -> tuple[LeaseKeeper, LeaseKeeper]:
    """Process "a" at home on the even shards, "b" on the odd ones, each after its first beat."""
    first, second = two
    a = LeaseKeeper(first, clock, (0, 2, 4), SHARDS, on_beat=nothing, owner="a", ttl=6.0)
    b = LeaseKeeper(second, clock, (1, 3, 5), SHARDS, on_beat=nothing, owner="b", ttl=6.0)
    await a.beat()
    await b.beat()
    return a, b


async def test_only_shards_taken_from_a_dead_holder_have_their_unposted_steps_recovered(
    two: tuple[Store, Store],
) -> None:
    """A step is posted after its move committed by the process that moved it: the taker of
    a live holder's shard must not post it too; the taker of a dead holder's shard must."""
    clock = Clock()
    a, b = await two_keepers(two, clock)
    assert (a.recovering(), b.recovering()) == (
        frozenset({0, 2, 4}),
        frozenset({1, 3, 5}),
    )  # nobody held them
    assert a.recovering() == frozenset()  # each told once
    clock.tick(7)  # "b" died
    assert await a.beat() == set(range(SHARDS))
    assert a.recovering() == {1, 3, 5}
    # "b" returns while "a" (alive) holds its shards: "a" may be posting their steps.
    b2 = LeaseKeeper(two[1], clock, (1, 3, 5), SHARDS, on_beat=nothing, owner="b2", ttl=6.0)
    assert await b2.beat() == {1, 3, 5}
    assert b2.recovering() == frozenset()
    clock.tick(1)
    assert await a.beat() == {0, 2, 4}
    # Both die, nobody adopts: a returning process recovers its own shards (and adopts the
    # other's, dead too).
    clock.tick(20)
    b3 = LeaseKeeper(two[1], clock, (1, 3, 5), SHARDS, on_beat=nothing, owner="b3", ttl=6.0)
    assert await b3.beat() == set(range(SHARDS))
    assert b3.recovering() == set(range(SHARDS))
    recovers = b3.recovers(frozenset({3}))
    assert recovers(guild_on(3, 4)) and not recovers(guild_on(1, 4))


def test_a_guild_is_on_the_shard_discord_puts_it_on_and_each_process_has_its_own_name() -> None:
    # Discord's formula: (guild_id >> 22) % shard_count.
    assert shard_of(guild_on(4, 7), SHARDS) == 4
    assert shard_of(81384788765712384, 1) == 0
    assert shard_of(41771983423143937, 6) == (41771983423143937 >> 22) % 6
    assert process_name() != process_name()


async def test_a_keeper_fires_only_its_shards_guilds_and_a_close_hands_them_on_at_once(
    two: tuple[Store, Store],
) -> None:
    clock = Clock()
    a, b = await two_keepers(two, clock)
    assert a.held == {0, 2, 4} and a.scope() == ShardScope(frozenset({0, 2, 4}), SHARDS)
    assert a.holds(guild_on(2, 3)) and not a.holds(guild_on(3, 3))
    await a.close()
    assert a.held == frozenset() and not a.holds(guild_on(2, 3))
    # No time has passed, yet the survivor adopts them: the close let them lapse.
    assert await b.beat() == set(range(SHARDS))
    assert b.recovering() == set(range(SHARDS))


async def test_one_process_keeps_every_timer_and_needs_no_identify_gate(
    store: Store, tmp_path: Path
) -> None:
    settings = Settings(database_path=tmp_path / "chorus.db")
    runner = Runner(store, Clock(), step_handlers())
    assert await start_leases(settings, store, Clock(), runner, nothing) is None
    assert identify_gate(settings) is None
