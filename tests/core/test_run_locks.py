"""Per-run locks (bot/core/run_locks.py): one holder at a time, nothing kept once released."""

from __future__ import annotations

import asyncio

from bot.core.run_locks import RunLocks


async def test_one_holder_at_a_time_and_no_lock_kept_afterwards() -> None:
    locks = RunLocks()
    events: list[str] = []

    async def hold(name: str) -> None:
        async with locks.run(7):
            events.append(f"{name} in")
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            events.append(f"{name} out")

    await asyncio.gather(hold("a"), hold("b"), hold("c"))
    assert events == ["a in", "a out", "b in", "b out", "c in", "c out"]
    assert len(locks) == 0


async def test_a_failing_holder_releases_the_run() -> None:
    locks = RunLocks()
    try:
        async with locks.run(1):
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert len(locks) == 0
    async with locks.run(1):
        assert len(locks) == 1


async def test_holding_several_runs_in_any_order_cannot_deadlock() -> None:
    locks = RunLocks()
    done: list[tuple[int, ...]] = []

    async def hold(run_ids: tuple[int, ...]) -> None:
        async with locks.runs(run_ids):
            await asyncio.sleep(0)
            done.append(run_ids)

    await asyncio.wait_for(asyncio.gather(hold((1, 2)), hold((2, 1)), hold((2, 3, 1))), 5)
    assert sorted(done) == [(1, 2), (2, 1), (2, 3, 1)]
    assert len(locks) == 0
