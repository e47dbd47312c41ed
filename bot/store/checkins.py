"""Check-ins: one private row per answer (or pass), plus what reports need to count.

Times are UTC timestamps in seconds (Unix time)."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from bot.records.checkins import CheckinRecord
from bot.store.checkin_answers import CHECKIN_COLUMNS, AnswerRow, AnswersWritten, CheckinAnswers
from bot.store.contribution_job import BatchableAlso
from bot.store.database import Conn
from bot.store.engine import ColumnType, batch_rows
from bot.store.one_statement import write_one
from bot.store.repository import Repository
from bot.store.rows import columns, record_of

_COLUMNS = columns(CheckinRecord)
_NEW = CHECKIN_COLUMNS
_NEW_NAMES = ", ".join(name for name, _ in _NEW)

_CONSENT = "SELECT consent FROM members WHERE guild_id = ? AND user_id = ?"
_INSERT = f"INSERT INTO checkins ({_NEW_NAMES})"
# A first answer and the consent it needs, in one statement (one round trip on PostgreSQL):
# the row is inserted only if the member agreed. Typed, as the engines can't infer a bare
# parameter's type in a SELECT list.
_INSERT_IF_AGREED = (
    f"{_INSERT} SELECT {', '.join(f'CAST(? AS {kind})' for _, kind in _NEW)}"
    " WHERE EXISTS (SELECT 1 FROM members WHERE guild_id = ? AND user_id = ?"
    " AND consent = 'agreed') RETURNING id"
)


_MEMBER: tuple[tuple[str, ColumnType], ...] = (("guild_id", "BIGINT"), ("user_id", "BIGINT"))


class NoConsent(Exception):
    """The member has not agreed to their answers being stored; `declined` if they said no."""

    def __init__(self, declined: bool) -> None:
        super().__init__("declined" if declined else "not asked yet")
        self.declined = declined


@dataclass(frozen=True, slots=True)
class StepCount:
    """How many took part in one step of a run (no values)."""

    run_id: int
    step_index: int
    kind: str
    answered: int


class NewCheckin(NamedTuple):
    """A check-in row to write: an answer (`value`, `value2` for two-axis scales) or a pass.

    `created_at` is a UTC timestamp in seconds; `user_id` None for an anonymous answer. A
    tuple, not a dataclass: one is made per answer on the hottest write path."""

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
    created_at: float

    def values(self) -> tuple[object, ...]:
        """The INSERT's parameters, in `_INSERT`'s column order (`passed` as 0/1)."""
        return (*self[:10], int(self.passed), self.created_at)

    def record(self, new_id: int) -> CheckinRecord:
        """The row as inserted (column defaults: no note, not shared)."""
        return CheckinRecord(
            id=new_id,
            guild_id=self.guild_id,
            user_id=self.user_id,
            session_id=self.session_id,
            run_id=self.run_id,
            step_index=self.step_index,
            scale=self.scale,
            phase=self.phase,
            measure=self.measure,
            value=self.value,
            value2=self.value2,
            passed=self.passed,
            note=None,
            shared=False,
            created_at=self.created_at,
        )


async def _save(
    new: NewCheckin,
    replace_id: int | None,
    conn: Conn,
    first: bool,
    consent_of: tuple[int, int] | None = None,
) -> CheckinRecord | None:
    """Write `new`, or change the member's earlier answer to the step (or `replace_id`)."""
    row = None
    # Nothing to replace for a first answer, or an anonymous one (never linked).
    if not first and new.user_id is not None and new.run_id is not None:
        row = await conn.fetch_one(
            "SELECT id FROM checkins WHERE run_id = ? AND step_index = ? AND user_id = ?",
            (new.run_id, new.step_index, new.user_id),
        )
    elif not first and new.user_id is not None and replace_id is not None:
        row = await conn.fetch_one(
            "SELECT id FROM checkins WHERE id = ? AND user_id = ? AND guild_id = ?",
            (replace_id, new.user_id, new.guild_id),
        )
    if row:
        found = await conn.fetch_one(
            "UPDATE checkins SET scale = ?, value = ?, value2 = ?, passed = ?,"
            " note = CASE WHEN ? = 1 THEN NULL ELSE note END, created_at = ?"
            f" WHERE id = ? RETURNING {_COLUMNS}",
            (
                new.scale,
                new.value,
                new.value2,
                int(new.passed),
                int(new.passed),
                new.created_at,
                int(row[0]),
            ),
        )
        assert found is not None
        return record_of(CheckinRecord, found)
    if consent_of is not None:
        new_id = await conn.fetch_val(_INSERT_IF_AGREED, (*new.values(), *consent_of))
        if new_id is None:
            return None
    else:
        new_id = await conn.fetch_val(
            f"{_INSERT} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", new.values()
        )
    return new.record(int(new_id))


