"""Check-ins: one private row per answer (or pass), plus what reports need to count."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.store.database import Conn, Database, Row

_COLUMNS = (
    "id, guild_id, user_id, session_id, run_id, step_index, scale, phase, measure, value,"
    " value2, passed, note, shared, created_at"
)


_CONSENT = "SELECT consent FROM members WHERE guild_id = ? AND user_id = ?"
_INSERT = (
    "INSERT INTO checkins (guild_id, user_id, session_id, run_id, step_index,"
    " scale, phase, measure, value, value2, passed, created_at)"
)
# A first answer and the consent it needs, in one statement (one round trip on PostgreSQL):
# the row is inserted only if the member agreed. Typed, as the engines can't infer a bare
# parameter's type in a SELECT list.
_INSERT_IF_AGREED = (
    f"{_INSERT} SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT),"
    " CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),"
    " CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS DOUBLE PRECISION)"
    " WHERE EXISTS (SELECT 1 FROM members WHERE guild_id = ? AND user_id = ?"
    " AND consent = 'agreed') RETURNING id"
)


class SaveJob(Protocol):
    """A check-in row as part of another write: (connection, first answer?, consent needed of
    (guild, user)); None only when consent was asked for and not given (nothing written)."""

    def __call__(
        self, conn: Conn, first: bool, consent_of: tuple[int, int] | None = None
    ) -> Awaitable[CheckinRecord | None]: ...


class NoConsent(Exception):
    """The member has not agreed to their answers being stored; `declined` if they said no."""

    def __init__(self, declined: bool) -> None:
        super().__init__("declined" if declined else "not asked yet")
        self.declined = declined


@dataclass(frozen=True, slots=True)
class CheckinRecord:
    id: int
    guild_id: int
    user_id: int | None
    session_id: int | None
    run_id: int | None
    step_index: int | None
    scale: str
    phase: str
    measure: str | None
    value: int | None
    value2: int | None
    passed: bool
    note: str | None
    shared: bool
    created_at: float


@dataclass(frozen=True, slots=True)
class StepCount:
    """How many took part in one step of a run (no values)."""

    run_id: int
    step_index: int
    kind: str
    answered: int


def _record(row: Row) -> CheckinRecord:
    v = tuple(row)
    return CheckinRecord(
        id=v[0],
        guild_id=v[1],
        user_id=v[2],
        session_id=v[3],
        run_id=v[4],
        step_index=v[5],
        scale=v[6],
        phase=v[7],
        measure=v[8],
        value=v[9],
        value2=v[10],
        passed=bool(v[11]),
        note=v[12],
        shared=bool(v[13]),
        created_at=v[14],
    )


class CheckinRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def save_job(
        self,
        *,
        guild_id: int,
        user_id: int | None,
        session_id: int | None,
        run_id: int | None,
        step_index: int | None,
        scale: str,
        phase: str,
        measure: str | None,
        value: int | None,
        value2: int | None,
        passed: bool,
        now: float,
        replace_id: int | None = None,
    ) -> SaveJob:
        """`save` as a group-commit job, to run inside another write (e.g. the contribution's).

        Called with `first=True` when the member has no earlier answer to this step (their
        contribution was new): there is then no row to replace, so none is looked for. A
        step's check-in row is only ever written with the member's contribution to it.
        With `consent_of`, a first answer is inserted only if that member agreed (else None).
        """

        async def job(
            conn: Conn, first: bool, consent_of: tuple[int, int] | None = None
        ) -> CheckinRecord | None:
            row = None
            # Nothing to replace for a first answer, or an anonymous one (never linked).
            if not first and user_id is not None and run_id is not None:
                row = await conn.fetch_one(
                    "SELECT id FROM checkins WHERE run_id = ? AND step_index = ? AND user_id = ?",
                    (run_id, step_index, user_id),
                )
            elif not first and user_id is not None and replace_id is not None:
                row = await conn.fetch_one(
                    "SELECT id FROM checkins WHERE id = ? AND user_id = ? AND guild_id = ?",
                    (replace_id, user_id, guild_id),
                )
            existing = int(row[0]) if row else None
            if existing is not None:
                found = await conn.fetch_one(
                    "UPDATE checkins SET scale = ?, value = ?, value2 = ?, passed = ?,"
                    " note = CASE WHEN ? = 1 THEN NULL ELSE note END, created_at = ?"
                    f" WHERE id = ? RETURNING {_COLUMNS}",
                    (scale, value, value2, int(passed), int(passed), now, existing),
                )
                assert found is not None
                return _record(found)
            values = (
                guild_id,
                user_id,
                session_id,
                run_id,
                step_index,
                scale,
                phase,
                measure,
                value,
                value2,
                int(passed),
                now,
            )
            if consent_of is not None:
                new_id = await conn.fetch_val(_INSERT_IF_AGREED, (*values, *consent_of))
                if new_id is None:
                    return None
            else:
                new_id = await conn.fetch_val(
                    f"{_INSERT} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", values
                )
            # A new row is exactly what was inserted (column defaults: no note, not shared).
            return CheckinRecord(
                id=int(new_id),
                guild_id=guild_id,
                user_id=user_id,
                session_id=session_id,
                run_id=run_id,
                step_index=step_index,
                scale=scale,
                phase=phase,
                measure=measure,
                value=value,
                value2=value2,
                passed=passed,
                note=None,
                shared=False,
                created_at=now,
            )

        return job

    async def save(
        self,
        *,
        guild_id: int,
        user_id: int | None,
        session_id: int | None,
        run_id: int | None,
        step_index: int | None,
        scale: str,
        phase: str,
        measure: str | None,
        value: int | None,
        value2: int | None,
        passed: bool,
        now: float,
        replace_id: int | None = None,
    ) -> CheckinRecord:
        """Save an answer; a member's earlier answer to the same step (or `replace_id`) changes.

        Anonymous answers (user_id None) are always new rows: nothing links them to anyone.
        """
        job = self.save_job(
            guild_id=guild_id,
            user_id=user_id,
            session_id=session_id,
            run_id=run_id,
            step_index=step_index,
            scale=scale,
            phase=phase,
            measure=measure,
            value=value,
            value2=value2,
            passed=passed,
            now=now,
            replace_id=replace_id,
        )

        async def write(conn: Conn) -> CheckinRecord:
            record = await job(conn, False)
            assert record is not None  # no consent asked for: always saved
            return record

        return await self._db.write(write)

    @staticmethod
    def answer_job(
        save: SaveJob | None,
        consent_of: tuple[int, int] | None = None,
        passed: bool = False,
    ) -> Callable[[Conn, bool], Awaitable[CheckinRecord | None]]:
        """What answering a check-in step writes beside its contribution, in the same commit:
        the check-in row (the contribution itself replaces the member's earlier answer or pass).

        With `consent_of` (guild, user) the member's consent is read in the same transaction:
        without 'agreed' an answer raises NoConsent (so nothing at all is written) and a pass
        is kept without a check-in row. One job, one commit, no separate read per answer."""

        async def job(conn: Conn, replaced: bool) -> CheckinRecord | None:
            if save is None:
                return None
            if consent_of is not None and not replaced:
                # The usual case, a first answer: consent and row in one statement; the
                # consent is read on its own only when it wasn't given.
                record = await save(conn, True, consent_of)
                if record is not None:
                    return record
                row = await conn.fetch_one(_CONSENT, consent_of)
                if not passed:
                    raise NoConsent(declined=row is not None and row[0] == "declined")
                return None
            if consent_of is not None:
                row = await conn.fetch_one(_CONSENT, consent_of)
                if row is None or row[0] != "agreed":
                    if not passed:
                        raise NoConsent(declined=row is not None and row[0] == "declined")
                    return None
            return await save(conn, not replaced)

        return job

    async def get(self, checkin_id: int) -> CheckinRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM checkins WHERE id = ?", (checkin_id,)
        )
        return _record(row) if row else None

    async def set_note(self, checkin_id: int, note: str | None) -> None:
        async def job(conn: Conn) -> None:
            await conn.execute("UPDATE checkins SET note = ? WHERE id = ?", (note, checkin_id))

        await self._db.write(job, invalidate=None)

    async def set_shared(self, checkin_id: int, shared: bool) -> None:
        async def job(conn: Conn) -> None:
            await conn.execute(
                "UPDATE checkins SET shared = ? WHERE id = ?", (int(shared), checkin_id)
            )

        await self._db.write(job, invalidate=None)

    async def for_session(self, session_id: int) -> list[CheckinRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM checkins WHERE session_id = ? ORDER BY created_at, id",
            (session_id,),
        )
        return [_record(r) for r in rows]

    async def for_member(self, guild_id: int, user_id: int, since: float) -> list[CheckinRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM checkins WHERE guild_id = ? AND user_id = ?"
            " AND created_at >= ? ORDER BY created_at, id",
            (guild_id, user_id, since),
        )
        return [_record(r) for r in rows]

    async def for_guild(self, guild_id: int, since: float) -> list[CheckinRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM checkins WHERE guild_id = ? AND created_at >= ?"
            " ORDER BY created_at, id",
            (guild_id, since),
        )
        return [_record(r) for r in rows]

    async def step_counts(self, session_id: int) -> list[StepCount]:
        """Distinct contributors per step of every run in a session (anonymous ones count)."""
        rows = await self._db.fetch_all(
            "SELECT c.run_id, c.step_index, MIN(c.kind),"
            " COUNT(DISTINCT COALESCE(c.author_id, -c.id))"
            " FROM contributions c JOIN activity_runs r ON r.id = c.run_id"
            " WHERE r.session_id = ? GROUP BY c.run_id, c.step_index"
            " ORDER BY c.run_id, c.step_index",
            (session_id,),
        )
        return [StepCount(int(r[0]), int(r[1]), str(r[2]), int(r[3])) for r in rows]

    async def guild_sessions(
        self, guild_id: int, since: float
    ) -> list[tuple[int, float, str, int]]:
        """(session id, started_at, title, distinct attendees) of a server's sessions since."""
        rows = await self._db.fetch_all(
            "SELECT s.id, s.started_at, s.title,"
            " (SELECT COUNT(DISTINCT a.user_id) FROM attendance a WHERE a.session_id = s.id)"
            " FROM sessions s WHERE s.guild_id = ? AND s.started_at >= ? ORDER BY s.started_at",
            (guild_id, since),
        )
        return [(int(r[0]), float(r[1]), str(r[2]), int(r[3])) for r in rows]

    async def latest_session(self, guild_id: int) -> int | None:
        row = await self._db.fetch_one(
            "SELECT id FROM sessions WHERE guild_id = ? ORDER BY started_at DESC, id DESC LIMIT 1",
            (guild_id,),
        )
        return int(row[0]) if row else None

    async def count(self) -> int:
        row = await self._db.fetch_one("SELECT COUNT(*) FROM checkins")
        return int(row[0]) if row else 0
