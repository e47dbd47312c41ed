"""A burst's first answers to check-in steps, written as one group-commit job.

Everyone checking in at a session's start is the hottest write Chorus has. The answers that
arrive in the same moment (bot/core/checkin_batch.py gathers them) are one job: one query for
the steps still open, earlier answers and the members' consent, one INSERT per table, one count
and one read of the steps that may be complete; each answer is a plain tuple in and an int out.
Whatever isn't a first answer (a member's second answer, a second one in the same batch) is
left unwritten and marked ALONE: the caller writes it by itself, after the batch committed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import NamedTuple

from bot.records.sessions import ContributionRecord
from bot.store.contribution_job import Authors, step_authors, step_rows
from bot.store.engine import ColumnType, Conn, batch_rows

AnswerRow = tuple[int, int, int, int, int, str, str, str | None, int | None, int | None, int, float]
"""One answer as the checkins INSERT takes it: (guild_id, user_id, session_id, run_id,
step_index, scale, phase, measure, value, value2, passed 0/1, created_at UTC seconds)."""

NO_ROW = -1
"""A pass by a member who hasn't agreed to storage: the contribution only, no check-in row."""
MOVED = -2
"""The run is no longer live at the step: nothing written."""
ASK = -3
"""An answer by a member never asked for consent: nothing written."""
DECLINED = -4
"""An answer by a member who said No thanks: kept as a pass, nothing about their mood stored."""
ALONE = -5
"""Not a first answer (or the member's second in this batch): nothing written, to be written
by itself."""

_STEP: tuple[tuple[str, ColumnType], ...] = (("run_id", "BIGINT"), ("step_index", "BIGINT"))
_MEMBER: tuple[tuple[str, ColumnType], ...] = (("guild_id", "BIGINT"), ("user_id", "BIGINT"))
_CONTRIBUTION: tuple[tuple[str, ColumnType], ...] = (
    ("run_id", "BIGINT"),
    ("step_index", "BIGINT"),
    ("author_id", "BIGINT"),
    ("kind", "TEXT"),
    ("created_at", "DOUBLE PRECISION"),
)
CHECKIN_COLUMNS: tuple[tuple[str, ColumnType], ...] = (
    ("guild_id", "BIGINT"),
    ("user_id", "BIGINT"),
    ("session_id", "BIGINT"),
    ("run_id", "BIGINT"),
    ("step_index", "BIGINT"),
    ("scale", "TEXT"),
    ("phase", "TEXT"),
    ("measure", "TEXT"),
    ("value", "BIGINT"),
    ("value2", "BIGINT"),
    ("passed", "BIGINT"),
    ("created_at", "DOUBLE PRECISION"),
)
"""The columns of a new `checkins` row, in the order batch rows give them (shared with `checkins.py`)."""
_CHECKIN_NAMES = ", ".join(name for name, _ in CHECKIN_COLUMNS)
_ANSWER_KINDS = "('checkin', 'pass')"


class AnswersWritten(NamedTuple):
    """What `CheckinAnswers` wrote: per answer, in order, the new check-in row's id or one of
    NO_ROW, MOVED, ASK, DECLINED, ALONE; per step read (run id, step index) -> (the position of
    the batch's last new answer to it, every contribution of the step as committed, or their
    author ids for the steps asked for `by_authors`)."""

    outcomes: list[int]
    steps: dict[tuple[int, int], tuple[int, list[ContributionRecord] | Authors]]


class CheckinAnswers:
    """Write `answers` (first answers to named check-in steps) in the open transaction.

    Each needs its run live at the step (else MOVED) and no earlier answer or pass by its
    member to the step (else ALONE); the consent is read in the same transaction: agreed -> the
    contribution ("checkin" or "pass") and the check-in row; not agreed, a pass -> the
    contribution only (NO_ROW); declined, an answer -> a "pass" contribution only (DECLINED);
    never asked, an answer -> nothing (ASK). `read_steps` (run id, step index) -> the count a
    step needs before its contributions are read back (0: always); steps not in it are not read,
    and those in `by_authors` are read as their author ids only.
    A statement the database refuses raises (the writer then redoes the job in a savepoint and
    the caller writes each answer by itself).
    """

    __slots__ = ("answers", "by_authors", "read_steps", "weight")

    def __init__(
        self,
        answers: Sequence[AnswerRow],
        read_steps: Mapping[tuple[int, int], int],
        by_authors: Collection[tuple[int, int]] = (),
    ):
        self.answers = answers
        self.read_steps = read_steps
        self.by_authors = by_authors
        self.weight = len(answers)
        """How many answers: the writer counts them towards its batch size."""

    async def __call__(self, conn: Conn) -> AnswersWritten:
        answers = self.answers
        outcomes = [ALONE] * len(answers)
        live, earlier, consent = await _read(conn, answers)
        fresh: list[int] = []
        contributions: list[tuple[int, int, int, str, float]] = []
        rows: list[int] = []
        seen: set[tuple[int, int, int]] = set()
        for index, answer in enumerate(answers):
            key = (answer[3], answer[4], answer[1])
            if (key[0], key[1]) not in live:
                outcomes[index] = MOVED
                continue
            if key in earlier or key in seen:
                continue  # ALONE: replaces an answer, by itself
            seen.add(key)
            given = consent.get((answer[0], answer[1]))
            passed = answer[10]
            if given == "agreed":
                rows.append(index)
                kind = "pass" if passed else "checkin"
            elif passed:
                outcomes[index] = NO_ROW
                kind = "pass"
            elif given == "declined":
                outcomes[index] = DECLINED
                kind = "pass"
            else:
                outcomes[index] = ASK
                continue
            fresh.append(index)
            contributions.append((key[0], key[1], key[2], kind, answer[11]))
        if contributions:
            async with conn.key_checks_planned_once(len(contributions)):
                await _insert_contributions(conn, contributions)
                if rows:
                    ids = await _insert_checkins(conn, [answers[i] for i in rows])
                    for index, new_id in zip(rows, ids, strict=True):
                        outcomes[index] = new_id
        return AnswersWritten(outcomes, await self._steps(conn, fresh))

    async def _steps(
        self, conn: Conn, fresh: Sequence[int]
    ) -> dict[tuple[int, int], tuple[int, list[ContributionRecord] | Authors]]:
        """The steps asked for that got a new contribution, once they have enough: each with
        the batch's last new answer to it (only that answer's caller may move the run on)."""
        last: dict[tuple[int, int], int] = {}
        for index in fresh:
            answer = self.answers[index]
            key = (answer[3], answer[4])
            if key in self.read_steps:
                last[key] = index
        if not last:
            return {}
        steps: dict[tuple[int, int], tuple[int, list[ContributionRecord] | Authors]] = {}
        authors = {key: self.read_steps[key] for key in last if key in self.by_authors}
        if authors:
            for key, ids in (await step_authors(conn, authors)).items():
                steps[key] = (last[key], ids)
        records = {key: self.read_steps[key] for key in last if key not in self.by_authors}
        if records:
            for key, rows in (await step_rows(conn, records)).items():
                steps[key] = (last[key], rows)
        return steps


