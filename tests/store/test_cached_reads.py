"""Every write that changes a cached read forgets it (issue 17 item 5), on both engines.

Each case reads through a repository (the value is then cached: checked), writes through a
repository, and reads again: the read must give the new value, not the cached one. Every
cached read of `bot.store.cached_reads` has a case here, and `Database.write` can't be called
without saying what it invalidates.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.records.session_access import SessionLimits
from bot.records.sessions import NewRun, NewSession, SessionRecord
from bot.store import cached_reads
from bot.store.cached_reads import CachedRead
from bot.store.engine import Conn
from bot.store.runs import ShardScope
from bot.store.songs import PositionTaken
from bot.store.store import Store

GUILD = 1
FACILITATOR = 5
MEMBER = 7
MISSING = object()
BOT = Path(__file__).resolve().parents[2] / "bot"


@dataclass(frozen=True)
class Probe:
    """One cached read (`key`, read by `read`) and one write that changes it."""

    key: CachedRead
    read: Callable[[], Awaitable[object]]
    write: Callable[[], Awaitable[object]]
    before: object
    after: object


@dataclass(frozen=True)
class Case:
    read: str
    """The function of `bot.store.cached_reads` naming the read."""
    write: str
    """The repository write that changes it."""
    arrange: Callable[[Store], Awaitable[Probe]]

    def __str__(self) -> str:
        return f"{self.read}-by-{self.write}"


async def open_session(
    store: Store, channel_id: int = 10, limits: SessionLimits | None = None
) -> SessionRecord:
    return await store.sessions.create(
        NewSession(
            guild_id=GUILD,
            channel_id=channel_id,
            voice_channel_id=None,
            title="circle",
            facilitator_id=FACILITATOR,
        ),
        1.0,
        limits=limits,
    )


async def start_run(store: Store, session_id: int) -> int:
    run = await store.runs.create(
        NewRun(
            session_id=session_id,
            activity_id="opening-checkin",
            version_hash="h",
            definition="{}",
            step_deadline=None,
        ),
        2.0,
    )
    return run.id


def present_ids(store: Store, session_id: int) -> Callable[[], Awaitable[object]]:
    async def read() -> object:
        return [a.user_id for a in await store.sessions.present(session_id)]

    return read


def session_field(store: Store, session_id: int, field: str) -> Callable[[], Awaitable[object]]:
    async def read() -> object:
        found = await store.sessions.get(session_id)
        return None if found is None else getattr(found, field)

    return read


def run_field(store: Store, run_id: int, field: str) -> Callable[[], Awaitable[object]]:
    async def read() -> object:
        found = await store.runs.get(run_id)
        return None if found is None else getattr(found, field)

    return read


def consent_of(store: Store, user_id: int) -> Callable[[], Awaitable[object]]:
    async def read() -> object:
        return await store.privacy.consent(GUILD, user_id)

    return read


# ------------------------------------------------------------------- session


async def session_by_create(store: Store) -> Probe:
    before = await open_session(store, 10)
    new_id = before.id + 1  # looked up before it exists: None is cached

    async def write() -> object:
        return await open_session(store, 11)

    return Probe(
        cached_reads.session(new_id), session_field(store, new_id, "id"), write, None, new_id
    )


async def session_by_set_board(store: Store) -> Probe:
    s = await open_session(store)
    return Probe(
        cached_reads.session(s.id),
        session_field(store, s.id, "board_message_id"),
        lambda: store.sessions.set_board(s.id, 555),
        None,
        555,
    )


async def session_by_end(store: Store) -> Probe:
    s = await open_session(store)
    return Probe(
        cached_reads.session(s.id),
        session_field(store, s.id, "status"),
        lambda: store.sessions.end(s.id, 3.0),
        "open",
        "ended",
    )


async def session_by_forget(store: Store) -> Probe:
    s = await open_session(store)
    return Probe(
        cached_reads.session(s.id),
        session_field(store, s.id, "facilitator_id"),
        lambda: store.privacy.forget(GUILD, FACILITATOR, 3.0),
        FACILITATOR,
        0,
    )


# ------------------------------------------------------------------- present


async def present_by_join(store: Store) -> Probe:
    s = await open_session(store)
    return Probe(
        cached_reads.present(s.id),
        present_ids(store, s.id),
        lambda: store.sessions.join(s.id, MEMBER, 2.0),
        [],
        [MEMBER],
    )


async def present_by_leave(store: Store) -> Probe:
    s = await open_session(store)
    assert await store.sessions.join(s.id, MEMBER, 2.0)
    return Probe(
        cached_reads.present(s.id),
        present_ids(store, s.id),
        lambda: store.sessions.leave(s.id, MEMBER, 3.0),
        [MEMBER],
        [],
    )


async def present_by_end(store: Store) -> Probe:
    s = await open_session(store)
    assert await store.sessions.join(s.id, MEMBER, 2.0)
    return Probe(
        cached_reads.present(s.id),
        present_ids(store, s.id),
        lambda: store.sessions.end(s.id, 3.0),
        [MEMBER],
        [],
    )


async def present_by_request(store: Store) -> Probe:
    s = await open_session(store, limits=SessionLimits(capacity=2))
    return Probe(
        cached_reads.present(s.id),
        present_ids(store, s.id),
        lambda: store.session_access.request(s.id, MEMBER, (), 2.0),
        [],
        [MEMBER],
    )


async def present_by_admit(store: Store) -> Probe:
    s = await open_session(store, limits=SessionLimits(invite_only=True))
    return Probe(
        cached_reads.present(s.id),
        present_ids(store, s.id),
        lambda: store.session_access.admit(s.id, MEMBER, 2.0),
        [],
        [MEMBER],
    )


async def present_by_access_leave(store: Store) -> Probe:
    s = await open_session(store, limits=SessionLimits(capacity=1))
    assert (await store.session_access.request(s.id, MEMBER, (), 2.0)).outcome == "joined"
    assert (await store.session_access.request(s.id, 8, (), 3.0)).outcome == "waiting"
    return Probe(
        cached_reads.present(s.id),
        present_ids(store, s.id),
        lambda: store.session_access.leave(s.id, MEMBER, 4.0),
        [MEMBER],
        [8],  # the head of the line moved up in the same job
    )


async def present_by_forget(store: Store) -> Probe:
    s = await open_session(store)
    assert await store.sessions.join(s.id, MEMBER, 2.0)
    return Probe(
        cached_reads.present(s.id),
        present_ids(store, s.id),
        lambda: store.privacy.forget(GUILD, MEMBER, 3.0),
        [MEMBER],
        [],
    )


# ------------------------------------------------------------ session limits


async def session_limits_by_create(store: Store) -> Probe:
    before = await open_session(store, 10)
    new_id = before.id + 1
    closed = SessionLimits(capacity=4)

    async def read() -> object:
        return await store.session_access.limits(new_id)

    return Probe(
        cached_reads.session_limits(new_id),
        read,
        lambda: open_session(store, 11, closed),
        None,
        closed,
    )


# ----------------------------------------------------------------------- run


async def run_by_create(store: Store) -> Probe:
    s = await open_session(store)
    return Probe(
        cached_reads.run(1),  # the first run's id, looked up before it exists
        run_field(store, 1, "session_id"),
        lambda: start_run(store, s.id),
        None,
        s.id,
    )


async def run_by_update(store: Store) -> Probe:
    run_id = await start_run(store, (await open_session(store)).id)
    return Probe(
        cached_reads.run(run_id),
        run_field(store, run_id, "step_index"),
        lambda: store.runs.update(run_id, 0, step_index=1, step_started_at=3.0),
        0,
        1,
    )


async def run_by_set_step_message(store: Store) -> Probe:
    run_id = await start_run(store, (await open_session(store)).id)
    return Probe(
        cached_reads.run(run_id),
        run_field(store, run_id, "step_message_id"),
        lambda: store.runs.set_step_message(run_id, 444),
        None,
        444,
    )


async def run_by_session_end(store: Store) -> Probe:
    s = await open_session(store)
    run_id = await start_run(store, s.id)
    return Probe(
        cached_reads.run(run_id),
        run_field(store, run_id, "state"),
        lambda: store.sessions.end(s.id, 3.0),
        "running",
        "stopped",
    )


async def changed_elsewhere(store: Store, run_id: int) -> None:
    """Another process's change to the run, which this one has not heard of (its cached copy
    stays as it was)."""
    async with store.db.transaction(invalidate=()) as conn:
        await conn.execute("UPDATE activity_runs SET step_index = 1 WHERE id = ?", (run_id,))


async def run_by_claim_due(store: Store) -> Probe:
    run_id = await start_run(store, (await open_session(store)).id)
    await store.runs.update(run_id, 0, wake_at=2.5, step_deadline=2.5)

    async def write() -> object:
        await changed_elsewhere(store, run_id)
        return await store.runs.claim_due(3.0, ShardScope(frozenset({0}), 1), 30.0)

    return Probe(cached_reads.run(run_id), run_field(store, run_id, "step_index"), write, 0, 1)


async def run_by_update_unchanged(store: Store) -> Probe:
    run_id = await start_run(store, (await open_session(store)).id)

    async def write() -> object:
        read = await store.runs.get(run_id)
        assert read is not None
        await changed_elsewhere(store, run_id)
        # A pause computed from the run as read: refused (it moved on), so its copy is dropped.
        return await store.runs.update_unchanged(read, step_index=0, state="paused")

    return Probe(cached_reads.run(run_id), run_field(store, run_id, "step_index"), write, 0, 1)


async def run_by_refusal_naming_it(store: Store) -> Probe:
    """A job's refusal that shows the run's copy behind (a song line's position taken by
    another process: songs.PositionTaken) forgets it, as the writer reports it."""
    run_id = await start_run(store, (await open_session(store)).id)

    async def refused(conn: Conn) -> None:
        raise PositionTaken(0, run_id)

    async def write() -> object:
        await changed_elsewhere(store, run_id)
        with pytest.raises(PositionTaken):
            await store.db.submit(refused, invalidate=())
        return None

    return Probe(cached_reads.run(run_id), run_field(store, run_id, "step_index"), write, 0, 1)


async def run_by_heard_change(store: Store) -> Probe:
    """Another process's notice (ChangeFeed) forgets what `cached_reads.heard` names."""
    run_id = await start_run(store, (await open_session(store)).id)

    async def write() -> object:
        await changed_elsewhere(store, run_id)
        # What asyncpg hands the feed when another process's notice arrives.
        store.changes._heard(None, 0, "chorus_changes", f"elsewhere run {run_id}")
        return None

    return Probe(cached_reads.run(run_id), run_field(store, run_id, "step_index"), write, 0, 1)


