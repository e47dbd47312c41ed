"""IDENTIFY turns across processes: one PostgreSQL advisory lock per identify bucket.

Discord lets one shard per `shard_id % max_concurrency` bucket IDENTIFY every 5 seconds,
across every process of the bot. `IdentifyGate` takes the bucket's advisory lock (polled with
`pg_try_advisory_lock` on one connection of its own, so a waiting shard never holds it) before
each IDENTIFY and lets it go `spacing` seconds later. A process that dies lets its locks go
with its connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

log = logging.getLogger(__name__)

IDENTIFY_SPACING = 5.0
"""Seconds Discord requires between two IDENTIFYs of one bucket."""
IDENTIFY_LOCK = 0x43686F73
"""First key of the identify advisory locks ("Chos"); the second is the bucket."""
IDENTIFY_POLL = 0.25


class IdentifyGate:
    """At most one IDENTIFY per bucket every `spacing` seconds across processes."""

    def __init__(
        self, dsn: str, max_concurrency: int = 1, spacing: float = IDENTIFY_SPACING
    ) -> None:
        self._dsn = dsn
        self._max_concurrency = max(1, max_concurrency)
        self._spacing = spacing
        self._conn: Any = None
        self._use = asyncio.Lock()
        self._releases: set[asyncio.Task[None]] = set()
        self._local: dict[int, asyncio.Lock] = {}

    async def _connection(self) -> Any:
        import asyncpg

        if self._conn is None or self._conn.is_closed():
            self._conn = await asyncpg.connect(self._dsn)
        return self._conn

    async def before_identify(self, shard_id: int) -> None:
        """Wait for the shard's bucket, hold it for `spacing` seconds from now (in the
        background), and return: the shard may IDENTIFY. Raises what asyncpg raises when
        PostgreSQL can't be reached."""
        bucket = shard_id % self._max_concurrency
        # PostgreSQL's advisory locks are re-entrant within one session: this process's own
        # shards take turns here first.
        local = self._local.setdefault(bucket, asyncio.Lock())
        await local.acquire()
        try:
            while True:
                async with self._use:
                    conn = await self._connection()
                    got = await conn.fetchval(
                        "SELECT pg_try_advisory_lock($1, $2)", IDENTIFY_LOCK, bucket
                    )
                if got:
                    break
                await asyncio.sleep(IDENTIFY_POLL)
        except BaseException:
            local.release()
            raise
        log.info("shard %s: identifying (bucket %s)", shard_id, bucket)
        task = asyncio.create_task(self._release_later(bucket, local))
        self._releases.add(task)
        task.add_done_callback(self._releases.discard)

    async def _release_later(self, bucket: int, local: asyncio.Lock) -> None:
        try:
            await asyncio.sleep(self._spacing)
            async with self._use:
                with contextlib.suppress(Exception):
                    await self._conn.execute(
                        "SELECT pg_advisory_unlock($1, $2)", IDENTIFY_LOCK, bucket
                    )
        finally:
            local.release()

    async def close(self) -> None:
        """Stop the pending releases and close the gate's connection; the session's advisory locks
        (the IDENTIFY turns it held) end with it. Never raises."""
        for task in list(self._releases):
            task.cancel()
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()  # ends the session: its advisory locks go with it
            self._conn = None