async def _read(
    conn: Conn, answers: Sequence[AnswerRow]
) -> tuple[set[tuple[int, int]], set[tuple[int, int, int]], dict[tuple[int, int], str]]:
    """What the batch's answers depend on, in one query (one round trip on PostgreSQL): the
    (run id, step index) of the answers still live; the (run id, step index, member) with an
    answer or pass there already; (guild id, user id) -> the consent of the batch's members
    who gave one."""
    steps = list(dict.fromkeys((a[3], a[4]) for a in answers))
    members = list(dict.fromkeys((a[0], a[1]) for a in answers))
    steps_cte, steps_params = batch_rows(conn.engine, "s", _STEP, steps)
    members_cte, members_params = batch_rows(conn.engine, "m", _MEMBER, members)
    found = await conn.fetch_all(
        f"WITH {steps_cte}, {members_cte}"
        " SELECT 0, s.run_id, s.step_index, c.author_id, NULL FROM s"
        " JOIN activity_runs r ON r.id = s.run_id AND r.step_index = s.step_index"
        " AND r.state IN ('running', 'paused')"
        " LEFT JOIN contributions c ON c.run_id = s.run_id AND c.step_index = s.step_index"
        f" AND c.author_id IS NOT NULL AND c.kind IN {_ANSWER_KINDS}"
        # Each member's consent by its primary key: a join let PostgreSQL hash the whole
        # members table for every batch (its estimate of the batch's rows is no guide).
        " UNION ALL SELECT 1, m.guild_id, m.user_id, NULL, (SELECT x.consent FROM members x"
        " WHERE x.guild_id = m.guild_id AND x.user_id = m.user_id) FROM m",
        [*steps_params, *members_params],
    )
    live: set[tuple[int, int]] = set()
    earlier: set[tuple[int, int, int]] = set()
    consent: dict[tuple[int, int], str] = {}
    for row in found:
        first, second = int(row[1]), int(row[2])
        if row[0]:
            if row[4] is not None:
                consent[(first, second)] = str(row[4])
            continue
        live.add((first, second))
        if row[3] is not None:
            earlier.add((first, second, int(row[3])))
    return live, earlier, consent


async def _insert_contributions(
    conn: Conn, values: Sequence[tuple[int, int, int, str, float]]
) -> None:
    """One INSERT for the batch's new contributions, (run id, step index, author id, kind,
    created_at) each: empty payloads, as the value is in the check-in row."""
    cte, params = batch_rows(conn.engine, "u", _CONTRIBUTION, values)
    await conn.execute(
        f"WITH {cte} INSERT INTO contributions (run_id, step_index, author_id, kind, payload,"
        " created_at, updated_at) SELECT run_id, step_index, author_id, kind, '{}',"
        " created_at, created_at FROM u ORDER BY n",
        params,
    )


async def _insert_checkins(conn: Conn, rows: Sequence[AnswerRow]) -> list[int]:
    """One INSERT for the batch's check-in rows; their ids, in order."""
    cte, params = batch_rows(conn.engine, "u", CHECKIN_COLUMNS, rows)
    found = await conn.fetch_all(
        f"WITH {cte} INSERT INTO checkins ({_CHECKIN_NAMES}) SELECT {_CHECKIN_NAMES} FROM u"
        " ORDER BY n RETURNING id",
        params,
    )
    # Ids are handed out in insertion order (one writer holds the table for this statement's
    # rows), and RETURNING's own order isn't promised: sorted ids are the rows in order.
    ids = sorted(int(r[0]) for r in found)
    assert len(ids) == len(rows), "one id per inserted check-in"
    return ids
