"""Who was shown the consent explanation at which check-in or goal step (table consent_asks,
migration 0021): marked in one statement, so a restart or another process on the same database
asks the short question the second time, as this one would."""

from __future__ import annotations

from bot.store.one_statement import write_one
from bot.store.repository import Repository


class ConsentAskRepository(Repository):
    # None of these rows is in a cached read (store/cached_reads.py): nothing to invalidate.

    async def mark(
        self, run_id: int, step_index: int, guild_id: int, user_id: int, now: float
    ) -> bool:
        """Mark the member shown the consent explanation at step `step_index` of run `run_id`
        (`now` UTC seconds): True the first time, for one caller only across processes; False
        when they were shown it there before. Raises StorageUnavailable when the write can't
        be committed."""
        changed = await write_one(
            self._db,
            "INSERT INTO consent_asks (run_id, step_index, guild_id, user_id, asked_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, step_index, user_id) DO NOTHING",
            (run_id, step_index, guild_id, user_id, now),
            invalidate=(),
        )
        return changed == 1
