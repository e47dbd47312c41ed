"""8. Start-up: from process start to "ready to answer" with 1,000 running sessions to resume.

A fresh process (the way `chorus run` starts) goes through the steps of ChorusBot.setup_hook in
their order, each timed: interpreter and imports, constructing the bot (the shipped catalog is
loaded then), the store (migrations), per-server settings and libraries, the cogs, the one-time
loads of `warm_up` (the pronunciation data, and starting the chart process, which warms up on its
own; a thread started first, awaited before resuming, as setup_hook does), and resuming the running sessions with the deadline timer
re-armed. Not measured: the gateway login and the slash-command sync, which need Discord
(`_sync_commands` syncs on every start today; skipping it when unchanged is not built yet).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

from bench.common import ROOT, Row
from bench.world import open_store, populate, shipped_catalog

SESSIONS = 1000
MEMBERS = 20

_CHILD = """
import time, sys
marks = [("interpreter", time.time())]
import asyncio, json
from pathlib import Path
from bot.app import create_bot
from bot.chorus_bot import COGS, warm_up
from bot.settings import Settings
marks.append(("imports", time.time()))

async def main(path: Path, root: Path) -> None:
    settings = Settings(database_path=path, media_dir=path.parent / "media",
                        activities_dirs=(root / "activities",))
    bot = create_bot(settings)
    marks.append(("construct bot + catalog", time.time()))
    warming = asyncio.create_task(asyncio.to_thread(warm_up))
    await bot.store.open()
    marks.append(("store open + migrations", time.time()))
    await bot.guild_settings.load()
    await bot.library.load()
    marks.append(("server settings + libraries", time.time()))
    for name in COGS:
        await bot.load_extension(name)
    marks.append(("cogs", time.time()))
    await warming
    marks.append(("warm_up (waited for)", time.time()))
    await bot.live.resume_all()
    await bot.run_timer.rearm()
    marks.append(("resume + re-arm", time.time()))
    cpu = time.process_time()
    live = len(await bot.store.runs.all_live())
    bot.run_timer.close()
    bot.live.close()
    await bot.store.close()
    print(json.dumps({"marks": marks, "live": live, "cpu": cpu}))

asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2])))
"""


async def _prepare(path: Path) -> None:
    store, runner = await open_store(path)
    activity = shipped_catalog().activities["opening-checkin"]
    opened = await populate(store, runner, activity, SESSIONS, MEMBERS)
    for n, o in enumerate(opened):
        assert o.run is not None
        await store.runs.set_step_message(o.run.id, 7_000_000 + n)  # posted before the restart
    await store.close()


def run() -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="chorus-bench-") as tmp:
        path = Path(tmp) / "chorus.db"
        asyncio.run(_prepare(path))
        started = time.time()
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), str(ROOT)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    marks: list[tuple[str, float]] = [("process start", started), *data["marks"]]
    total = marks[-1][1] - started
    rows = [
        Row(
            "8 start-up",
            f"process start to ready, {data['live']:,} sessions resumed",
            total,
            "s",
            higher_is_better=False,
            target="< 2 s",
            met=total < 2.0 and data["live"] == SESSIONS,
            notes="gateway login and command sync not included (they need Discord)",
        )
    ]
    rows.append(
        Row(
            "8 start-up",
            "  CPU-seconds of the bot process to ready",
            data["cpu"],
            "s",
            higher_is_better=False,
            notes="steadier than wall time on a shared machine; the chart process not included",
        )
    )
    for (_, before), (name, at) in pairwise(marks):
        rows.append(Row("8 start-up", f"  {name}", at - before, "s", higher_is_better=False))
    return rows
