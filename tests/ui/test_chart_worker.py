"""Charts are drawn in one child process: the bot process never imports matplotlib, and a
chart process that dies is replaced on the next chart."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from bot.ui import chart_worker, charts

ROOT = Path(__file__).resolve().parents[2]

_BOT_PROCESS = """
import json, sys
from bot.app import create_bot
from bot.core.goal_service import GoalProgress
from bot.ui import charts, goals
pngs = [
    charts.trend_chart([charts.Point(1.7e9, 5.0, "before")], [], "Yours", "en"),
    charts.distribution_chart(charts.Bands(("low", "high"), (3, 4), None, "Mood"), "en"),
    charts.trends_chart([charts.Week("1 Mar", 4, 0.5)], "Trends", "en"),
    goals.progress_chart([], "en"),
]
print(json.dumps({
    "matplotlib": sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib"),
    "png": [p.startswith(b"\\x89PNG") and len(p) > 5000 for p in pngs],
}))
"""


def test_the_bot_process_never_imports_matplotlib() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _BOT_PROCESS],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"matplotlib": [], "png": [True, True, True, True]}


def _one_chart() -> bytes:
    return charts.trend_chart([charts.Point(1.7e9, 5.0, "any")], [], "Yours", "en")


def test_a_killed_chart_process_is_replaced() -> None:
    first = _one_chart()
    workers = multiprocessing.active_children()
    assert workers, "the chart process is a child of this one"
    for worker in workers:
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(timeout=30)
    assert _one_chart() == first
    assert {w.pid for w in multiprocessing.active_children()}.isdisjoint(w.pid for w in workers)


def test_an_error_while_drawing_is_raised_to_the_caller_and_the_process_kept() -> None:
    _one_chart()
    before = {w.pid for w in multiprocessing.active_children()}
    with pytest.raises(AttributeError):
        chart_worker.draw("chart_drawing.no_such_chart")
    assert _one_chart().startswith(b"\x89PNG")
    assert {w.pid for w in multiprocessing.active_children()} == before


_CLOSING_BOT = """
import asyncio, json, multiprocessing, sys
from bot.app import create_bot
from bot.settings import Settings
from bot.ui import charts

async def main() -> None:
    bot = create_bot(Settings(database_path=sys.argv[1], media_dir=sys.argv[2]))
    await bot.store.open()
    await asyncio.to_thread(charts.trend_chart, [charts.Point(1.7e9, 5.0, "any")], [], "Yours", "en")
    running = [w.pid for w in multiprocessing.active_children()]
    await bot.close()
    print(json.dumps({"before": len(running), "after": [w.pid for w in multiprocessing.active_children()]}))

asyncio.run(main())
"""


def test_closing_the_bot_stops_the_chart_process(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CLOSING_BOT, str(tmp_path / "chorus.db"), str(tmp_path / "media")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"before": 1, "after": []}


def test_after_a_stop_the_next_chart_starts_a_new_process() -> None:
    first = _one_chart()
    before = {w.pid for w in multiprocessing.active_children()}
    chart_worker.stop()  # what a bot's close does
    assert multiprocessing.active_children() == []
    assert _one_chart() == first
    assert {w.pid for w in multiprocessing.active_children()}.isdisjoint(before)


def test_every_chart_the_bot_asks_for_takes_the_arguments_it_is_given() -> None:
    # The chart process calls `bot.ui.<module>.<function>(*args)`: positional arguments cross the
    # process boundary unchecked by mypy, so a keyword-only parameter or a wrong count would
    # fail only when a member asks for the chart (a merge once broke /mydata's chart so).
    import ast
    import importlib
    import inspect

    ui = Path(__file__).resolve().parents[2] / "bot" / "ui"
    source = "\n".join((ui / name).read_text() for name in ("charts.py", "goals.py"))
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "draw"
    ]
    assert len(calls) >= 5
    for call in calls:
        first = call.args[0]
        assert isinstance(first, ast.Constant) and isinstance(first.value, str)
        assert not call.keywords, f"{first.value}: keywords don't reach the chart process"
        module, _dot, name = first.value.rpartition(".")
        function = getattr(importlib.import_module(f"bot.ui.{module}"), name)
        inspect.signature(function).bind(*range(len(call.args) - 1))


def test_a_stop_ends_the_process_while_it_is_still_warming_up() -> None:
    # The warm-up (importing matplotlib, loading fonts) takes seconds: a stop right after the
    # start ends the process through the pool's own `terminate_workers` instead of waiting for
    # the warm-up chart, so the warm-up never delivers a PNG.
    chart_worker.stop()
    warming = chart_worker.start()
    started = {w.pid for w in multiprocessing.active_children()}
    chart_worker.stop()
    assert multiprocessing.active_children() == []
    assert warming.done()
    with pytest.raises((BrokenProcessPool, CancelledError)):
        warming.result()
    assert _one_chart().startswith(b"\x89PNG")
    assert {w.pid for w in multiprocessing.active_children()}.isdisjoint(started)


_KILLED_BOT = """
import sys
from bot.ui import charts
charts.trend_chart([charts.Point(1.7e9, 5.0, "any")], [], "Yours", "en")
print("drawn", flush=True)
sys.stdin.read()  # until it is killed
"""


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc: field 4 of /proc/<pid>/stat)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    """Not ended (an ended orphan may stay a zombie until an init reaps it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_bot_leaves_no_chart_process_or_resource_tracker_behind() -> None:
    """kill -9 of a bot process (the reliability tests do it; so does the out-of-memory
    killer): its chart process notices and ends, and with it multiprocessing's resource
    tracker, instead of both waiting for ever as orphans."""
    bot = subprocess.Popen(
        [sys.executable, "-c", _KILLED_BOT],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert bot.stdout is not None and bot.stdout.readline().strip() == "drawn"
        helpers = _children(bot.pid)
        assert len(helpers) == 2, helpers  # the chart process and the resource tracker
    finally:
        bot.kill()
        bot.wait(timeout=30)
    for _ in range(300):  # a hang guard of 30 s; they end within a second
        if not any(_running(pid) for pid in helpers):
            break
        time.sleep(0.1)
    assert [pid for pid in helpers if _running(pid)] == []
