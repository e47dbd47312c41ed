"""6. Resume: 1,000 open sessions with running steps, resumed after a restart.

The real setup path of a new process on the same database: Store.open (migrations included),
LiveSessions.resume_all (posts only missing step messages: none here) and the deadline
run timer's re-arm. The bot is constructed but not connected. Baseline: the same with 10 sessions.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from bench.common import ROOT, Row, Timer
from bench.world import open_store, populate, shipped_catalog
from bot.app import create_bot
from bot.settings import Settings

SESSIONS = 1000
MEMBERS = 20


async def _resume(tmp: Path, sessions: int) -> tuple[float, bool, int]:
    path = tmp / f"resume-{sessions}.db"
    store, runner = await open_store(path)
    activity = shipped_catalog().activities["opening-checkin"]
    opened = await populate(store, runner, activity, sessions, MEMBERS)
    for n, o in enumerate(opened):
        assert o.run is not None
        await store.runs.set_step_message(o.run.id, 7_000_000 + n)  # posted before the crash
    deadlines = [o.run.step_deadline for o in opened if o.run is not None]
    await store.close()

    settings = Settings(
        database_path=path, activities_dirs=(ROOT / "activities",), media_dir=tmp / "media"
    )
    bot = create_bot(settings, catalog=shipped_catalog())
    with Timer() as t:
        await bot.store.open()
        await bot.live.resume_all()
        await bot.run_timer.rearm()
    live = await bot.store.runs.all_live()
    armed = bot.run_timer.armed_for
    ok = armed is not None and abs(armed - min(d for d in deadlines if d is not None)) < 1e-6
    ok = ok and all(r.wake_at is not None for r in live)
    bot.run_timer.close()
    bot.live.close()
    await bot.store.close()
    return t.seconds, ok, len(live)


async def _run(tmp: Path) -> list[Row]:
    small, _, _ = await _resume(tmp, 10)
    seconds, ok, live = await _resume(tmp, SESSIONS)
    return [
        Row(
            "6 resume",
            f"{live:,} running sessions resumed",
            seconds,
            "s",
            "10 sessions x 100",
            small * SESSIONS / 10,
            higher_is_better=False,
            target="< 2 s, every deadline kept",
            met=seconds < 2.0 and ok,
            notes="every deadline stored and the one timer armed for the earliest"
            if ok
            else "a deadline was lost",
        )
    ]


def run() -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="chorus-bench-") as tmp:
        return asyncio.run(_run(Path(tmp)))