class CheckinAnswer(BatchableAlso):
    """The check-in row written with a member's contribution to a check-in step (see
    `CheckinService.answer_step`): `new` (None: nothing about their mood is stored),
    `consent_of` (guild id, user id) whose consent the row needs, and whether it is a pass.
    Written in the contribution's commit, with the consent read in the same transaction:
    without 'agreed' an answer raises NoConsent (nothing at all is written) and a pass is kept
    without a check-in row."""

    # A plain slotted class: a frozen dataclass sets each field through object.__setattr__,
    # and one is made per answer.
    __slots__ = ("consent_of", "new", "passed")

    def __init__(
        self, new: NewCheckin | None, consent_of: tuple[int, int] | None, passed: bool
    ) -> None:
        self.new = new
        self.consent_of = consent_of
        self.passed = passed

    async def __call__(self, conn: Conn, replaced: bool) -> CheckinRecord | None:
        if self.new is None:
            return None
        if self.consent_of is not None and not replaced:
            # The usual case, a first answer: consent and row in one statement; the
            # consent is read on its own only when it wasn't given.
            record = await _save(self.new, None, conn, True, self.consent_of)
            if record is not None:
                return record
            row = await conn.fetch_one(_CONSENT, self.consent_of)
            if not self.passed:
                raise NoConsent(declined=row is not None and row[0] == "declined")
            return None
        if self.consent_of is not None:
            row = await conn.fetch_one(_CONSENT, self.consent_of)
            if row is None or row[0] != "agreed":
                if not self.passed:
                    raise NoConsent(declined=row is not None and row[0] == "declined")
                return None
        return await _save(self.new, None, conn, not replaced)

    @classmethod
    async def run_together(
        cls, conn: Conn, items: Sequence[CheckinAnswer]
    ) -> list[tuple[bool, Any]]:
        """First answers: one consent read and one INSERT for the whole batch."""
        asked = list(
            dict.fromkeys(i.consent_of for i in items if i.new is not None and i.consent_of)
        )
        consent: dict[tuple[int, int], str] = {}
        if asked:
            cte, params = batch_rows(conn.engine, "u", _MEMBER, asked)
            for row in await conn.fetch_all(
                f"WITH {cte} SELECT u.guild_id, u.user_id, m.consent FROM u"
                " JOIN members m ON m.guild_id = u.guild_id AND m.user_id = u.user_id",
                params,
            ):
                consent[(int(row[0]), int(row[1]))] = str(row[2])
        outcomes: list[tuple[bool, Any]] = []
        writing: list[tuple[int, NewCheckin]] = []
        for item in items:
            given = consent.get(item.consent_of) if item.consent_of is not None else "agreed"
            if item.new is None or (given != "agreed" and item.passed):
                outcomes.append((True, None))
            elif given != "agreed":
                outcomes.append((False, NoConsent(declined=given == "declined")))
            else:
                writing.append((len(outcomes), item.new))
                outcomes.append((True, None))
        if writing:
            cte, params = batch_rows(conn.engine, "u", _NEW, [new.values() for _, new in writing])
            async with conn.key_checks_planned_once(
                len(writing)
            ):  # run and session, checked per row
                rows = await conn.fetch_all(
                    f"WITH {cte} {_INSERT} SELECT {_NEW_NAMES} FROM u ORDER BY n RETURNING id",
                    params,
                )
            # Ids come in insertion order; RETURNING's own order isn't promised.
            ids = sorted(int(r[0]) for r in rows)
            assert len(ids) == len(writing), "one id per inserted check-in"
            for (index, new), new_id in zip(writing, ids, strict=True):
                outcomes[index] = (True, new.record(new_id))
        return outcomes


