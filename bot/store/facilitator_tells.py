"""Who asked Chorus to let a session's facilitator know they are finding things hard (table
facilitator_tells, migration 0020): each member's telling is claimed once per session, across
restarts and processes, before the direct message goes out."""

from __future__ import annotations

from bot.store.one_statement import write_one
from bot.store.repository import Repository

TELL_CLAIM_SECONDS = 60.0
"""How long a claim without `told_at` holds before another try may take it over (the process
that claimed it died before the message went out)."""


class FacilitatorTellRepository(Repository):
    # None of these rows is in a cached read (store/cached_reads.py): nothing to invalidate.

    async def claim(
        self,
        session_id: int,
        guild_id: int,
        user_id: int,
        now: float,
        hold: float = TELL_CLAIM_SECONDS,
    ) -> bool:
        """Claim telling the session's facilitator about the member, in one statement: True for
        one caller only, across processes, while the member was not told yet and no claim
        younger than `hold` seconds stands. The claim ends with `told` (the message reached
        them) or `release` (it didn't). `now` UTC seconds. Raises StorageUnavailable when the
        write can't be committed."""
        changed = await write_one(
            self._db,
            "INSERT INTO facilitator_tells (session_id, guild_id, user_id, claimed_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (session_id, user_id) DO UPDATE"
            " SET claimed_at = excluded.claimed_at"
            " WHERE facilitator_tells.told_at IS NULL AND facilitator_tells.claimed_at < ?",
            (session_id, guild_id, user_id, now, now - hold),
            invalidate=(),
        )
        return changed == 1

    async def told(self, session_id: int, user_id: int, now: float) -> None:
        """The claimed message reached the facilitator at `now` (UTC seconds): the member's
        telling stays done for this session. Raises StorageUnavailable when the write can't be
        committed."""
        await write_one(
            self._db,
            "UPDATE facilitator_tells SET told_at = ? WHERE session_id = ? AND user_id = ?",
            (now, session_id, user_id),
            invalidate=(),
        )

    async def release(self, session_id: int, user_id: int) -> None:
        """The claimed message didn't reach the facilitator: the member may try again. Raises
        StorageUnavailable when the write can't be committed."""
        await write_one(
            self._db,
            "DELETE FROM facilitator_tells WHERE session_id = ? AND user_id = ?"
            " AND told_at IS NULL",
            (session_id, user_id),
            invalidate=(),
        )
