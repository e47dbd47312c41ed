"""5. Queries at scale: 1,000,000 check-ins, 10,000 members, 5,000 sessions.

Generated quickly with plain sqlite3 executemany into the real schema (after migrations), then
queried through the real repositories and services. Baseline: the same queries on a database
with 1/100 of the rows (how well each query scales).

With a PostgreSQL URL (CHORUS_BENCH_POSTGRES_URL or CHORUS_TEST_POSTGRES_URL), both databases
are also copied into fresh PostgreSQL schemas with `chorus db copy`'s code (ids kept, counts and
checksums verified; the copy time is reported) and the same queries run there.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from bench.common import Row, median
from bench.engines import _in_schema, _postgres_url
from bench.world import clock, shipped_catalog
from bot.core.checkin_service import CheckinService
from bot.core.runner import Runner
from bot.settings import CheckinSettings
from bot.store.copy import copy_database
from bot.store.store import Store

GUILD = 1
REPEAT = 20


async def _create(path: Path, checkins: int, members: int, sessions: int) -> None:
    store = Store(path)
    await store.open()
    await store.close()
    rng = random.Random(7)
    definition = shipped_catalog().activities["opening-checkin"].model_dump_json()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL").fetchall()
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    start = 1_600_000_000.0
    conn.executemany(
        "INSERT INTO members (guild_id, user_id, display_name, consent) VALUES (?, ?, ?, 'agreed')",
        ((GUILD, 100 + m, f"member {m}") for m in range(members)),
    )
    conn.executemany(
        "INSERT INTO sessions (id, guild_id, channel_id, title, facilitator_id, status,"
        " started_at, ended_at) VALUES (?, ?, ?, ?, ?, 'ended', ?, ?)",
        (
            (s + 1, GUILD, 10 + s, f"Circle {s}", 100, start + s * 3600, start + s * 3600 + 3000)
            for s in range(sessions)
        ),
    )
    conn.executemany(
        "INSERT INTO activity_runs (id, session_id, activity_id, version_hash, definition,"
        " step_started_at, state, started_at) VALUES (?, ?, 'opening-checkin', 'x', ?, ?,"
        " 'finished', ?)",
        ((s + 1, s + 1, definition, start + s * 3600, start + s * 3600) for s in range(sessions)),
    )
    per_session = max(1, checkins // sessions)
    conn.executemany(
        "INSERT INTO attendance (session_id, user_id, joined_at, left_at) VALUES (?, ?, ?, ?)",
        (
            (s + 1, 100 + (s * 7 + k) % members, start + s * 3600, start + s * 3600 + 3000)
            for s in range(sessions)
            for k in range(min(per_session, 20))
        ),
    )

    def rows() -> Iterator[tuple[int | str | float, ...]]:
        for n in range(checkins):
            s = n % sessions
            uid = 100 + rng.randrange(members)
            yield (
                GUILD,
                uid,
                s + 1,
                s + 1,
                0,
                "0-10",
                "before" if n % 2 else "after",
                "mood",
                rng.randrange(11),
                start + s * 3600 + n % 3000,
            )

    conn.executemany(
        "INSERT INTO checkins (guild_id, user_id, session_id, run_id, step_index, scale, phase,"
        " measure, value, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    conn.executemany(
        "INSERT INTO contributions (run_id, step_index, author_id, kind, created_at, updated_at)"
        " VALUES (?, 0, ?, 'checkin', ?, ?)",
        (
            (s + 1, 100 + (s * 7 + k) % members, start, start)
            for s in range(sessions)
            for k in range(min(per_session, 20))
        ),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


async def _time(fn: Callable[[], Awaitable[object]], repeat: int = REPEAT) -> float:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - t)
    return median(samples) * 1000


async def _measure(path: Path | str, members: int, sessions: int) -> dict[str, float]:
    store = Store(path)
    await store.open()
    service = CheckinService(store, clock, Runner(store, clock, {}), CheckinSettings())
    session = await store.sessions.get(sessions // 2)
    assert session is not None
    out = {
        "history": await _time(lambda: service.reports.history(GUILD, 100 + members // 2, 100_000)),
        "report": await _time(lambda: service.reports.report(session, "en")),
        "session_history": await _time(lambda: store.sessions.history(GUILD, 10)),
    }
    victims = iter(range(100, 100 + members))

    async def forget() -> None:
        await store.privacy.forget(GUILD, next(victims), time.time())

    out["forget"] = await _time(forget, repeat=5)
    await store.close()
    return out


QUERIES = (
    ("history", "/checkin history (one member)", 5.0),
    ("report", "/session report", 20.0),
    ("forget", "/forget (one member)", 200.0),
    ("session_history", "/session history", 10.0),
)


async def _postgres(url: str, big: Path, small: Path) -> tuple[list[Row], float]:
    """The same databases copied into PostgreSQL, the same queries; (rows, copy seconds)."""
    import asyncpg

    admin: Any = await asyncpg.connect(url)
    schemas = [f"chorus_bench_q{n}_{uuid.uuid4().hex[:8]}" for n in range(2)]
    try:
        targets = []
        for schema, source in zip(schemas, (big, small), strict=True):
            await admin.execute(f'CREATE SCHEMA "{schema}"')
            target = _in_schema(url, schema)
            t = time.perf_counter()
            await copy_database(f"sqlite:///{source}", target, report=lambda _: None)
            if source == big:
                copied = time.perf_counter() - t
            await admin.execute(f'SET search_path = "{schema}"; ANALYZE')
            targets.append(target)
        at_scale = await _measure(targets[0], 10_000, 5_000)
        baseline = await _measure(targets[1], 10_000, 5_000)
    finally:
        for schema in schemas:
            await admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await admin.close()
    rows = [
        Row(
            "5 queries",
            f"PostgreSQL {label}",
            at_scale[key],
            "ms",
            "same on 10k check-ins",
            baseline[key],
            higher_is_better=False,
            target=f"< {limit:g} ms",
            met=at_scale[key] < limit,
        )
        for key, label, limit in QUERIES
    ]
    return rows, copied


async def _run(tmp: Path) -> list[Row]:
    big, small = tmp / "big.db", tmp / "small.db"
    t = time.perf_counter()
    await _create(big, 1_000_000, 10_000, 5_000)
    generated = time.perf_counter() - t
    await _create(small, 10_000, 10_000, 5_000)
    size = big.stat().st_size
    at_scale = await _measure(big, 10_000, 5_000)
    baseline = await _measure(small, 10_000, 5_000)
    rows = []
    for key, label, limit in (
        ("history", "/checkin history (one member)", 5.0),
        ("report", "/session report", 20.0),
        ("forget", "/forget (one member)", 200.0),
        ("session_history", "/session history", 10.0),
    ):
        rows.append(
            Row(
                "5 queries",
                label,
                at_scale[key],
                "ms",
                "same on 10k check-ins",
                baseline[key],
                higher_is_better=False,
                target=f"< {limit:g} ms",
                met=at_scale[key] < limit,
            )
        )
    rows.append(
        Row(
            "5 queries",
            "  database size (1M check-ins)",
            size / 1024 / 1024,
            "MB",
            notes=f"generated in {generated:.1f} s",
        )
    )
    url = _postgres_url()
    if url is None:
        print("queries: PostgreSQL rows skipped: no CHORUS_BENCH_POSTGRES_URL", file=sys.stderr)
        return rows
    # The SQLite figures first: the copies below read these files again (forget ran on them,
    # so 25 members fewer; the same on both engines).
    pg_rows, copied = await _postgres(url, big, small)
    pg_rows.append(
        Row(
            "5 queries",
            "  chorus db copy of the 1M database to PostgreSQL",
            copied,
            "s",
            higher_is_better=False,
            notes="every table, ids kept, counts and checksums verified",
        )
    )
    return rows + pg_rows


def run() -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="chorus-bench-") as tmp:
        return asyncio.run(_run(Path(tmp)))
