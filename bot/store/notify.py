"""Caches that stay true across processes: PostgreSQL LISTEN/NOTIFY on one channel.

A process keeps hot reads in memory (consent, runs, each server's settings and activity
library). When one process changes something the others may hold, it publishes a topic with
the ids concerned (`consent 12 34`); every other process on the database hears it and drops
or reloads what it holds. On SQLite (one process) publishing does nothing.

A notification is sent in its own short write right after the change committed; a process
that dies in between leaves the others' caches stale until their restart: the changes that
matter for care (consent, /forget) are also re-read by the process that serves the member, as
guilds belong to one process's shards.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from bot.records.errors import StorageUnavailable
from bot.store.database import Conn, Database

log = logging.getLogger(__name__)

CHANNEL = "chorus_changes"
Handler = Callable[[tuple[int, ...]], Awaitable[None] | None]


class ChangeFeed:
    """Publish what this process changed; run handlers for what the others changed."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.origin = uuid.uuid4().hex[:12]
        """This process's mark on its own notifications (it ignores them)."""
        self._handlers: dict[str, list[Handler]] = {}
        self._listener: Any = None
        self._pending: set[asyncio.Task[None]] = set()
        self.heard = 0
        """Notifications from other processes handled so far."""

    @property
    def shared(self) -> bool:
        """Whether other processes may share the database (PostgreSQL)."""
        return self._db.engine == "postgresql"

    def subscribe(self, topic: str, handler: Handler) -> None:
        """Call `handler(ids)` when another process publishes `topic`."""
        self._handlers.setdefault(topic, []).append(handler)

    async def publish(self, topic: str, *ids: int) -> None:
        """Tell the other processes (after the change committed); a failure is logged."""
        if not self.shared:
            return
        payload = " ".join([self.origin, topic, *(str(int(i)) for i in ids)])

        async def job(conn: Conn) -> None:
            await conn.execute("SELECT pg_notify(?, ?)", (CHANNEL, payload))

        try:
            await self._db.write(job)
        except StorageUnavailable as exc:
            # The change itself committed: the member is told it worked; the others' copies
            # are stale until the database is back and they reload (logged for the operator).
            log.warning("could not tell the other processes about %s %s: %s", topic, ids, exc)

    async def listen(self, dsn: str) -> None:
        """Start hearing the other processes (PostgreSQL only), on a connection of its own."""
        if not self.shared or self._listener is not None:
            return
        import asyncpg

        self._listener = await asyncpg.connect(dsn)
        await self._listener.add_listener(CHANNEL, self._heard)

    def _heard(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        parts = payload.split()
        if len(parts) < 2 or parts[0] == self.origin:
            return
        topic, ids = parts[1], tuple(int(p) for p in parts[2:])
        self.heard += 1
        for handler in self._handlers.get(topic, ()):
            result = handler(ids)
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(result)
                self._pending.add(task)
                task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._pending.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error(
                "a change from another process could not be applied", exc_info=task.exception()
            )

    async def settled(self) -> None:
        """Wait for the handlers of what was heard so far (for tests and shutdown)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)

    async def close(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()
            self._listener = None
        await self.settled()
