"""A moment's answers to check-in steps, validated and written together (CheckinService's burst).

Everyone checking in at a session's start answers within a second or two. Each answer is its
own interaction (its own task), but the answers that arrive in the same turn of the event loop
are one batch: one run, session and step look-up per run, one step context per run (not per
answer), one clock read, one write job for all of them (one consent read, one INSERT per
table: bot/store/checkin_answers.py), a plain tuple per answer and its record made only when a
caller reads it. Each caller still gets its own outcome: its Saved, or its own refusal.

What the batch doesn't write (an anonymous step, a member's second answer, a step whose state
changes with each answer, a batch the database refused) goes back to its caller marked ALONE,
and the caller writes it by itself (`CheckinService._answer_alone`), after the batch committed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from bot.core.activities import Scale
from bot.core.checkin_saved import ConsentNeeded, Saved
from bot.core.checkins import check_answer, scale_key
from bot.core.contributing import STEP_ENDED, Answering
from bot.core.errors import Conflict, InvalidInput
from bot.core.runner import Runner
from bot.core.steps.checkin import CheckinStep
from bot.records.errors import StorageUnavailable
from bot.records.sessions import ContributionRecord, RunRecord, SessionRecord
from bot.store import checkin_answers as written
from bot.store.checkin_answers import AnswerRow
from bot.store.contribution_job import Authors
from bot.store.store import Store

ANSWER_KINDS = ("checkin", "pass")
"""A member's one answer to a check-in step: a pass and an answer replace each other."""

BATCH = 500
"""Answers per write job at most on SQLite (a full group commit there; bounds how long one
batch holds the event loop). Where the writer waits on a server, a job is the writer's whole
batch (`Writer.max_batch`, 1,000 on PostgreSQL): half the statements per answer, and each
statement is a round trip the server waits on while the bot answers callers
(BENCHMARKS.md, "Fewer round trips per answer")."""

ALONE = object()
"""A caller's outcome: write this answer by itself."""

REPLIES_AT_ONCE = 50
"""Callers answered per turn of the event loop once their batch committed, where the writer
waits on a server (`Writer.waits_on_server`: PostgreSQL). The rest wait a turn each 50, so
the writer's round trips for the next batch go out between them: the server writes the next
batch while this one's callers carry on, instead of the two taking turns (BENCHMARKS.md,
"Foreign-key checks planned once"). On SQLite all at once: there is nothing to overlap."""

_Reply = tuple["asyncio.Future[Any]", bool, Any]
"""A caller's future, whether it gets a result (else an exception), and which."""

Pending = tuple[int, int, int, int | None, int | None, "asyncio.Future[Any]"]
"""(run id, step index, user id, value, value2, the caller's future)."""

Finish = tuple[Saved, Answering, "list[ContributionRecord] | Authors"]
"""A caller's outcome when its answer was the batch's last to a step that may be complete:
it asks the runner whether the run moves on (`Runner.answered`) and returns its Saved with
the change."""

_Run = tuple[RunRecord, CheckinStep, Answering, int, str]
"""A run as its batch's answers see it: the run, its check-in step as shown, the step's
context and rules, the session's guild id and the scale's stored name."""

LiveStep = Callable[[RunRecord | None, int], CheckinStep]
SessionOf = Callable[[RunRecord], Awaitable[SessionRecord]]
IsLow = Callable[[int, Scale, int | None], bool]


