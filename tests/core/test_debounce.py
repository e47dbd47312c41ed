"""Bursts of refresh requests cost one edit per interval, and the last state is always shown."""

from __future__ import annotations

import asyncio
import itertools
import logging
import math
from collections import Counter
from collections.abc import Hashable

import pytest

from bot.core.debounce import Debouncer
from bot.records.errors import StorageUnavailable


async def test_a_burst_is_coalesced_and_the_last_request_is_honoured() -> None:
    runs: list[tuple[Hashable, float]] = []
    loop = asyncio.get_running_loop()

    async def action(key: Hashable) -> None:
        runs.append((key, loop.time()))

    interval = 0.05
    debouncer = Debouncer(interval, action)
    started = loop.time()
    for _ in range(50):
        debouncer.request("board")
        await asyncio.sleep(interval / 10)
    burst_end = loop.time()
    await asyncio.sleep(interval * 3)
    elapsed = burst_end - started
    # One leading run, then at most one per interval, plus the trailing one.
    assert 2 <= len(runs) <= math.ceil(elapsed / interval) + 2
    gaps = [b[1] - a[1] for a, b in itertools.pairwise(runs)]
    assert all(gap >= interval * 0.9 for gap in gaps)
    assert runs[-1][1] >= burst_end - interval  # the final state was shown after the burst


async def test_keys_are_independent_and_forget_cancels() -> None:
    seen: list[Hashable] = []

    async def action(key: Hashable) -> None:
        seen.append(key)

    debouncer = Debouncer(10.0, action)
    debouncer.request(1)
    debouncer.request(2)
    await asyncio.sleep(0.01)
    assert Counter(seen) == Counter([1, 2])
    debouncer.request(1)  # within the interval: scheduled for later
    debouncer.forget(1)
    debouncer.close()
    await asyncio.sleep(0.01)
    assert Counter(seen) == Counter([1, 2])


async def test_each_key_can_have_its_own_interval() -> None:
    """Each server's board edit interval (/setup board): one key slow, another fast."""
    runs: list[Hashable] = []

    async def action(key: Hashable) -> None:
        runs.append(key)

    intervals = {"slow": 0.2, "fast": 0.02}
    debouncer = Debouncer(1.0, action, intervals.__getitem__)
    for _ in range(2):
        debouncer.request("slow")
        debouncer.request("fast")
        await asyncio.sleep(0.05)
    assert runs.count("fast") == 2 and runs.count("slow") == 1
    await asyncio.sleep(0.25)
    assert runs.count("slow") == 2
    debouncer.close()


async def test_close_cancels_a_refresh_under_way() -> None:
    """At shutdown the store closes right after: a refresh still running must not reach it."""
    started, finished = asyncio.Event(), []
    never = asyncio.Event()

    async def action(key: Hashable) -> None:
        started.set()
        await never.wait()
        finished.append(key)

    debouncer = Debouncer(0.05, action)
    debouncer.request("board", delay=0)
    await asyncio.wait_for(started.wait(), 5)
    debouncer.close()
    never.set()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert finished == []


async def test_a_refresh_the_store_refuses_is_a_warning_not_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    done = asyncio.Event()

    async def action(key: Hashable) -> None:
        done.set()
        raise StorageUnavailable("pool is closing")

    debouncer = Debouncer(0.05, action)
    with caplog.at_level(logging.WARNING, logger="bot.core.debounce"):
        debouncer.request("board", delay=0)
        await asyncio.wait_for(done.wait(), 5)
        await asyncio.sleep(0)
    [record] = [r for r in caplog.records if r.name == "bot.core.debounce"]
    assert record.levelno == logging.WARNING
    assert "pool is closing" in record.getMessage()
    assert record.exc_info is None
