"""Prompt pools' history: which alternative each channel was shown, oldest first."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.store.database import Conn
from bot.store.repository import Repository


class PoolDrawRepository(Repository):
    """The `pool_draws` table: no member data, only channels, pools and indexes."""

    async def draw(
        self,
        *,
        guild_id: int,
        channel_id: int,
        pool_key: str,
        pick: Callable[[Sequence[int]], int],
        now: float,
    ) -> int:
        """Record one draw and return the index drawn.

        `pick` gets the channel's earlier draws of this pool (alternative indexes, oldest first)
        and returns the next one; reading the history and recording the draw are one write job,
        so two steps starting at once in a channel can't both draw the same alternative.
        `now` is a UTC timestamp in seconds.
        """

        async def job(conn: Conn) -> int:
            rows = await conn.fetch_all(
                "SELECT alternative FROM pool_draws WHERE channel_id = ? AND pool_key = ?"
                " ORDER BY id",
                (channel_id, pool_key),
            )
            chosen = pick([int(r[0]) for r in rows])
            await conn.execute(
                "INSERT INTO pool_draws (guild_id, channel_id, pool_key, alternative, drawn_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (guild_id, channel_id, pool_key, chosen, now),
            )
            return chosen

        # No cached read holds pool draws.
        return await self._db.write(job, invalidate=())

    async def release(
        self, *, channel_id: int, pool_key: str, alternative: int, drawn_at: float
    ) -> bool:
        """Take back one draw recorded by `draw` (its channel, pool, index and `drawn_at`, UTC
        seconds) that was never shown: the step it was for wasn't entered (the run's write was
        refused), so the alternative stays the channel's to draw. False when it isn't there
        (the retention purge took it)."""

        async def job(conn: Conn) -> bool:
            # One row: two draws alike to the second are the same fact for the history.
            removed = await conn.execute(
                "DELETE FROM pool_draws WHERE id = (SELECT MAX(id) FROM pool_draws"
                " WHERE channel_id = ? AND pool_key = ? AND alternative = ? AND drawn_at = ?)",
                (channel_id, pool_key, alternative, drawn_at),
            )
            return removed > 0

        return await self._db.write(job, invalidate=())

    async def history(self, channel_id: int, pool_key: str) -> list[int]:
        """The alternatives drawn in a channel for one pool, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT alternative FROM pool_draws WHERE channel_id = ? AND pool_key = ? ORDER BY id",
            (channel_id, pool_key),
        )
        return [int(r[0]) for r in rows]

    async def purge_before(self, cutoff: float) -> int:
        """Retention (the daily purge): forget draws older than `cutoff` (UTC seconds); how
        many went. Forgetting only means an alternative may come round again sooner."""

        async def job(conn: Conn) -> int:
            return max(
                0, await conn.execute("DELETE FROM pool_draws WHERE drawn_at < ?", (cutoff,))
            )

        return await self._db.write(job, invalidate=())
