"""Shard leases: which process fires the timers of which gateway shard's guilds.

Each process of a sharded Chorus is the home of a block of shards. Every heartbeat (one write)
it takes its home shards (back, if a survivor adopted them), renews every lease it holds, and
adopts the leases whose holder stopped renewing them (the process died). Exactly-once firing does
not rest on the leases (two processes may both believe they hold a shard for one heartbeat
after a hand-back): the due-run claim (`RunRepository.claim_due`) and the step compare-and-set
do; leases only decide who tries, so a dead process's timers fire within seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.store.database import Conn, Database
from bot.store.repository import Repository
from bot.store.rows import columns


@dataclass(frozen=True, slots=True)
class Lease:
    shard_id: int
    owner: str
    home: str
    expires_at: float


class LeaseRepository(Repository):
    def __init__(self, db: Database) -> None:
        super().__init__(db)

    async def beat(
        self,
        owner: str,
        home_shards: Sequence[int],
        shard_count: int,
        now: float,
        ttl: float,
    ) -> frozenset[int]:
        """One heartbeat of `owner` (a process name, unique while it runs): take the home
        shards, renew what it holds, adopt leases expired by `now` (UTC seconds); the shards
        it holds afterwards, until `now + ttl`."""
        until = now + ttl

        async def job(conn: Conn) -> frozenset[int]:
            await conn.execute_many(
                "INSERT INTO shard_leases (shard_id, shard_count, owner, home, expires_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (shard_id) DO UPDATE SET"
                " shard_count = excluded.shard_count, owner = excluded.owner,"
                " home = excluded.home, expires_at = excluded.expires_at",
                [(shard, shard_count, owner, owner, until) for shard in home_shards],
            )
            await conn.execute(
                "UPDATE shard_leases SET expires_at = ? WHERE owner = ?", (until, owner)
            )
            # A survivor waits on the row lock of a lease another survivor is adopting, then
            # sees it renewed and leaves it: one adopter per lease.
            await conn.execute(
                "UPDATE shard_leases SET owner = ?, expires_at = ?"
                " WHERE expires_at <= ? AND shard_count = ?",
                (owner, until, now, shard_count),
            )
            rows = await conn.fetch_all(
                "SELECT shard_id FROM shard_leases WHERE owner = ? AND shard_count = ?",
                (owner, shard_count),
            )
            return frozenset(int(r[0]) for r in rows)

        # Not behind the group commit: under a burst of member writes a heartbeat that waits
        # its turn could let the leases lapse and a survivor adopt a live process's shards.
        return await self._db.write_apart(job)

    async def release(self, owner: str) -> None:
        """A process stopping cleanly: its leases lapse now, so a survivor adopts them at its
        next heartbeat instead of after the time to live."""

        async def job(conn: Conn) -> None:
            await conn.execute("UPDATE shard_leases SET expires_at = 0 WHERE owner = ?", (owner,))

        await self._db.write(job, invalidate=())

    async def all(self) -> list[Lease]:
        """Every shard's lease (owner, its home and when it expires, UTC seconds), by shard id."""
        return await self._select_all(
            Lease, f"SELECT {columns(Lease)} FROM shard_leases ORDER BY shard_id"
        )