class AnswerBatches:
    """Gathers the answers of one turn of the loop; `add` returns the caller's future."""

    def __init__(
        self,
        store: Store,
        runner: Runner,
        now: Callable[[], float],
        live_step: LiveStep,
        session_of: SessionOf,
        is_low: IsLow,
    ) -> None:
        self._store = store
        writer = store.db.writer
        self._size = writer.max_batch if writer.waits_on_server else min(BATCH, writer.max_batch)
        self._at_once = REPLIES_AT_ONCE if writer.waits_on_server else self._size
        self._runner = runner
        self._now = now
        self._live_step = live_step
        self._session_of = session_of
        self._is_low = is_low
        self._open: list[Pending] = []
        self._writing: set[asyncio.Task[None]] = set()
        # Where the writer waits on a server: the previous batch's job submitted (or given up).
        self._in_turn = writer.waits_on_server
        self._ahead: asyncio.Future[None] | None = None

    def add(
        self, run_id: int, step_index: int, user_id: int, value: int | None, value2: int | None
    ) -> asyncio.Future[Any]:
        """Queue one answer for this turn's batch; its future is answered (after the batch
        committed) with the answer's Saved, a Finish, ALONE, or its own exception."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        batch = self._open
        batch.append((run_id, step_index, user_id, value, value2, future))
        if len(batch) == 1:
            ahead, submitted = self._ahead, loop.create_future()
            if self._in_turn:
                self._ahead = submitted
            task = loop.create_task(
                self._write(batch, ahead, submitted), name="chorus-checkin-batch"
            )
            self._writing.add(task)
            task.add_done_callback(self._writing.discard)
        if len(batch) >= self._size:
            self._open = []
        return future

    async def _write(
        self,
        batch: list[Pending],
        ahead: asyncio.Future[None] | None,
        submitted: asyncio.Future[None],
    ) -> None:
        # Runs once everyone answering in the same turn of the loop has joined `batch`.
        if self._open is batch:
            self._open = []
        try:
            if ahead is not None and not ahead.done():
                # A burst's batches are validated one per turn of the loop, each after the one
                # before it was submitted: the writer's statements for the first go out in the
                # turns between, so the server writes it while the bot validates the next,
                # instead of idling until the whole burst is validated (PostgreSQL only).
                await ahead
            await self._validated_and_written(batch, submitted)
        except BaseException as exc:
            failed: BaseException = exc
            if not isinstance(exc, Exception):  # cancelled (the loop is closing)
                failed = StorageUnavailable("the answer could not be written")
            for *_, future in batch:
                if not future.done():
                    future.set_exception(failed)
            if not isinstance(exc, Exception):
                raise
        finally:
            _set_done(submitted)

    async def _validated_and_written(
        self, batch: list[Pending], submitted: asyncio.Future[None]
    ) -> None:
        now = self._now()
        rows: list[AnswerRow] = []
        owners: list[int] = []  # the batch position of each row's answer
        runs: dict[int, _Run | None] = {}
        read_steps: dict[tuple[int, int], int] = {}
        by_authors: set[tuple[int, int]] = set()
        for index, (run_id, step_index, user_id, value, value2, future) in enumerate(batch):
            if run_id in runs:
                found = runs[run_id]
            else:
                try:
                    found = runs[run_id] = await self._run(
                        run_id, step_index, now, read_steps, by_authors
                    )
                except Exception as refusal:  # the same for every answer to the run
                    runs[run_id] = None
                    for item in batch[index:]:
                        if item[0] == run_id and not item[5].done():
                            item[5].set_exception(refusal)
                    continue
            if future.done():
                continue
            if found is None:
                future.set_result(ALONE)
                continue
            run, step, _, guild_id, scale_name = found
            try:
                if run.step_index != step_index:
                    self._live_step(run, step_index)  # raises the step's Conflict
                check_answer(step.scale, value, value2)
            except (Conflict, InvalidInput) as refusal:
                future.set_exception(refusal)
                continue
            rows.append(
                (
                    guild_id,
                    user_id,
                    run.session_id,
                    run_id,
                    step_index,
                    scale_name,
                    step.phase,
                    step.measure,
                    value,
                    value2 if step.scale.kind == "sam" else None,
                    0 if value is not None else 1,
                    now,
                )
            )
            owners.append(index)
        if rows:
            await self._written(batch, rows, owners, runs, read_steps, by_authors, submitted)

    async def _run(
        self,
        run_id: int,
        step_index: int,
        now: float,
        read_steps: dict[tuple[int, int], int],
        by_authors: set[tuple[int, int]],
    ) -> _Run | None:
        """A run's step and context, once per batch; None when its answers go alone. Raises
        Conflict or NotFound (then every answer to the run gets it)."""
        run = await self._store.runs.get(run_id)
        # At the run's own step: an answer to an earlier step is refused by itself.
        step = self._live_step(run, step_index if run is None else run.step_index)
        assert run is not None  # _live_step raised otherwise
        session: SessionRecord = await self._session_of(run)
        if step.anonymous:
            return None
        answering = await self._runner.answering(run, now, ANSWER_KINDS)
        if answering is None:
            return None
        if answering.read_at_least is not None:
            read_steps[(run_id, run.step_index)] = answering.read_at_least
            if answering.by_authors:
                by_authors.add((run_id, run.step_index))
        return run, step, answering, session.guild_id, scale_key(step.scale)

    async def _written(
        self,
        batch: list[Pending],
        rows: list[AnswerRow],
        owners: list[int],
        runs: dict[int, _Run | None],
        read_steps: dict[tuple[int, int], int],
        by_authors: set[tuple[int, int]],
        submitted: asyncio.Future[None],
    ) -> None:
        try:
            writing = self._store.checkins.answer_many(rows, read_steps, by_authors)
            # The next batch may be validated from the next turn on (after the writer's own).
            asyncio.get_running_loop().call_soon(_set_done, submitted)
            done = await writing
        except StorageUnavailable as exc:  # nothing was written
            for index in owners:
                batch[index][5].set_exception(exc)
            return
        except Exception:  # refused by the database: each answer by itself, to find which
            for index in owners:
                batch[index][5].set_result(ALONE)
            return
        finishing = {last: key for key, (last, _) in done.steps.items()}
        replies: list[_Reply] = []
        for position, (index, row, outcome) in enumerate(
            zip(owners, rows, done.outcomes, strict=True)
        ):
            future = batch[index][5]
            if future.done():  # its caller was cancelled
                continue
            value = row[8]
            found = runs[row[3]]
            assert found is not None
            scale = found[1].scale
            if outcome >= 0:
                low = value is not None and self._is_low(row[0], scale, value)
                saved = Saved.written(row, outcome, low)
            elif outcome == written.NO_ROW:
                saved = Saved(None, False, None, False, False, True)
            elif outcome == written.DECLINED:
                low = value is not None and self._is_low(row[0], scale, value)
                saved = Saved(None, False, None, low, False, False, declined=True)
            else:
                if outcome == written.ASK:
                    replies.append((future, False, ConsentNeeded()))
                elif outcome == written.MOVED:
                    replies.append((future, False, Conflict(STEP_ENDED)))
                else:
                    replies.append((future, True, ALONE))
                continue
            key = finishing.get(position)
            if key is None:
                replies.append((future, True, saved))
            else:
                replies.append((future, True, (saved, found[2], done.steps[key][1])))
        _reply(asyncio.get_running_loop(), replies, 0, self._at_once)


def _set_done(future: asyncio.Future[None]) -> None:
    if not future.done():  # (cancelled along with a batch that was waiting on it)
        future.set_result(None)


def _reply(
    loop: asyncio.AbstractEventLoop, replies: list[_Reply], start: int, at_once: int
) -> None:
    """Answer `at_once` callers from `start`, and the rest on the loop's next turns (a plain
    callback, not a task step: cancelling the batch's task can't lose a reply)."""
    end = start + at_once
    for future, ok, value in replies[start:end]:
        if future.done():  # its caller was cancelled
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)
    if end < len(replies):
        loop.call_soon(_reply, loop, replies, end, at_once)