# ------------------------------------------------------------------- consent


async def consent_by_set_consent(store: Store) -> Probe:
    return Probe(
        cached_reads.consent(GUILD, MEMBER),
        consent_of(store, MEMBER),
        lambda: store.privacy.set_consent(GUILD, MEMBER, "agreed", 2.0),
        None,
        "agreed",
    )


async def consent_by_forget(store: Store) -> Probe:
    await store.privacy.set_consent(GUILD, MEMBER, "agreed", 2.0)
    return Probe(
        cached_reads.consent(GUILD, MEMBER),
        consent_of(store, MEMBER),
        lambda: store.privacy.forget(GUILD, MEMBER, 3.0),
        "agreed",
        None,
    )


CASES = [
    Case("session", "create", session_by_create),
    Case("session", "set_board", session_by_set_board),
    Case("session", "end", session_by_end),
    Case("session", "forget", session_by_forget),
    Case("present", "join", present_by_join),
    Case("present", "leave", present_by_leave),
    Case("present", "end", present_by_end),
    Case("present", "request", present_by_request),
    Case("present", "admit", present_by_admit),
    Case("present", "access_leave", present_by_access_leave),
    Case("present", "forget", present_by_forget),
    Case("session_limits", "create", session_limits_by_create),
    Case("run", "create", run_by_create),
    Case("run", "update", run_by_update),
    Case("run", "set_step_message", run_by_set_step_message),
    Case("run", "session_end", run_by_session_end),
    Case("run", "claim_due", run_by_claim_due),
    Case("run", "update_unchanged", run_by_update_unchanged),
    Case("run", "refusal", run_by_refusal_naming_it),
    Case("run", "heard", run_by_heard_change),
    Case("consent", "set_consent", consent_by_set_consent),
    Case("consent", "forget", consent_by_forget),
]


