"""8. Start-up: from process start to "ready to answer" with 1,000 running sessions to resume.

The database is prepared the way a running deployment leaves it: a first start under simcord
(the real bot, simulated Discord) uploads the slash commands, which stores their hash; then
1,000 open sessions with posted, running steps. Then a fresh process (as `chorus run` starts)
builds the bot and runs the real `ChorusBot.setup_hook` (what discord.py runs after login),
whose own marks (`bot/startup_times.py`) give the parts: constructing the bot (the shipped
catalog), the store (migrations), leases, server settings and libraries, the cogs, the command
sync (skipped: the commands are unchanged since the first start), resuming the 1,000 sessions
and re-arming the deadline timer. Ready is the end of setup_hook; the gateway login and READY
need Discord and are not included. `warm_up` (the pronunciation data, the chart process) runs in
a thread after ready, while discord.py connects; when it finished is reported too.

The process runs with bytecode (an installed package's `.pyc`, which `pip install` writes): one
untimed start first writes it into a throwaway `PYTHONPYCACHEPREFIX`, then three timed starts,
each on a fresh copy of the prepared database; the median (by wall time) is reported.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, Row
from bench.world import open_store, populate, shipped_catalog

SESSIONS = 1000
MEMBERS = 20
TIMED_STARTS = 3

_CHILD = """
import time
started = time.time()
import asyncio, json, sys
from pathlib import Path
from bot.app import create_bot
from bot.settings import Settings

async def main(path: Path, root: Path, application_id: int) -> None:
    settings = Settings(database_path=path, media_dir=path.parent / "media",
                        activities_dirs=(root / "activities",))
    bot = create_bot(settings, application_id=application_id)
    await bot.setup_hook()
    ready, cpu = time.time(), time.process_time()
    assert bot.warming is not None
    await bot.warming
    warmed = time.time()
    live = len(await bot.store.runs.all_live())
    bot.run_timer.close()
    bot.live.close()
    await bot.store.close()
    parts = [(p.name, p.wall, p.cpu) for p in bot.startup.parts]
    print(json.dumps({"started": started, "ready": ready, "warmed": warmed, "cpu": cpu,
                      "before_cpu": bot.startup.before_cpu, "parts": parts, "live": live}))

asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])))
"""


def _settings(path: Path) -> Any:
    from bot.settings import Settings

    return Settings(
        database_path=path, media_dir=path.parent / "media", activities_dirs=(ROOT / "activities",)
    )


async def _first_start(path: Path) -> tuple[int, int]:
    """Start the bot once under simcord (it uploads its commands): (application id, uploads)."""
    import simcord

    from bot.app import create_bot

    bot = create_bot(_settings(path))
    env = simcord.Env(bot, check_errors=False)
    await env.start()
    uploads = sum(
        1 for r in env.http_requests if r.method == "PUT" and r.path.endswith("/commands")
    )
    application_id = bot.application_id
    await env.shutdown()
    await bot.store.close()
    assert application_id is not None
    return application_id, uploads


async def _sessions(path: Path) -> None:
    store, runner = await open_store(path)
    activity = shipped_catalog().activities["opening-checkin"]
    opened = await populate(store, runner, activity, SESSIONS, MEMBERS)
    for n, o in enumerate(opened):
        assert o.run is not None
        await store.runs.set_step_message(o.run.id, 7_000_000 + n)  # posted before the restart
    await store.close()


def _start(prepared: Path, run: Path, application_id: int, env: dict[str, str]) -> dict[str, Any]:
    """One start of a fresh process on a copy of the prepared database."""
    run.mkdir()
    for file in prepared.parent.glob(prepared.name + "*"):
        shutil.copy(file, run / file.name)
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(run / prepared.name), str(ROOT), str(application_id)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    data: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    data["process_start"] = started
    return data


def run() -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="chorus-bench-") as tmp:
        prepared = Path(tmp) / "prepared" / "chorus.db"
        prepared.parent.mkdir()
        application_id, first_uploads = asyncio.run(_first_start(prepared))
        asyncio.run(_sessions(prepared))
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "bytecode")
        _start(prepared, Path(tmp) / "untimed", application_id, env)  # writes the bytecode
        starts = [
            _start(prepared, Path(tmp) / f"run-{n}", application_id, env)
            for n in range(TIMED_STARTS)
        ]
    walls = [s["ready"] - s["process_start"] for s in starts]
    data = starts[walls.index(statistics.median_low(walls))]
    total = data["ready"] - data["process_start"]
    parts: list[tuple[str, float, float]] = [tuple(p) for p in data["parts"]]
    skipped = any(name.startswith("command sync") and "not uploaded" in name for name, *_ in parts)
    rows = [
        Row(
            "8 start-up",
            f"process start to ready, {data['live']:,} sessions resumed",
            total,
            "s",
            higher_is_better=False,
            target="< 2 s",
            met=total < 2.0 and data["live"] == SESSIONS and skipped,
            notes=(
                f"median of {TIMED_STARTS} starts ({', '.join(f'{w:.2f}' for w in walls)} s); "
                "gateway login and READY not included (they need Discord)"
            ),
        ),
        Row(
            "8 start-up",
            "  CPU-seconds of the bot process to ready",
            data["cpu"],
            "s",
            higher_is_better=False,
            notes="steadier than wall time on a shared machine",
        ),
        Row(
            "8 start-up",
            "  interpreter",
            data["started"] - data["process_start"],
            "s",
            higher_is_better=False,
        ),
    ]
    in_parts = sum(wall for _, wall, _ in parts)
    imports = data["ready"] - data["started"] - in_parts
    rows.append(
        Row(
            "8 start-up",
            f"  imports (CPU {data['before_cpu']:.2f} s with the interpreter)",
            imports,
            "s",
            higher_is_better=False,
            notes="bot.app: discord.py, aiohttp, pydantic and the activity models, our modules",
        )
    )
    for name, wall, cpu in parts:
        rows.append(
            Row("8 start-up", f"  {name} (CPU {cpu:.2f} s)", wall, "s", higher_is_better=False)
        )
    rows.append(
        Row(
            "8 start-up",
            "  warm_up done after ready (in a thread)",
            data["warmed"] - data["ready"],
            "s",
            higher_is_better=False,
            notes="while discord.py logs in and connects; no interaction arrives before READY",
        )
    )
    rows.append(
        Row(
            "8 start-up",
            "  command uploads: first start / each timed start",
            first_uploads,
            "",
            target="1 / 0",
            met=first_uploads == 1 and skipped,
            notes="the timed starts' sync part says whether it uploaded",
        )
    )
    return rows
