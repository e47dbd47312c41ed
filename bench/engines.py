"""7. Durable check-ins on each engine, in the same run: SQLite and PostgreSQL.

10,000 members (500 sessions of 20) answer a posted check-in step at once through
CheckinService.answer_step, the call the check-in button makes; each answer is acknowledged only
after its group commit. Baselines on each engine, in the same run: the naive design, one
transaction per check-in (SQLite: aiosqlite execute + commit with WAL and synchronous=NORMAL;
PostgreSQL: asyncpg BEGIN / INSERT / COMMIT on one connection).

PostgreSQL is measured when CHORUS_BENCH_POSTGRES_URL or CHORUS_TEST_POSTGRES_URL names a
server (`.ci/run` starts one); each run gets a fresh schema, dropped afterwards. Without a URL
the PostgreSQL rows are skipped and the reason printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from bench.checkins import (
    _INSERT_CHECKIN,
    _INSERT_CONTRIBUTION,
    _burst,
    _ceiling,
    _naive,
    _post_steps,
    _rows,
)
from bench.common import Row, percentile
from bench.world import clock, open_store, populate, shipped_catalog
from bot.core.checkin_service import CheckinService
from bot.gc_tuning import tune_garbage_collector
from bot.settings import CheckinSettings
from bot.store.engine import render_postgres

SESSIONS = 500
MEMBERS = 20
NAIVE_COUNT = 3000
URL_ENVS = ("CHORUS_BENCH_POSTGRES_URL", "CHORUS_TEST_POSTGRES_URL")


def _postgres_url() -> str | None:
    for name in URL_ENVS:
        if os.environ.get(name):
            return os.environ[name]
    return None


def _in_schema(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode({"search_path": schema})) if q)
    return urlunsplit(parts._replace(query=query))


@dataclass(frozen=True)
class Durable:
    """One burst of everyone at once: check-ins/s (wall), p99 ms, commits, check-ins per
    second of the bot process's own CPU time (steadier than wall time on a shared machine), and
    on a PostgreSQL server on this machine the CPU microseconds its backends spent per check-in
    (None otherwise)."""

    rate: float
    p99_ms: float
    commits: int
    per_cpu_second: float
    server_us: float | None = None


def _cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU seconds of processes on this machine (/proc), None if any is missing
    (a server on another machine)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


async def _backends(store: Any) -> list[int]:
    """The process ids of the PostgreSQL backends connected to the benchmark's database."""
    rows = await store.db.fetch_all(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
    )
    return [int(r[0]) for r in rows]


async def _durable(target: str) -> Durable:
    store, runner = await open_store(target)
    try:
        activity = shipped_catalog().activities["opening-checkin"]
        opened = await populate(store, runner, activity, SESSIONS, MEMBERS)
        await _post_steps(store, opened, runner)
        service = CheckinService(store, clock, runner, CheckinSettings())
        work = [(o.run.id, uid) for o in opened if o.run is not None for uid in o.members]
        backends = await _backends(store) if store.db.engine == "postgresql" else []
        server = _cpu_seconds(backends) if backends else None
        before = store.db.writer.batches
        cpu = time.process_time()
        seconds, latencies = await _burst(service, work)
        cpu = time.process_time() - cpu
        after = _cpu_seconds(backends) if server is not None else None
        server_us = None if after is None or server is None else (after - server) / len(work) * 1e6
        commits = store.db.writer.batches - before
        stored = await store.checkins.count()
        assert stored == len(work), f"{stored} check-ins stored, {len(work)} submitted"
        return Durable(
            len(work) / seconds,
            percentile(latencies, 99) * 1000,
            commits,
            len(work) / cpu,
            server_us,
        )
    finally:
        await store.close()


async def _naive_postgres(url: str, count: int) -> float:
    """One transaction per check-in on one asyncpg connection, all submitted at once."""
    import asyncpg

    checkins, _ = _rows([(0, 20_000_000 + n) for n in range(count)], time.time())
    sql, _ = render_postgres(_INSERT_CHECKIN)
    conn: Any = await asyncpg.connect(url)
    lock = asyncio.Lock()

    async def one(row: tuple[object, ...]) -> None:
        async with lock, conn.transaction():
            await conn.execute(sql, *row)

    try:
        start = time.perf_counter()
        await asyncio.gather(*(one(row) for row in checkins))
        return count / (time.perf_counter() - start)
    finally:
        await conn.close()


async def _ceiling_postgres(url: str, count: int) -> float:
    """Plain asyncpg: the same check-in and contribution rows, executemany, one transaction."""
    import asyncpg

    checkins, contributions = _rows([(0, 40_000_000 + n) for n in range(count)], time.time())
    conn: Any = await asyncpg.connect(url)
    try:
        run_id = await conn.fetchval("SELECT MIN(id) FROM activity_runs")
        contributions = [(run_id, *c[1:]) for c in contributions]
        checkin_sql, _ = render_postgres(_INSERT_CHECKIN)
        contribution_sql, _ = render_postgres(_INSERT_CONTRIBUTION)
        start = time.perf_counter()
        async with conn.transaction():
            await conn.executemany(checkin_sql, checkins)
            await conn.executemany(contribution_sql, contributions)
        return count / (time.perf_counter() - start)
    finally:
        await conn.close()


