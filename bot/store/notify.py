"""Caches that stay true across processes: PostgreSQL LISTEN/NOTIFY on one channel.

A process keeps hot reads in memory (consent, runs, each server's settings and activity
library). When one process changes something the others may hold, it publishes a topic with
the ids concerned (`consent 12 34`); every other process on the database hears it and drops
or reloads what it holds. On SQLite (one process) publishing does nothing.

A notification is sent inside the write that makes the change (`notify_in(conn, ...)`, i.e.
`pg_notify` in the same transaction): PostgreSQL delivers it when, and only when, that
transaction commits, so a listener never hears of a change before it is committed, and a process
that dies right after its commit has still told the others. A job the writer runs again (see
writer.py) is rolled back first, and its notification with it.

A listener that loses its connection may miss notifications meanwhile: it then forgets every
cached read and tells its subscribers (topic `*`), so nothing stale outlives the gap.
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
IDS_PER_NOTIFICATION = 300
"""At most 20 digits and a space each: well under PostgreSQL's 8,000-byte payload."""
EVERYTHING = "*"
"""The topic heard after the listener lost its connection (notifications may be missed)."""
Handler = Callable[[tuple[int, ...]], Awaitable[None] | None]


class ChangeFeed:
    """Publish what this process changed; run handlers for what the others changed."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.origin = uuid.uuid4().hex[:12]
        """This process's mark on its own notifications (it ignores them)."""
        self._handlers: dict[str, list[Handler]] = {}
        self._listener: Any = None
        self._dsn = ""
        self._closing = False
        self._pending: set[asyncio.Task[None]] = set()
        self.heard = 0
        """Notifications from other processes handled so far."""

    @property
    def application_name(self) -> str:
        """The listening connection's name in PostgreSQL (`pg_stat_activity`)."""
        return f"chorus-changes-{self.origin}"

    @property
    def shared(self) -> bool:
        """Whether other processes may share the database (PostgreSQL)."""
        return self._db.engine == "postgresql"

    def subscribe(self, topic: str, handler: Handler) -> None:
        """Call `handler(ids)` when another process publishes `topic`."""
        self._handlers.setdefault(topic, []).append(handler)

    async def notify_in(self, conn: Conn, topic: str, *ids: int) -> None:
        """Within a write job: tell the other processes about `topic` (with `ids`) when, and
        only if, the job's transaction commits. Nothing on SQLite (one process)."""
        if conn.engine != "postgresql":
            return
        # A notification carries under 8,000 bytes: many ids go in several.
        for start in range(0, max(len(ids), 1), IDS_PER_NOTIFICATION):
            chunk = ids[start : start + IDS_PER_NOTIFICATION]
            payload = " ".join([self.origin, topic, *(str(int(i)) for i in chunk)])
            await conn.execute("SELECT pg_notify(?, ?)", (CHANNEL, payload))

    async def publish(self, topic: str, *ids: int) -> None:
        """Tell the other processes about something with no write of its own (e.g. files
        reloaded), in a write job; a failure is logged. A change to the database notifies in
        its own job instead (`notify_in`)."""
        if not self.shared:
            return

        async def job(conn: Conn) -> None:
            await self.notify_in(conn, topic, *ids)

        try:
            await self._db.write(job, invalidate=())
        except StorageUnavailable as exc:
            log.warning("could not tell the other processes about %s %s: %s", topic, ids, exc)

    async def listen(self, dsn: str) -> None:
        """Start hearing the other processes (PostgreSQL only), on a connection of its own."""
        if not self.shared or self._listener is not None:
            return
        self._dsn = dsn
        await self._connect()

    async def _connect(self) -> None:
        import asyncpg

        # Named, so an operator (or a test) can tell each process's listener in pg_stat_activity.
        self._listener = await asyncpg.connect(
            self._dsn, server_settings={"application_name": self.application_name}
        )
        await self._listener.add_listener(CHANNEL, self._heard)
        self._listener.add_termination_listener(self._lost)

    def _lost(self, _conn: Any) -> None:
        """The listening connection ended: connect again, then treat everything as changed."""
        if self._listener is None or self._closing:
            return
        task = asyncio.ensure_future(self._reconnect())
        self._pending.add(task)
        task.add_done_callback(self._done)

    async def _reconnect(self) -> None:
        delay = 0.5
        while not self._closing:
            try:
                await self._connect()
                break
            except Exception as exc:  # any failure: the database is away
                log.warning("change feed: reconnecting in %.1f s (%s)", delay, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        log.warning("change feed: reconnected; dropping what this process kept in memory")
        self._dispatch(EVERYTHING, ())

    def _heard(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        parts = payload.split()
        if len(parts) < 2 or parts[0] == self.origin:
            return
        self.heard += 1
        self._dispatch(parts[1], tuple(int(p) for p in parts[2:]))

    def _dispatch(self, topic: str, ids: tuple[int, ...]) -> None:
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
        """Stop listening for other processes' changes and wait until the notices already received
        are handled. Never raises."""
        self._closing = True
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()
            self._listener = None
        await self.settled()
