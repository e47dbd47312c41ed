"""Two processes on one PostgreSQL: what one changes reaches what the other keeps in memory.

Each "process" is its own Store with its own services; LISTEN/NOTIFY carries consent, /forget,
server settings and server activity libraries between them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from discord.utils import utcnow

from bot.core.activities import Catalog
from bot.core.guild_library import GuildLibrary
from bot.core.guild_settings import GuildSettingsService
from bot.records.sessions import NewRun, NewSession
from bot.settings import Settings
from bot.store.database import Conn
from bot.store.notify import EVERYTHING, IDS_PER_NOTIFICATION
from bot.store.store import Store
from tests.conftest import two_processes
from tests.engines import TestDatabase

GUILD = 4242
ACTIVITY = b"""id: feed-test
title: Feed test
summary: s
version: 1
duration_minutes: 5
steps:
  - type: prompt
    title: Read
    text: hello
"""


@pytest.fixture
async def pair(postgres: TestDatabase) -> AsyncIterator[tuple[Store, Store]]:
    async for stores in two_processes(postgres.url):
        yield stores


async def listener_pid(asking: Store, of: Store) -> int | None:
    """The backend pid of `of`'s listening connection, as PostgreSQL lists it."""
    row = await asking.db.fetch_one(
        "SELECT pid FROM pg_stat_activity WHERE application_name = ?",
        (of.changes.application_name,),
    )
    return int(row[0]) if row else None


async def heard(store: Store, count: int) -> None:
    """Wait (at most 5 s) until `store` has handled `count` notifications."""
    for _ in range(500):
        if store.changes.heard >= count:
            await store.changes.settled()
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"heard {store.changes.heard} of {count} notifications")


async def test_consent_and_forget_reach_the_other_processs_cache(
    pair: tuple[Store, Store],
) -> None:
    first, second = pair
    await first.privacy.set_consent(GUILD, 7, "agreed", 1.0)
    assert await second.privacy.consent(GUILD, 7) == "agreed"  # now cached there
    await first.privacy.set_consent(GUILD, 7, "declined", 2.0)
    await heard(second, 2)
    assert await second.privacy.consent(GUILD, 7) == "declined"
    await first.privacy.forget(GUILD, 7, 3.0)
    await heard(second, 3)
    assert await second.privacy.consent(GUILD, 7) is None
    # A process ignores its own notifications.
    assert first.changes.heard == 0


async def test_server_settings_and_library_reach_the_other_process(
    pair: tuple[Store, Store],
) -> None:
    first, second = pair
    settings = Settings()
    shipped = Catalog.load([Path("activities")], settings.media_dir)
    services = [
        (
            GuildSettingsService(store, utcnow, settings),
            GuildLibrary(store, utcnow, shipped, settings.servers),
        )
        for store in pair
    ]
    for guild_settings, library in services:
        await guild_settings.load()
        await library.load()
    (settings_a, library_a), (settings_b, library_b) = services
    assert settings_b.for_guild(GUILD).timezone == "UTC"

    await settings_a.change(GUILD, 7, "timezone", "Europe/Berlin")
    await library_a.upload(GUILD, 7, "feed-test.yaml", ACTIVITY)
    await heard(second, 2)
    assert settings_b.for_guild(GUILD).timezone == "Europe/Berlin"
    found = library_b.get(GUILD, "feed-test")
    assert found is not None and found.title == "Feed test"

    await library_a.delete(GUILD, "feed-test")
    await settings_a.change(GUILD, 7, "timezone", None)
    await heard(second, 4)
    assert library_b.get(GUILD, "feed-test") is None
    assert settings_b.for_guild(GUILD).timezone == "UTC"
    assert first.changes.heard == 0


async def test_a_notification_arrives_only_with_its_commit(pair: tuple[Store, Store]) -> None:
    """Sent inside the writing transaction: heard after the change is committed (the listener
    reads it then), and never heard when the transaction rolls back."""
    first, second = pair
    order: list[tuple[str, tuple[int, ...]]] = []
    read: list[object] = []

    async def read_on_hearing(ids: tuple[int, ...]) -> None:
        row = await second.db.fetch_one(
            "SELECT consent FROM members WHERE guild_id = ? AND user_id = ?", ids
        )
        read.append(row[0] if row else None)

    second.changes.subscribe("consent", lambda ids: order.append(("consent", ids)))
    second.changes.subscribe("consent", read_on_hearing)
    second.changes.subscribe("probe", lambda ids: order.append(("probe", ids)))

    class Refused(Exception):
        pass

    async def refused(conn: Conn) -> None:
        await first.changes.notify_in(conn, "probe", 1)
        raise Refused

    with pytest.raises(Refused):
        await first.db.write(refused, invalidate=())
    await first.privacy.set_consent(GUILD, 9, "agreed", 1.0)

    async def probe(conn: Conn) -> None:
        await first.changes.notify_in(conn, "probe", 2)

    await first.db.write(probe, invalidate=())
    await heard(second, 2)
    # One channel delivers in commit order: the rolled-back probe would have come first.
    assert order == [("consent", (GUILD, 9)), ("probe", (2,))]
    assert read == ["agreed"]


