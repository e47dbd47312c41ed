"""The prompt pools' history on both engines: one job reads the history and records the draw."""

from __future__ import annotations

import asyncio
import functools

from bot.core.pools import next_alternative
from bot.store.store import Store

GUILD, CHANNEL, OTHER = 900000000000000001, 700000000000000001, 700000000000000002


async def draw(store: Store, channel: int, now: float) -> int:
    return await store.pool_draws.draw(
        guild_id=GUILD,
        channel_id=channel,
        pool_key="sha256:test",
        pick=functools.partial(next_alternative, size=3),
        now=now,
    )


async def test_draws_at_once_in_a_channel_never_repeat_within_a_round(store: Store) -> None:
    drawn = await asyncio.gather(*(draw(store, CHANNEL, 10.0 + n) for n in range(3)))
    assert sorted(drawn) == [0, 1, 2]
    assert await store.pool_draws.history(CHANNEL, "sha256:test") == list(drawn)
    assert await store.pool_draws.history(OTHER, "sha256:test") == []
    assert await draw(store, OTHER, 20.0) in (0, 1, 2), "another channel has its own history"


async def test_retention_trims_old_draws(store: Store) -> None:
    for n in range(3):
        await draw(store, CHANNEL, 100.0 * (n + 1))
    assert await store.pool_draws.purge_before(250.0) == 2
    assert len(await store.pool_draws.history(CHANNEL, "sha256:test")) == 1


async def test_a_draw_never_shown_is_released(store: Store) -> None:
    """A step whose run write was refused is not entered: its draw goes back (see
    `StepMoves._release`), the channel's other draws kept."""
    first = await draw(store, CHANNEL, 10.0)
    second = await draw(store, CHANNEL, 11.0)

    async def release() -> bool:
        return await store.pool_draws.release(
            channel_id=CHANNEL, pool_key="sha256:test", alternative=second, drawn_at=11.0
        )

    assert await release()
    assert await store.pool_draws.history(CHANNEL, "sha256:test") == [first]
    assert not await release()