async def _postgres(url: str) -> tuple[Durable, float, float]:
    import asyncpg

    schema = f"chorus_bench_{uuid.uuid4().hex[:10]}"
    admin: Any = await asyncpg.connect(url)
    # An earlier benchmark (queries' 1M-row copy) leaves the server flushing dirty buffers for
    # a minute or more; measured then, PostgreSQL's figure is the previous benchmark's load.
    # A CHECKPOINT (superuser or pg_checkpoint) writes them out first.
    with contextlib.suppress(asyncpg.InsufficientPrivilegeError):
        await admin.execute("CHECKPOINT")
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        target = _in_schema(url, schema)
        durable = await _durable(target)
        naive = await _naive_postgres(target, NAIVE_COUNT)
        ceiling = await _ceiling_postgres(target, SESSIONS * MEMBERS)
        return durable, naive, ceiling
    finally:
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


async def _run(tmp: Path) -> list[Row]:
    tune_garbage_collector()
    name = "7 engines"
    at_once = f"{SESSIONS * MEMBERS:,} at once"
    lite = await _durable(f"sqlite:///{tmp / 'lite.db'}")
    lite_rate, lite_p99, lite_commits = lite.rate, lite.p99_ms, lite.commits
    work = [(0, 30_000_000 + n) for n in range(NAIVE_COUNT)]
    naive_lite, _ = await _naive(tmp / "lite.db", work, wal=True)
    ceiling_lite = _ceiling(
        tmp / "lite.db", [(0, 50_000_000 + n) for n in range(SESSIONS * MEMBERS)]
    )
    rows = [
        Row(
            name,
            f"SQLite, {at_once}: durable check-ins/s",
            lite_rate,
            "/s",
            "naive txn per check-in (WAL)",
            naive_lite,
            target="#21: >= 10,000/s",
            met=lite_rate >= 10_000,
            extra={"p99_ms": lite_p99, "commits": lite_commits},
        ),
        Row(
            name,
            "  SQLite vs its ceiling",
            lite_rate,
            "/s",
            "sqlite3 executemany",
            ceiling_lite,
            target="#28: >= 25% of the ceiling",
            met=lite_rate >= 0.25 * ceiling_lite,
            notes="ratio = share of the single-transaction ceiling",
        ),
        Row(name, "  SQLite p99 latency", lite_p99, "ms", higher_is_better=False),
        Row(
            name,
            "  SQLite check-ins per CPU-second",
            lite.per_cpu_second,
            "/s",
            notes="the bot process's own CPU time during the burst",
        ),
    ]
    url = _postgres_url()
    if url is None:
        print(
            "engines: PostgreSQL rows skipped: set CHORUS_BENCH_POSTGRES_URL (or"
            " CHORUS_TEST_POSTGRES_URL) to a server, e.g. postgresql://chorus@127.0.0.1:5432/chorus",
            file=sys.stderr,
        )
        return rows
    pg, naive_pg, ceiling_pg = await _postgres(url)
    pg_rate, pg_p99, pg_commits = pg.rate, pg.p99_ms, pg.commits
    rows += [
        Row(
            name,
            f"PostgreSQL, {at_once}: durable check-ins/s",
            pg_rate,
            "/s",
            "naive txn per check-in (asyncpg)",
            naive_pg,
            target="#21: >= 5,000/s and >= 50% of SQLite",
            met=pg_rate >= 5_000 and pg_rate >= 0.5 * lite_rate,
            notes=f"{pg_rate / lite_rate:.0%} of SQLite's figure in this run",
            extra={"p99_ms": pg_p99, "commits": pg_commits},
        ),
        Row(
            name,
            "  PostgreSQL vs its ceiling",
            pg_rate,
            "/s",
            "asyncpg executemany",
            ceiling_pg,
            notes="ratio = share of the single-transaction ceiling",
        ),
        Row(name, "  PostgreSQL p99 latency", pg_p99, "ms", higher_is_better=False),
        Row(
            name,
            "  PostgreSQL check-ins per CPU-second",
            pg.per_cpu_second,
            "/s",
            notes="the bot process's own CPU time (the server's not counted)",
        ),
    ]
    if pg.server_us is not None:
        rows.append(
            Row(
                name,
                "  PostgreSQL server CPU per check-in",
                pg.server_us,
                "us",
                higher_is_better=False,
                notes="the database's backends (/proc; a server on this machine only)",
            )
        )
    return rows


def run() -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="chorus-bench-") as tmp:
        return asyncio.run(_run(Path(tmp)))
