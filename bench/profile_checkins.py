"""`python -m bench.profile_checkins [--plain] [postgresql://...]`: profile benchmark 7's burst.

10,000 members (500 sessions x 20) answer a posted check-in step at once through
CheckinService.answer_step, under cProfile; prints the rate, the bot process's CPU time, the
number of group commits, the CPU split by layer (own time of each function, summed per layer:
the table in BENCHMARKS.md) and the top functions by own time and by cumulative time. Without a
URL it runs on a SQLite file; with one, in a fresh schema of that PostgreSQL database (dropped
afterwards). For finding where the time goes, not a benchmark (cProfile slows Python ~2x);
times are this process's CPU time. With `--plain`, the same burst three times without the
profiler: CPU microseconds per answer (what the layer shares are applied to).
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import pstats
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.checkins import _burst, _post_steps
from bench.engines import _in_schema
from bench.world import clock, open_store, populate, shipped_catalog
from bot.core.checkin_service import CheckinService
from bot.gc_tuning import tune_garbage_collector
from bot.settings import CheckinSettings

SESSIONS = 500
MEMBERS = 20
PLAIN_BURSTS = 3

# Layers of the answer's path, by the file a function is defined in (first match wins).
LAYERS: tuple[tuple[str, str], ...] = (
    ("bot/core/checkin_service.py", "service (CheckinService.answer_step)"),
    ("bot/core/checkin_batch.py", "service: the batch (validation per run, outcomes)"),
    ("bot/core/checkin_saved.py", "service: the batch (validation per run, outcomes)"),
    ("bot/core/contributing.py", "runner (contribute, step and context)"),
    ("bot/core/step_moves.py", "runner (contribute, step and context)"),
    ("bot/core/runner.py", "runner (contribute, step and context)"),
    ("bot/core/", "core: step handlers, scales, clock"),
    ("bot/store/writer.py", "group-commit writer (queue, futures, batches)"),
    ("bot/store/database.py", "store: cache and write entry"),
    ("bot/store/engine.py", "store: engine seam (statements, batch tables)"),
    ("bot/store/", "store: repositories and jobs' Python (contribution, check-in, run update)"),
    ("bot/records/", "records (dataclasses)"),
    ("sqlite3", "SQLite itself (execute, fetch)"),
    ("asyncpg", "asyncpg (driver)"),
    ("asyncio", "asyncio (tasks, futures, the loop)"),
    ("bench/", "benchmark driver"),
)


def layer_of(key: tuple[str, int, str]) -> str:
    """The layer a pstats function key (file, line, name) belongs to."""
    filename, _, name = key
    text = f"{filename} {name}"
    if filename == "~":  # a built-in: by the method's owner when it names one
        text = name
    for needle, layer in LAYERS:
        if needle in text:
            return layer
    return "other (builtins, json, dataclasses, contextvars)"


def layers(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Own time per layer, largest first (seconds of profiled CPU)."""
    totals: dict[str, float] = {}
    # pstats keeps its table in an attribute typeshed leaves out.
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for key, (_, _, own, _, _) in raw.items():
        totals[layer_of(key)] = totals.get(layer_of(key), 0.0) + own
    return sorted(totals.items(), key=lambda item: -item[1])


async def _prepared(target: str) -> tuple[Any, CheckinService, list[tuple[int, int]]]:
    store, runner = await open_store(target)
    activity = shipped_catalog().activities["opening-checkin"]
    opened = await populate(store, runner, activity, SESSIONS, MEMBERS)
    await _post_steps(store, opened, runner)
    service = CheckinService(store, clock, runner, CheckinSettings())
    work = [(o.run.id, uid) for o in opened if o.run is not None for uid in o.members]
    return store, service, work


async def _profile(target: str) -> None:
    store, service, work = await _prepared(target)
    try:
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
    split = layers(stats)
    whole = sum(own for _, own in split) or 1.0
    print("\nOwn CPU time by layer (profiled):")
    for layer, own in split:
        print(f"  {own:7.3f} s  {own / whole:5.1%}  {layer}")
    # pstats keeps its table in an attribute typeshed leaves out.
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    others = sorted(
        ((v[2], k) for k, v in raw.items() if layer_of(k).startswith("other (")), reverse=True
    )
    print("  of which 'other': " + ", ".join(f"{k[2]} {own:.3f} s" for own, k in others[:8]))
    print()
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(45)


