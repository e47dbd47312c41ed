"""Shard leases on both engines: home shards taken, expired leases adopted by a survivor and
handed back, a clean stop lets them lapse at once. Each "process" is its own Store on one
database (the `two` fixture)."""

from __future__ import annotations

from bot.store.store import Store
from tests.store.test_shard_leases import SHARDS


async def test_a_survivor_adopts_dead_leases_and_hands_them_back(
    two: tuple[Store, Store],
) -> None:
    first, second = two
    a = await first.leases.beat("a", (0, 2, 4), SHARDS, now=0.0, ttl=6.0)
    b = await second.leases.beat("b", (1, 3, 5), SHARDS, now=0.0, ttl=6.0)
    assert (a, b) == (frozenset({0, 2, 4}), frozenset({1, 3, 5}))
    # "a" dies (no more beats); before its leases lapse nobody takes them.
    assert await second.leases.beat("b", (1, 3, 5), SHARDS, now=5.0, ttl=6.0) == {1, 3, 5}
    assert await second.leases.beat("b", (1, 3, 5), SHARDS, now=7.0, ttl=6.0) == set(range(6))
    # "a" restarts under a new name: it takes its home shards back ...
    assert await first.leases.beat("a2", (0, 2, 4), SHARDS, now=9.0, ttl=6.0) == {0, 2, 4}
    # ... and the survivor sees at its next beat that they are no longer its own.
    assert await second.leases.beat("b", (1, 3, 5), SHARDS, now=9.5, ttl=6.0) == {1, 3, 5}
    # A clean stop lets them lapse at once: the next beat of a survivor adopts them.
    await first.leases.release("a2")
    assert await second.leases.beat("b", (1, 3, 5), SHARDS, now=10.0, ttl=6.0) == set(range(6))
    homes = {lease.shard_id: lease.home for lease in await first.leases.all()}
    assert homes == {0: "a2", 1: "b", 2: "a2", 3: "b", 4: "a2", 5: "b"}
