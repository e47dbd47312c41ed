"""`python -m bench.profile_checkins [postgresql://...]`: profile benchmark 7's burst.

10,000 members (500 sessions x 20) answer a posted check-in step at once through
CheckinService.answer_step, under cProfile; prints the rate, the bot process's CPU time, the
number of group commits and the top functions by own time and by cumulative time. Without a URL
it runs on a SQLite file; with one, in a fresh schema of that PostgreSQL database (dropped
afterwards). For finding where the time goes, not a benchmark (cProfile slows Python ~2x);
times are this process's CPU time.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import sys
import tempfile
import time
import uuid
from typing import Any

from bench.checkins import _burst, _post_steps
from bench.engines import _in_schema
from bench.world import clock, open_store, populate, shipped_catalog
from bot.core.checkin_service import CheckinService
from bot.gc_tuning import tune_garbage_collector
from bot.settings import CheckinSettings

SESSIONS = 500
MEMBERS = 20


async def _profile(target: str) -> None:
    store, runner = await open_store(target)
    try:
        activity = shipped_catalog().activities["opening-checkin"]
        opened = await populate(store, runner, activity, SESSIONS, MEMBERS)
        await _post_steps(store, opened)
        service = CheckinService(store, clock, runner, CheckinSettings())
        work = [(o.run.id, uid) for o in opened if o.run is not None for uid in o.members]
        batches = store.db.writer.batches
        # Timed by this process's CPU clock: on a shared machine, wall time would charge other
        # processes' turns to whatever function was running.
        profile = cProfile.Profile(time.process_time)
        cpu = time.process_time()
        profile.enable()
        seconds, _ = await _burst(service, work)
        profile.disable()
        cpu = time.process_time() - cpu
        print(
            f"{len(work) / seconds:,.0f} check-ins/s (profiled), wall {seconds:.2f} s,"
            f" CPU {cpu:.2f} s, {store.db.writer.batches - batches} group commits"
        )
    finally:
        await store.close()
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


async def _in_fresh_schema(url: str) -> None:
    import asyncpg

    schema = f"chorus_profile_{uuid.uuid4().hex[:10]}"
    admin: Any = await asyncpg.connect(url)
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        await _profile(_in_schema(url, schema))
    finally:
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


def main(argv: list[str]) -> None:
    tune_garbage_collector()
    if argv:
        asyncio.run(_in_fresh_schema(argv[0]))
        return
    with tempfile.TemporaryDirectory(prefix="chorus-profile-") as tmp:
        asyncio.run(_profile(f"sqlite:///{tmp}/profile.db"))


if __name__ == "__main__":
    main(sys.argv[1:])
