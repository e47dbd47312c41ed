"""One process of a sharded Chorus among several on one PostgreSQL database.

- **IDENTIFY**: Discord lets one shard per `shard_id % max_concurrency` bucket IDENTIFY every
  5 seconds, across every process of the bot. `IdentifyGate` takes a PostgreSQL advisory lock
  per bucket (polled with `pg_try_advisory_lock` on one connection of its own) before each
  IDENTIFY and lets it go 5 seconds later. No extra service.
- **Timers**: `LeaseKeeper` renews this process's shard leases every `HEARTBEAT` seconds, adopts
  a dead process's shards (their leases lapse after `LEASE_TTL`) and gives adopted shards back
  when their home process returns; after every beat it calls `on_beat`, which re-arms the timers
  from the store (deadlines another process moved, shards adopted).
- **Step messages a death left unposted**: a step is posted after its move committed, by the
  process that moved it. A process that takes a shard whose last holder is dead (adopted, or
  its own home shard after a crash with nobody adopting) posts that shard's missing step
  messages (`recovering`); one that takes a shard back from a live holder does not, since that
  holder may be posting them right now (a second post would show the step twice).

On SQLite (one process) none of this runs: the bot fires every timer itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable

from bot.core.clock import Clock, timestamp
from bot.core.runner import Runner
from bot.settings import Settings
from bot.store.identify import IdentifyGate
from bot.store.runs import ShardScope
from bot.store.store import Store

log = logging.getLogger(__name__)

HEARTBEAT = 2.0
"""Seconds between lease heartbeats."""
LEASE_TTL = 6.0
"""Seconds a lease lasts without a heartbeat: a survivor adopts a dead process's shards after
at most this plus one heartbeat."""


def process_name() -> str:
    """Unique while this process runs: host, pid and a random part (a restart is a new name)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord puts a guild on."""
    return (guild_id >> 22) % shard_count


class LeaseKeeper:
    """Holds this process's shard leases and knows which shards' timers it fires now."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        home_shards: tuple[int, ...],
        shard_count: int,
        on_beat: Callable[[], Awaitable[None]],
        *,
        owner: str | None = None,
        heartbeat: float = HEARTBEAT,
        ttl: float = LEASE_TTL,
    ) -> None:
        self.owner = owner or process_name()
        self._store = store
        self._clock = clock
        self._home = home_shards
        self.shard_count = shard_count
        self._on_beat = on_beat
        self._heartbeat = heartbeat
        self._ttl = ttl
        self._held: frozenset[int] = frozenset()
        self._recover: set[int] = set()
        self._task: asyncio.Task[None] | None = None

    def scope(self) -> ShardScope:
        """The shards whose guilds' timers this process fires now."""
        return ShardScope(self._held, self.shard_count)

    @property
    def held(self) -> frozenset[int]:
        """The shard ids whose lease this process holds now."""
        return self._held

    def holds(self, guild_id: int) -> bool:
        """Whether this process fires the guild's timers now."""
        return shard_of(guild_id, self.shard_count) in self._held

    def recovering(self) -> frozenset[int]:
        """The shards taken from a dead holder since the last call (their unposted step
        messages are this process's to post)."""
        found, self._recover = frozenset(self._recover), set()
        return found

    def recovers(self, shards: frozenset[int]) -> Callable[[int], bool]:
        """Whether a guild is on one of `shards`."""
        return lambda guild_id: shard_of(guild_id, self.shard_count) in shards

    async def beat(self) -> frozenset[int]:
        """One heartbeat now (see LeaseRepository.beat); the shards held afterwards."""
        now = timestamp(self._clock)
        live_elsewhere: set[int] = set()
        if not set(self._home) <= self._held:
            # Taking home shards: from a live survivor (it may be posting) or a dead holder.
            live_elsewhere = {
                lease.shard_id
                for lease in await self._store.leases.all()
                if lease.owner != self.owner and lease.expires_at > now
            }
        held = await self._store.leases.beat(
            self.owner, self._home, self.shard_count, now, self._ttl
        )
        self._recover |= held - self._held - live_elsewhere
        if held != self._held:
            adopted = sorted(held - set(self._home))
            log.info(
                "shard leases: %s holds %s%s",
                self.owner,
                sorted(held),
                f" (adopted {adopted})" if adopted else "",
            )
        self._held = held
        return held

    async def start(self) -> None:
        """Take the home shards now, then beat every `heartbeat` seconds until `close`."""
        await self.beat()
        self._task = asyncio.create_task(self._run(), name="chorus-leases")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._heartbeat)
            try:
                await self.beat()
                await self._on_beat()
            except Exception:
                # A lost database: keep trying; the leases lapse meanwhile and a survivor
                # (or this process, once it is back) takes the shards.
                log.exception("shard lease heartbeat failed; retrying")

    async def close(self) -> None:
        """Stop beating and let the leases lapse now, so a survivor adopts them at once."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(Exception):
            await self._store.leases.release(self.owner)
        self._held = frozenset()


async def start_leases(
    settings: Settings,
    store: Store,
    clock: Clock,
    runner: Runner,
    on_beat: Callable[[], Awaitable[None]],
) -> LeaseKeeper | None:
    """With several processes (sharded, on PostgreSQL): hold this process's shard leases and
    make the runner fire only their guilds' timers. Otherwise None: every timer is this
    process's, as in one process."""
    if not settings.discord.sharded or store.db.engine != "postgresql":
        return None
    assert settings.discord.shard_count is not None
    keeper = LeaseKeeper(
        store, clock, settings.discord.my_shards, settings.discord.shard_count, on_beat
    )
    runner.fire_for(keeper.scope)
    await keeper.start()
    return keeper


def identify_gate(settings: Settings) -> IdentifyGate | None:
    """The cross-process IDENTIFY gate, when several processes share a PostgreSQL database."""
    if not settings.discord.sharded or not settings.database.startswith("postgres"):
        return None
    return IdentifyGate(settings.database, settings.discord.max_concurrency)
