"""Personal goals and their ratings: private rows, and the counts a facilitator may see.

Times are UTC timestamps in seconds (Unix time)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.records.goals import GoalRecord, RatingRecord
from bot.store.database import Conn
from bot.store.one_statement import write_one, write_returned_if_any
from bot.store.repository import Repository
from bot.store.rows import columns

_GOAL_COLUMNS = columns(GoalRecord)


class GoalRepository(Repository):
    # ------------------------------------------------------------------ goals

    async def get(self, goal_id: int) -> GoalRecord | None:
        """The goal with this id, any status; None when there is none."""
        return await self._by_id(GoalRecord, "goals", goal_id)

    async def active(self, guild_id: int, user_id: int) -> list[GoalRecord]:
        """The member's active goals in this server, oldest first (at most MAX_ACTIVE)."""
        return await self._all_where(
            GoalRecord,
            "goals",
            "guild_id = ? AND user_id = ? AND status = 'active' ORDER BY id",
            (guild_id, user_id),
        )

    async def for_member(self, guild_id: int, user_id: int) -> list[GoalRecord]:
        """Every goal of the member in this server (active, done or dropped), oldest first."""
        return await self._all_where(
            GoalRecord, "goals", "guild_id = ? AND user_id = ? ORDER BY id", (guild_id, user_id)
        )

    async def add(
        self, guild_id: int, user_id: int, text: str, now: float, max_active: int
    ) -> GoalRecord | None:
        """Insert an active goal unless the member already has `max_active` (None then)."""

        return await write_returned_if_any(
            self._db,
            GoalRecord,
            "INSERT INTO goals (guild_id, user_id, text, created_at)"
            " SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT),"
            " CAST(? AS DOUBLE PRECISION) WHERE (SELECT COUNT(*) FROM goals WHERE guild_id = ?"
            f" AND user_id = ? AND status = 'active') < ? RETURNING {_GOAL_COLUMNS}",
            (guild_id, user_id, text, now, guild_id, user_id, max_active),
            invalidate=(),
        )

    async def close(self, goal_id: int, status: str, now: float) -> bool:
        """Mark an active goal done or dropped; False if it wasn't active any more."""

        return (
            await write_one(
                self._db,
                "UPDATE goals SET status = ?, closed_at = ? WHERE id = ? AND status = 'active'",
                (status, now, goal_id),
                invalidate=(),
            )
            == 1
        )

    # ---------------------------------------------------------------- ratings

    async def rate(
        self,
        *,
        goal_id: int,
        session_id: int,
        run_id: int,
        step_index: int,
        value: int | None,
        now: float,
    ) -> bool:
        """Save a goal's rating at a step; a second answer at the same step replaces the first.

        Returns True when it replaced an earlier answer.
        """

        async def job(conn: Conn) -> bool:
            existing = await conn.fetch_one(
                "SELECT id FROM goal_ratings WHERE goal_id = ? AND run_id = ? AND step_index = ?",
                (goal_id, run_id, step_index),
            )
            if existing is not None:
                await conn.execute(
                    "UPDATE goal_ratings SET value = ?, created_at = ? WHERE id = ?",
                    (value, now, int(existing[0])),
                )
                return True
            await conn.execute(
                "INSERT INTO goal_ratings (goal_id, session_id, run_id, step_index, value,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (goal_id, session_id, run_id, step_index, value, now),
            )
            return False

        return await self._db.write(job, invalidate=())

    async def ratings_at_step(
        self, run_id: int, step_index: int, user_id: int
    ) -> list[RatingRecord]:
        """The member's ratings given at one goal step of a run, ordered by goal id."""
        return await self._select_all(
            RatingRecord,
            f"SELECT {columns(RatingRecord, 'r')}"
            " FROM goal_ratings r JOIN goals g ON g.id = r.goal_id"
            " WHERE r.run_id = ? AND r.step_index = ? AND g.user_id = ? ORDER BY r.goal_id",
            (run_id, step_index, user_id),
        )

    async def ratings_for(self, goal_ids: Sequence[int]) -> list[RatingRecord]:
        """Every rating of these goals, oldest first (UTC seconds `created_at`); [] for no goals."""
        if not goal_ids:
            return []
        marks = ",".join("?" * len(goal_ids))
        return await self._all_where(
            RatingRecord,
            "goal_ratings",
            f"goal_id IN ({marks}) ORDER BY created_at, id",
            tuple(goal_ids),
        )

    # ---------------------------------------------------------------- figures

    async def session_counts(self, session_id: int, guild_id: int) -> tuple[int, int]:
        """(attendees with a goal, attendees who rated at least one goal in this session).

        "With a goal": an active goal now, or a goal they answered in this session.
        """
        with_goals = await self._db.fetch_one(
            "SELECT COUNT(DISTINCT a.user_id) FROM attendance a WHERE a.session_id = ?"
            " AND EXISTS (SELECT 1 FROM goals g WHERE g.guild_id = ? AND g.user_id = a.user_id"
            " AND (g.status = 'active' OR EXISTS (SELECT 1 FROM goal_ratings r"
            " WHERE r.goal_id = g.id AND r.session_id = ?)))",
            (session_id, guild_id, session_id),
        )
        rated = await self._db.fetch_one(
            "SELECT COUNT(DISTINCT g.user_id) FROM goal_ratings r JOIN goals g ON g.id = r.goal_id"
            " WHERE r.session_id = ? AND r.value IS NOT NULL",
            (session_id,),
        )
        return (
            int(with_goals[0]) if with_goals else 0,
            int(rated[0]) if rated else 0,
        )
