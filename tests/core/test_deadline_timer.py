"""One timer for all sessions: armed for the earliest deadline, re-armed after each wake."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.core.deadline_timer import DeadlineTimer


async def test_fires_at_the_earliest_deadline_and_rearms() -> None:
    loop = asyncio.get_running_loop()
    epoch = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    start = loop.time()

    def clock() -> datetime:
        return datetime.fromtimestamp(epoch + (loop.time() - start), UTC)

    deadlines = [epoch + 0.05, epoch + 0.1]
    fired: list[float] = []

    async def next_deadline() -> float | None:
        return min(deadlines) if deadlines else None

    async def on_due() -> None:
        now = clock().timestamp()
        fired.append(now)
        for d in [d for d in deadlines if d <= now]:
            deadlines.remove(d)

    timer = DeadlineTimer(clock, next_deadline, on_due)
    await timer.rearm()
    armed_first = timer.armed_for  # a copy: mypy would keep `timer.armed_for` narrowed
    assert armed_first == epoch + 0.05
    await asyncio.sleep(0.3)
    assert len(fired) == 2
    assert fired[0] >= epoch + 0.05 and fired[1] >= epoch + 0.1
    assert timer.armed_for is None
    timer.close()
    deadlines.append(epoch)
    await timer.rearm()
    assert timer.armed_for is None  # closed timers stay quiet


async def test_a_failing_wake_is_retried_after_a_pause_not_in_a_busy_loop() -> None:
    calls = 0
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def next_deadline() -> float | None:
        return 0.0 if calls < 3 else None

    async def on_due() -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError("boom")

    timer = DeadlineTimer(lambda: datetime.now(UTC), next_deadline, on_due, retry_after=0.02)
    await timer.rearm()
    await asyncio.sleep(0.01)
    assert calls == 1
    await asyncio.sleep(0.2)
    assert calls == 3
    assert loop.time() - started >= 0.04
