"""`python -m bench.paced`: only benchmark 1's two paced rows (10,000/s over 2 s, 5,000/s over
4 s), each on 1,000 freshly set-up sessions, with the longest collector pass of each run.

For measuring the latency tail alone (benchmark 1 runs bursts, baselines and a cold start
around them); prints one line per pace, then how long a middle-generation collector pass takes
right after 1,000 sessions were set up (the ~100 ms pass that fell into paced runs before the
collector settled set-ups; whether a run catches one depends on where the collector's counters
stand).

A run that fails exits 1 with its traceback on stderr: a store the failure left open would
otherwise keep the interpreter waiting for ever on its connection thread (aiosqlite's worker
threads are not daemons), so every store is closed on the way out and the exit doesn't wait
for one that wasn't handed back (tests/bench/test_paced.py).
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench.checkins import PACED_SECONDS, SLOWER_SECONDS, _paced, _prepare
from bench.common import percentile
from bot.gc_tuning import settles, tune_garbage_collector


async def _run(tmp: Path) -> None:
    tune_garbage_collector()  # as `chorus run` does once the bot is built
    for seconds in (PACED_SECONDS, SLOWER_SECONDS):
        store, service, work = await _prepare(tmp / f"paced{seconds:.0f}.db")
        try:
            settled = (
                f"; settle after set-up {settles.last_seconds * 1000:.1f} ms"
                if settles.count
                else ""
            )
            _, latencies, pauses = await _paced(service, work, seconds)
        finally:
            await store.close()
        summary = pauses.summary()
        print(
            f"paced {len(work) / seconds:,.0f}/s: p50 {percentile(latencies, 50) * 1000:.2f} ms,"
            f" p99 {percentile(latencies, 99) * 1000:.2f} ms; longest GC pass"
            f" {summary['gc_longest_ms']:.1f} ms (generation"
            f" {summary['gc_longest_generation']:.0f}), {summary['gc_passes']:.0f} passes;"
            f" CPU {summary['cpu_share']:.0%}; load {os.getloadavg()[0]:.2f}{settled}",
            flush=True,
        )

    # Where a middle-generation pass would fall in the answer path: set up once more, then time
    # one such pass (it walks whatever survived young passes and is not frozen).
    store, _, _ = await _prepare(tmp / "middle.db")
    try:
        started = time.thread_time()
        gc.collect(1)
        took = time.thread_time() - started
    finally:
        await store.close()
    print(f"a middle-generation pass right after set-up: {took * 1000:.1f} ms", flush=True)


def main() -> None:
    """Run both paces; on a failure print the traceback and exit 1 at once (see the module's
    docstring: a store opened inside a failed set-up is never handed back to be closed)."""
    try:
        with tempfile.TemporaryDirectory(prefix="chorus-bench-") as tmp:
            asyncio.run(_run(Path(tmp)))
    except Exception:
        traceback.print_exc()
        print("bench.paced failed (exit 1)", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(1)  # not sys.exit: that waits for every non-daemon thread first


if __name__ == "__main__":
    main()