@pytest.mark.parametrize("case", CASES, ids=str)
async def test_a_write_that_changes_a_cached_read_invalidates_it(store: Store, case: Case) -> None:
    probe = await case.arrange(store)
    assert await probe.read() == probe.before
    assert store.db.peek(probe.key, MISSING) is not MISSING, "the read is cached"

    await probe.write()

    assert await probe.read() == probe.after


def test_every_cached_read_has_a_case() -> None:
    reads = {
        name
        for name, function in inspect.getmembers(cached_reads, inspect.isfunction)
        if function.__module__ == cached_reads.__name__
        # `of_session` groups reads (a list of keys), it is not one
        and function.__annotations__["return"] == "CachedRead"
    }
    assert reads == {"session", "present", "session_limits", "run", "consent"}
    assert {case.read for case in CASES} == reads


def test_every_cache_key_in_bot_is_one_of_cached_reads() -> None:
    """A cached read with a key of its own (a tuple spelled in place) would have no case above:
    every key given to `cached`, `peek`, `keep` or `version_of` is made by `cached_reads`."""
    spelled: list[str] = []
    seen = 0
    for path in sorted(BOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("cached", "peek", "keep", "version_of")
                and node.args
            ):
                continue
            seen += 1
            key = node.args[0]
            made_here = (
                isinstance(key, ast.Call)
                and isinstance(key.func, ast.Attribute)
                and isinstance(key.func.value, ast.Name)
                and key.func.value.id == "cached_reads"
            )
            # `key` names a value made by cached_reads a few lines up (runs.py's write-through).
            if not made_here and not (isinstance(key, ast.Name) and key.id == "key"):
                spelled.append(f"{path.relative_to(BOT)}:{node.lineno}")
    assert spelled == []
    assert seen >= 8


