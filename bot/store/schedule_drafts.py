"""Session requests waiting for their facilitator's Confirm (`schedule_drafts`).

A preview's Confirm and Cancel buttons carry only the draft's id; the request itself is held
here, so the buttons work however long the facilitator took and across a restart. A draft is
taken (read and deleted in one job) by its own facilitator's Confirm or Cancel, so a second
press finds nothing; /forget deletes a facilitator's drafts (store/member_data.py), and each new
draft's job deletes the drafts older than the time kept.
"""

from __future__ import annotations

from bot.records.schedule import HeldDraftRecord, NewDraft
from bot.store.database import Conn, Database
from bot.store.rows import columns, record_of, values_of

_COLUMNS = columns(HeldDraftRecord)


class ScheduleDraftRepository:
    """The `schedule_drafts` table; no cached read holds it, so writes invalidate nothing."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def hold(self, new: NewDraft, now: float, kept_for: float) -> int:
        """Hold the `new` checked request (its `payload`, JSON, under its random `key`) and
        return its id; drafts older than `kept_for` seconds go in the same job. `now` is a UTC
        timestamp in seconds."""

        async def job(conn: Conn) -> int:
            await conn.execute(
                "DELETE FROM schedule_drafts WHERE created_at < ?", (now - kept_for,)
            )
            found = await conn.fetch_val(
                f"INSERT INTO schedule_drafts ({columns(NewDraft)}, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (*values_of(new), now),
            )
            return int(found)

        return await self._db.write(job, invalidate=())

    async def take(self, draft_id: int, key: int, user_id: int) -> HeldDraftRecord | None:
        """The draft `draft_id` held under `key`, deleted in the same job when `user_id` is its
        facilitator (left as it is for anyone else); None when there is none (confirmed,
        cancelled, forgotten or too old)."""

        async def job(conn: Conn) -> HeldDraftRecord | None:
            row = await conn.fetch_one(
                f"SELECT {_COLUMNS} FROM schedule_drafts WHERE id = ? AND key = ?",
                (draft_id, key),
            )
            if row is None:
                return None
            record = record_of(HeldDraftRecord, row)
            if record.facilitator_id == user_id:
                await conn.execute("DELETE FROM schedule_drafts WHERE id = ?", (draft_id,))
            return record

        return await self._db.write(job, invalidate=())

    async def put_back(self, draft: HeldDraftRecord) -> None:
        """Hold a taken draft again under its id (its Confirm failed: it may be pressed again)."""

        async def job(conn: Conn) -> None:
            await conn.execute(
                f"INSERT INTO schedule_drafts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO NOTHING",
                values_of(draft),
            )

        await self._db.write(job, invalidate=())
