"""Area 1: durability under kill -9.

A child process (kill9_child.py) runs the real store, session, runner and check-in service with
20 concurrent writers and prints each id once its write is acknowledged. The parent kills it with
SIGKILL at a random moment, 10 times on the same database file. After every kill the database
passes `PRAGMA integrity_check` and holds every acknowledged check-in, lyric line and attendance.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KILLS = 10
# Acknowledgements to wait for before the random moment is drawn (start-up is not the point).
WARM_UP = 30


def run_and_kill(db: Path, trial: int, rng: random.Random) -> list[str]:
    """Start the child, wait until it is writing, kill -9 it at a random moment; its acks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHORUS_", "DISCORD_"))}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.kill9_child", str(db), str(trial)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for raw in child.stdout:
            if not raw.endswith(b"\n"):
                break  # cut off by the kill: never acknowledged
            lines.append(raw.decode().strip())
            if len(lines) > WARM_UP:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(30), f"child never acknowledged a write: {child.stderr!r}"
        time.sleep(rng.uniform(0.0, 0.8))
        assert child.poll() is None, (child.stderr.read() if child.stderr else b"").decode()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        reader.join(10)
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()
    assert child.returncode == -signal.SIGKILL
    return lines


def test_acknowledged_writes_survive_kill_9(tmp_path: Path) -> None:
    db = tmp_path / "chorus.db"
    rng = random.Random(9)
    acked: dict[str, set[tuple[int, ...]]] = {"A": set(), "C": set(), "L": set()}
    for trial in range(KILLS):
        for line in run_and_kill(db, trial, rng):
            kind, *ids = line.split()
            if kind in acked:
                acked[kind].add(tuple(int(i) for i in ids))
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            attendance = set(conn.execute("SELECT session_id, user_id FROM attendance"))
            checkins = {(r[0],) for r in conn.execute("SELECT id FROM checkins")}
            contributions = {r[0] for r in conn.execute("SELECT id FROM contributions")}
            lines = {
                (int(key[1:]), song)
                for key, song in conn.execute("SELECT event_key, song_id FROM song_lines")
            }
        finally:
            conn.close()
        assert acked["A"] <= attendance, acked["A"] - attendance
        assert acked["C"] <= checkins, acked["C"] - checkins
        assert {c for c, _ in acked["L"]} <= contributions
        assert acked["L"] <= lines, acked["L"] - lines
    found = sum(len(v) for v in acked.values())
    print(
        f"kill9: {KILLS} kills, {found} acknowledged writes all found "
        f"({len(acked['C'])} check-ins, {len(acked['L'])} lyric lines, "
        f"{len(acked['A'])} attendance rows), integrity_check ok {KILLS}/{KILLS}"
    )
    assert min(len(v) for v in acked.values()) >= 100