class CheckinRepository(Repository):
    """The checkins table: one private row per answer or pass (see the module docstring)."""

    async def save(self, new: NewCheckin, replace_id: int | None = None) -> CheckinRecord:
        """Save an answer; a member's earlier answer to the same step (or `replace_id`) changes.

        Anonymous answers (user_id None) are always new rows: nothing links them to anyone.
        """

        async def write(conn: Conn) -> CheckinRecord:
            record = await _save(new, replace_id, conn, False)
            assert record is not None  # no consent asked for: always saved
            return record

        return await self._db.write(write, invalidate=())

    def answer_many(
        self,
        answers: Sequence[AnswerRow],
        read_steps: Mapping[tuple[int, int], int],
        by_authors: Collection[tuple[int, int]] = (),
    ) -> asyncio.Future[AnswersWritten]:
        """A moment's first answers to named check-in steps with their contributions and the
        consent they need, in one job of the next group commit (see CheckinAnswers for what
        each answer's outcome means). Awaited: the AnswersWritten once committed; raises
        StorageUnavailable when nothing could be written, or the database's refusal (nothing of
        the job was kept: write the answers one by one)."""
        return self._db.submit(
            CheckinAnswers(answers, read_steps, by_authors),
            invalidate=(),  # no cached read holds check-ins or contributions (cached_reads.py)
        )

    async def get(self, checkin_id: int) -> CheckinRecord | None:
        """One check-in by id, or None."""
        return await self._by_id(CheckinRecord, "checkins", checkin_id)

    async def set_note(self, checkin_id: int, note: str | None) -> None:
        """Set or clear (None) a check-in's note (already cleaned by the service)."""
        await write_one(
            self._db,
            "UPDATE checkins SET note = ? WHERE id = ?",
            (note, checkin_id),
            invalidate=(),  # no cached read holds check-ins (store/cached_reads.py)
        )

    async def set_shared(self, checkin_id: int, shared: bool) -> None:
        """Mark a check-in as shared with the group, or not."""
        await write_one(
            self._db,
            "UPDATE checkins SET shared = ? WHERE id = ?",
            (int(shared), checkin_id),
            invalidate=(),  # no cached read holds check-ins (store/cached_reads.py)
        )

    async def for_session(self, session_id: int) -> list[CheckinRecord]:
        """A session's check-ins, oldest first (created_at, then id)."""
        return await self._all_where(
            CheckinRecord, "checkins", "session_id = ? ORDER BY created_at, id", (session_id,)
        )

    async def for_member(self, guild_id: int, user_id: int, since: float) -> list[CheckinRecord]:
        """A member's check-ins in a server since `since` (UTC seconds), oldest first."""
        return await self._all_where(
            CheckinRecord,
            "checkins",
            "guild_id = ? AND user_id = ? AND created_at >= ? ORDER BY created_at, id",
            (guild_id, user_id, since),
        )

    async def for_guild(self, guild_id: int, since: float) -> list[CheckinRecord]:
        """Every check-in in a server since `since` (UTC seconds), oldest first."""
        return await self._all_where(
            CheckinRecord,
            "checkins",
            "guild_id = ? AND created_at >= ? ORDER BY created_at, id",
            (guild_id, since),
        )

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
        """The id of the server's most recently started session, or None."""
        row = await self._db.fetch_one(
            "SELECT id FROM sessions WHERE guild_id = ? ORDER BY started_at DESC, id DESC LIMIT 1",
            (guild_id,),
        )
        return int(row[0]) if row else None

    async def count(self) -> int:
        """How many check-in rows there are (benchmarks and tests)."""
        row = await self._db.fetch_one("SELECT COUNT(*) FROM checkins")
        return int(row[0]) if row else 0
