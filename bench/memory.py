"""4. Memory: a bot process with 1,000 open sessions, each running an activity with 20 members.

Measured in a fresh subprocess: RSS after imports + bot construction (the baseline), then after
creating the sessions, joins and runs through the real services and runner. RSS is measured in
a run without tracemalloc (its own record of every allocation is ~3x the live objects it
traces, and was counted in the per-session RSS until 2026-11-30); the live Python objects per
session come from a second run with tracemalloc on.

How the sessions fill matters more than what they hold: RSS keeps the high-water mark of a
burst (freed pymalloc pools stay resident while a long-lived object shares their arena). The
target row fills them as a live bot does, each circle's 20 members joining together and the
circles one after another, then starts the 1,000 activities in one burst; a third run joins all
20,000 members in one burst (how this benchmark filled them until 2026-11-30) and is reported
beside it. See BENCHMARKS.md, "Memory per session".
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

from bench.common import ROOT, Row

SESSIONS = 1000
MEMBERS = 20

_CHILD = """
import asyncio, json, sys, tracemalloc
from pathlib import Path

def rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0

async def main(tmp: Path) -> dict:
    from bot.app import create_bot
    from bot.settings import Settings
    from bench.world import populate, shipped_catalog
    settings = Settings(database_path=tmp / "chorus.db", media_dir=tmp / "media",
                        activities_dirs=(Path(sys.argv[2]) / "activities",))
    bot = create_bot(settings, catalog=shipped_catalog())
    await bot.store.open()
    import gc; gc.collect()
    base = rss()
    tracing = sys.argv[5] == "trace"
    if tracing:
        tracemalloc.start()
    activity = bot.catalog.activities["opening-checkin"]
    opened = await populate(
        bot.store, bot.runner, activity, int(sys.argv[3]), int(sys.argv[4]),
        joins_at_once=sys.argv[5] == "burst",
    )
    for o in opened:  # what a live bot holds per run: its parsed definition and context
        assert o.run is not None
        bot.runner.definition(o.run)
        await bot.store.sessions.present(o.session.id)
    gc.collect()
    current, peak = tracemalloc.get_traced_memory() if tracing else (0, 0)
    after = rss()
    await bot.store.close()
    return {"base": base, "after": after, "traced": current, "traced_peak": peak}

print(json.dumps(asyncio.run(main(Path(sys.argv[1])))))
"""


def _child(mode: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory(prefix="chorus-bench-") as tmp:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, tmp, str(ROOT), str(SESSIONS), str(MEMBERS), mode],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
    found: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def run() -> list[Row]:
    data = _child("rss")
    traced = _child("trace")
    burst = _child("burst")
    data["traced"], data["traced_peak"] = traced["traced"], traced["traced_peak"]
    data["rss_growth_with_tracemalloc"] = traced["after"] - traced["base"]
    data["burst_base"], data["burst_after"] = burst["base"], burst["after"]
    mb = 1024 * 1024
    per_session = (data["after"] - data["base"]) / SESSIONS
    per_session_burst = (burst["after"] - burst["base"]) / SESSIONS
    return [
        Row(
            "4 memory",
            f"RSS with {SESSIONS:,} sessions x {MEMBERS}",
            data["after"] / mb,
            "MB",
            "bot constructed, no sessions",
            data["base"] / mb,
            higher_is_better=False,
            target="< 200 MB",
            met=data["after"] < 200 * mb,
            notes="ratio = baseline / value",
            extra=data,
        ),
        Row(
            "4 memory",
            "  RSS growth per session",
            per_session / 1024,
            "KB",
            higher_is_better=False,
            target="<= 40 KB",
            met=per_session <= 40 * 1024,
            notes=f"{data['rss_growth_with_tracemalloc'] / SESSIONS / 1024:.1f} KB measured with "
            "tracemalloc on (its own bookkeeping included), as this row was until 2026-11-30",
        ),
        Row(
            "4 memory",
            f"  RSS growth per session, {SESSIONS * MEMBERS:,} joins at once",
            per_session_burst / 1024,
            "KB",
            higher_is_better=False,
            target="<= 40 KB",
            met=per_session_burst <= 40 * 1024,
            notes="the high-water of the join burst (the method of this row until 2026-11-30):"
            " freed pools stay resident where a long-lived object made amid the burst shares"
            " their arena",
        ),
        Row(
            "4 memory",
            "  RSS of a constructed bot (no sessions)",
            data["base"] / mb,
            "MB",
            higher_is_better=False,
            target="<= 80 MB",
            met=data["base"] <= 80 * mb,
        ),
        Row(
            "4 memory",
            "  tracemalloc live per session",
            data["traced"] / SESSIONS / 1024,
            "KB",
            notes=f"peak {data['traced_peak'] / mb:.1f} MB",
        ),
    ]