async def _plain(target: str) -> None:
    """CPU microseconds per answer of the unprofiled burst (fresh data each time)."""
    sqlite = target.startswith("sqlite")
    for attempt in range(PLAIN_BURSTS if sqlite else 1):
        here = target.replace(".db", f"-{attempt}.db") if sqlite else target
        store, service, work = await _prepared(here)
        try:
            cpu = time.process_time()
            seconds, _ = await _burst(service, work)
            cpu = time.process_time() - cpu
        finally:
            await store.close()
        print(
            f"burst {attempt + 1}: {len(work) / seconds:,.0f} check-ins/s, CPU {cpu:.3f} s,"
            f" {cpu / len(work) * 1e6:.1f} us of CPU per answer"
        )


async def _spy(target: str) -> None:
    """The burst sampled by py-spy (`pip install py-spy`), attached for the burst only: a
    sampling profiler doesn't slow Python down, so its split is the unprofiled one. Prints
    the samples by layer (the innermost frame of ours in each sample) and writes the raw
    stacks to SPY_OUT."""
    store, service, work = await _prepared(target)
    spy = _start_spy()
    await asyncio.sleep(2.0)  # let it attach
    try:
        cpu = time.process_time()
        seconds, _ = await _burst(service, work)
        cpu = time.process_time() - cpu
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait()
        await store.close()
    print(
        f"{len(work) / seconds:,.0f} check-ins/s (sampled), CPU {cpu:.3f} s,"
        f" {cpu / len(work) * 1e6:.1f} us of CPU per answer"
    )
    totals = _spy_split()
    whole = sum(totals.values()) or 1
    for layer, count in sorted(totals.items(), key=lambda item: -item[1]):
        share = count / whole
        print(f"  {share:5.1%}  {share * cpu / len(work) * 1e6:5.1f} us  {layer}")


SPY_OUT = Path(tempfile.gettempdir()) / "chorus-spy.txt"


def _start_spy() -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(os.getpid())]
    command += ["--rate", "1000", "--format", "raw", "--output", str(SPY_OUT), "--nonblocking"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _spy_split() -> dict[str, int]:
    """Samples per layer, of the burst's tasks and the group commit only (not the idle loop)."""
    totals: dict[str, int] = {}
    for line in SPY_OUT.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if "_burst" not in stack and "_flush" not in stack:
            continue
        layer = _spy_layer(stack)
        totals[layer] = totals.get(layer, 0) + int(count)
    return totals


def _spy_layer(stack: str) -> str:
    """The layer of a py-spy stack: its innermost frame that names one of our files, or the
    library that is running (sqlite3 calls show as our engine seam's lines)."""
    frames = stack.split(";")
    for frame in reversed(frames):
        for needle, layer in LAYERS:
            if needle in frame and needle not in ("asyncio", "sqlite3", "asyncpg"):
                return layer
        if "asyncio" in frame:
            return "asyncio (tasks, futures, the loop)"
    return "other"


async def _in_fresh_schema(url: str, body: Callable[[str], Any]) -> None:
    import asyncpg

    schema = f"chorus_profile_{uuid.uuid4().hex[:10]}"
    admin: Any = await asyncpg.connect(url)
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        await body(_in_schema(url, schema))
    finally:
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


def main(argv: list[str]) -> None:
    tune_garbage_collector()
    body = _plain if "--plain" in argv else _spy if "--spy" in argv else _profile
    urls = [a for a in argv if not a.startswith("--")]
    if urls:
        asyncio.run(_in_fresh_schema(urls[0], body))
        return
    with tempfile.TemporaryDirectory(prefix="chorus-profile-") as tmp:
        asyncio.run(body(f"sqlite:///{tmp}/profile.db"))


if __name__ == "__main__":
    main(sys.argv[1:])