async def test_a_write_must_say_what_it_invalidates(store: Store) -> None:
    async def job(conn: Conn) -> int:
        return await conn.execute("INSERT INTO guilds (id, created_at) VALUES (1, 0)")

    with pytest.raises(TypeError, match="invalidate"):
        await store.db.write(job)  # type: ignore[call-arg]  # no invalidate=: the point
    assert await store.db.fetch_all("SELECT id FROM guilds") == []


async def test_a_hot_path_submit_must_say_what_it_invalidates(store: Store) -> None:
    async def job(conn: Conn) -> int:
        return await conn.execute("INSERT INTO guilds (id, created_at) VALUES (1, 0)")

    with pytest.raises(TypeError, match="invalidate"):
        store.db.submit(job)  # type: ignore[call-arg]  # no invalidate=: the point
    assert await store.db.fetch_all("SELECT id FROM guilds") == []


def test_only_the_store_touches_its_cache() -> None:
    """Outside bot/store nothing forgets, keeps or peeks at the Database's cached reads (core
    used to drop a run's copy by hand): each write declares what it changes."""
    touched: list[str] = []
    for path in sorted(BOT.rglob("*.py")):
        if path.is_relative_to(BOT / "store"):
            continue
        source = path.read_text(encoding="utf-8")
        for name in ("drop_cached", "cached_reads", ".db.invalidate", ".db.keep", ".db.forget"):
            if name in source:
                touched.append(f"{path.relative_to(BOT)}: {name}")
    assert touched == []


@pytest.mark.parametrize(
    ("topic", "ids", "stale"),
    [
        ("run", (3, 4), [cached_reads.run(3), cached_reads.run(4)]),
        ("session", (2,), cached_reads.of_session(2)),
        ("consent", (1, 7), [cached_reads.consent(1, 7)]),
        ("forget", (7,), None),
        ("*", (), None),
    ],
)
def test_what_a_notice_from_another_process_makes_stale(
    topic: str, ids: tuple[int, ...], stale: list[CachedRead] | None
) -> None:
    assert cached_reads.heard(topic, ids) == stale