async def test_a_run_changed_in_one_process_is_not_served_stale_by_another(
    pair: tuple[Store, Store],
) -> None:
    first, second = pair
    session = await first.sessions.create(
        NewSession(
            guild_id=GUILD, channel_id=1, voice_channel_id=None, title="Circle", facilitator_id=5
        ),
        1.0,
    )
    run = await first.runs.create(
        NewRun(
            session_id=session.id,
            activity_id="a",
            version_hash="h",
            definition="{}",
            step_deadline=100.0,
        ),
        1.0,
    )
    cached = await second.runs.get(run.id)  # the other process keeps it in memory
    assert cached is not None and cached.step_index == 0
    count = second.changes.heard
    # A step change, a pause, an extension: each reaches the other process's cache.
    await first.runs.update(run.id, 0, step_index=1, step_deadline=200.0, wake_at=200.0)
    await heard(second, count + 1)
    moved = await second.runs.get(run.id)
    assert moved is not None and (moved.step_index, moved.step_deadline) == (1, 200.0)
    await first.runs.update(run.id, 1, state="paused", paused_remaining=50.0, wake_at=None)
    await heard(second, count + 2)
    paused = await second.runs.get(run.id)
    assert paused is not None and (paused.state, paused.paused_remaining) == ("paused", 50.0)
    await first.runs.update(run.id, 1, state="running", step_deadline=400.0, wake_at=400.0)
    await heard(second, count + 3)
    extended = await second.runs.get(run.id)
    assert extended is not None and (extended.state, extended.step_deadline) == ("running", 400.0)
    # Ending the session stops the run and drops the session too.
    opened = await second.sessions.get(session.id)
    assert opened is not None and opened.status == "open"
    assert await first.sessions.end(session.id, 500.0)
    await heard(second, count + 5)
    ended = await second.sessions.get(session.id)
    assert ended is not None and ended.status == "ended"
    stopped = await second.runs.get(run.id)
    assert stopped is not None and stopped.state == "stopped"


async def test_activity_reload_reaches_every_process(
    pair: tuple[Store, Store], tmp_path: Path
) -> None:
    folder = tmp_path / "activities"
    folder.mkdir()
    settings = Settings()
    libraries = [
        GuildLibrary(store, utcnow, Catalog.load([folder], settings.media_dir), settings.servers)
        for store in pair
    ]
    for library in libraries:
        await library.load()
    assert libraries[1].get(GUILD, "feed-test") is None
    (folder / "feed-test.yaml").write_bytes(ACTIVITY)
    fresh, diff = await libraries[0].reload_shipped()
    assert fresh.get("feed-test") is not None and diff.added == ("feed-test",)
    await heard(pair[1], 1)
    found = libraries[1].get(GUILD, "feed-test")
    assert found is not None and found.title == "Feed test"
    assert libraries[1].get(None, "feed-test") is not None


async def test_a_listener_cut_off_reconnects_and_drops_what_it_kept(
    pair: tuple[Store, Store],
) -> None:
    first, second = pair
    await first.privacy.set_consent(GUILD, 11, "agreed", 1.0)
    assert await second.privacy.consent(GUILD, 11) == "agreed"  # cached
    dropped: list[tuple[int, ...]] = []
    second.changes.subscribe(EVERYTHING, dropped.append)
    pid = await listener_pid(first, second)
    assert pid is not None
    await first.db.fetch_one("SELECT pg_terminate_backend(?)", (pid,))
    # While it was cut off, a change it could not hear:
    await first.privacy.set_consent(GUILD, 11, "declined", 2.0)
    for _ in range(500):
        if dropped:
            break
        await asyncio.sleep(0.01)
    assert dropped == [()]
    await second.changes.settled()
    assert await second.privacy.consent(GUILD, 11) == "declined"
    assert await listener_pid(first, second) not in (None, pid)
    # And it hears again.
    count = second.changes.heard
    await first.privacy.set_consent(GUILD, 11, "agreed", 3.0)
    await heard(second, count + 1)
    assert await second.privacy.consent(GUILD, 11) == "agreed"


async def test_many_ids_go_in_several_notifications_and_arrive_whole(
    pair: tuple[Store, Store],
) -> None:
    first, second = pair
    got: list[tuple[int, ...]] = []
    second.changes.subscribe("consent", got.append)
    await first.changes.publish("consent", *range(IDS_PER_NOTIFICATION * 2 + 100))
    await heard(second, 3)
    assert [len(ids) for ids in got] == [IDS_PER_NOTIFICATION, IDS_PER_NOTIFICATION, 100]
    assert [i for ids in got for i in ids] == list(range(IDS_PER_NOTIFICATION * 2 + 100))
    # A topic nobody subscribed to is heard and dropped.
    await first.changes.publish("nobody-listens", 1)
    await heard(second, 4)
    assert len(got) == 3


async def test_one_process_on_sqlite_publishes_and_listens_to_nothing(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'chorus.db'}")
    await store.open()
    try:
        assert not store.changes.shared
        await store.changes.listen("postgresql://nowhere.invalid/none")  # nothing to hear
        await store.changes.publish("consent", 1, 2)

        async def job(conn: Conn) -> None:
            await store.changes.notify_in(conn, "consent", 3)

        await store.db.write(job, invalidate=())
        assert store.changes.heard == 0
    finally:
        await store.close()
